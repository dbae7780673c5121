const WORD = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;

/** Counts words in text as a reader sees it: markup and entities do not count. */
export function countWords(html: string): number {
  const text = html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#39|#x27|apos|rsquo);/gi, "'")
    .replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, ' ');
  return text.match(WORD)?.length ?? 0;
}
