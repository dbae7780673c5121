const WORD = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;

/** Counts words in text as a reader sees it: markup and entities do not count. */
export function countWords(html: string): number {
  // `<[^<>]*>` rather than `<[^>]*>`: a run of unclosed `<` would make the latter quadratic.
  const text = html
    .replace(/<[^<>]*>/g, ' ')
    .replace(/&(#39|#x27|apos|rsquo);/gi, "'")
    .replace(/&(#\d{1,8}|#x[0-9a-f]{1,8}|[a-z]{1,32});/gi, ' ');
  return text.match(WORD)?.length ?? 0;
}
