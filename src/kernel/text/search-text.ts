/**
 * Text as the search index and the search parser both see it: the same tokens on both sides and on
 * both databases, so SQLite's FTS5 and PostgreSQL's tsvector find exactly the same chapters. A
 * token is a run of letters and digits, decomposed, stripped of accents and lower-cased; Chinese
 * and Japanese runs, written without spaces, are cut into words by Intl.Segmenter.
 */

const RAW_TOKEN = /[\p{L}\p{N}\p{M}]+/gu;
const CJK_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u30FC]+/gu;
const HAS_CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const MARKS = /\p{M}+/gu;
/** Longer runs are not words anyone searches for (and PostgreSQL refuses lexemes over 2 kB). */
const MAX_TOKEN = 100;

const segmenter = new Intl.Segmenter('ja', { granularity: 'word' });
/**
 * ICU's dictionary segmenter slows down faster than the text grows on long unbroken runs, so runs
 * are cut into pieces this long first (real sentences end long before; a word cut in two at a
 * piece's edge is the price of staying linear).
 */
const SEGMENT_PIECE = 200;

function normalise(raw: string): string {
  return raw.normalize('NFKD').replace(MARKS, '').toLowerCase();
}

function push(tokens: string[], raw: string) {
  const token = normalise(raw);
  if (token !== '' && token.length <= MAX_TOKEN) tokens.push(token);
}

/** The search tokens of plain text, in order. Linear in the text. */
export function searchTokens(text: string): string[] {
  const tokens: string[] = [];
  for (const [raw] of text.matchAll(RAW_TOKEN)) {
    if (!HAS_CJK.test(raw)) {
      push(tokens, raw);
      continue;
    }
    // Cut CJK runs into words; what lies between them (Latin letters, digits) stays whole.
    let last = 0;
    for (const run of raw.matchAll(CJK_RUN)) {
      if (run.index > last) push(tokens, raw.slice(last, run.index));
      for (let at = 0; at < run[0].length; at += SEGMENT_PIECE) {
        for (const segment of segmenter.segment(run[0].slice(at, at + SEGMENT_PIECE)))
          if (segment.isWordLike) push(tokens, segment.segment);
      }
      last = run.index + run[0].length;
    }
    if (last < raw.length) push(tokens, raw.slice(last));
  }
  return tokens;
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Stored (sanitised) HTML as the text a reader sees: tags become spaces, entities their characters. */
export function htmlToText(html: string): string {
  // `<[^<>]*>` rather than `<[^>]*>`: a run of unclosed `<` would make the latter quadratic.
  return html.replace(/<[^<>]*>/g, ' ').replace(/&(#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,8});/gi, (entity, name: string) => {
    if (name[0] !== '#') return NAMED[name.toLowerCase()] ?? entity;
    const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ' ';
  });
}
