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
  const matches = (raw: string) => searchTokens(raw).some((token) => terms.has(token));
  let hit: RegExpExecArray | null = null;
  for (const found of text.matchAll(WORD)) {
    if (matches(found[0])) {
      hit = found;
      break;
    }
  }
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
