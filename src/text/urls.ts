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

/** Finds the http(s) URLs in a line of plain text, in order. */
export function urlsIn(text: string): string[] {
  return [...text.matchAll(/https?:\/\/[^\s<>"'\])]+/gi)]
    .map((m) => safeHttpUrl(m[0].replace(/[.,;:!?]+$/, '')))
    .filter((url): url is string => url !== null);
}
