import { escapeHtml } from './escape.ts';
import type { SafeHtml } from './render.ts';
import { searchTokens } from './search-text.ts';

const WORD = /[\p{L}\p{N}\p{M}]+/gu;

/**
 * A passage of plain text around the first word that matches a search, escaped, with the matching
 * words in <mark>; and that word as written, for a link that scrolls to it (a text fragment).
 * Null when no word matches (the match was in the title or tags).
 */
export function snippet(text: string, terms: ReadonlySet<string>, width = 260): { html: SafeHtml; word: string } | null {
  // Plain ASCII words (most) are their own token in lower case; the rest go through the tokeniser.
  const matches = (raw: string) =>
    /^[A-Za-z0-9]+$/.test(raw) ? terms.has(raw.toLowerCase()) : searchTokens(raw).some((token) => terms.has(token));
  const hit = firstMatch(text, terms, matches);
  if (!hit) return null;
  // Start a little before the word, on a word boundary, and end on one.
  let start = Math.max(0, hit.index - Math.floor(width / 3));
  let end = Math.min(text.length, start + width);
  if (start > 0) start = text.indexOf(' ', start) + 1 || start;
  if (end < text.length) end = text.lastIndexOf(' ', end) > hit.index ? text.lastIndexOf(' ', end) : end;
  const passage = text.slice(start, end).replace(/\s+/g, ' ').trim();
  let html = start > 0 ? '…' : '';
  let last = 0;
  for (const found of passage.matchAll(WORD)) {
    if (!matches(found[0])) continue;
    html += `${escapeHtml(passage.slice(last, found.index))}<mark>${escapeHtml(found[0])}</mark>`;
    last = found.index + found[0].length;
  }
  html += escapeHtml(passage.slice(last)) + (end < text.length ? '…' : '');
  return { html: html as SafeHtml, word: hit[0] };
}

/**
 * The first word of the text that matches. Normalising every word is slow on a long chapter, so the
 * scan starts a little before the first plain (lower-case) occurrence of a searched token, and
 * falls back to the whole text when that finds nothing (accents, or case changes that move text).
 */
function firstMatch(text: string, terms: ReadonlySet<string>, matches: (raw: string) => boolean) {
  const lower = text.toLowerCase();
  let hint = -1;
  for (const term of terms) {
    const at = lower.indexOf(term);
    if (at !== -1 && (hint === -1 || at < hint)) hint = at;
  }
  const scan = (from: number) => {
    const words = new RegExp(WORD.source, 'gu');
    words.lastIndex = from;
    for (let found = words.exec(text); found; found = words.exec(text)) if (matches(found[0])) return found;
    return null;
  };
  // Start after a space, so the scan never begins inside a word.
  const from = hint > 100 ? text.indexOf(' ', hint - 100) + 1 : 0;
  return (from > 0 ? scan(from) : null) ?? scan(0);
}
