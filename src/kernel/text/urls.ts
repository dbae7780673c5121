/** Returns the URL if it is an absolute http(s) link, else null: `javascript:` and friends never become links. */
export function safeHttpUrl(value: string): string | null {
  const trimmed = value.trim();
  if (!/^https?:\/\//i.test(trimmed)) return null;
  try {
    const url = new URL(trimmed);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

const TRAILING = new Set(['.', ',', ';', ':', '!', '?']);

/** Drops sentence punctuation after a link. A loop from the end: a `[.,]+$` regex is quadratic on long dot runs. */
function trimTrailingPunctuation(url: string): string {
  let end = url.length;
  while (end > 0 && TRAILING.has(url[end - 1] as string)) end--;
  return url.slice(0, end);
}

/** Finds the http(s) URLs in a line of plain text, in order. */
export function urlsIn(text: string): string[] {
  return [...text.matchAll(/https?:\/\/[^\s<>"'\])]+/gi)]
    .map((m) => safeHttpUrl(trimTrailingPunctuation(m[0])))
    .filter((url): url is string => url !== null);
}

/** A %-encoded string decoded, or null when an escape is malformed (`%E0%A4%A`): never a thrown URIError. */
export function percentDecoded(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}
