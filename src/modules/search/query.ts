import { badRequest } from '../../kernel/errors.ts';
import { searchTokens } from '../../kernel/text/search-text.ts';

/** A word (one token) or an exact phrase (several, in order). */
export type Term = string[];
/**
 * A search as our own parser reads it, the same for both databases: every group must match (each
 * group is one term or several joined by OR), no excluded term may match anywhere in the story,
 * and the field operators become filters.
 */
export type SearchQuery = {
  groups: Term[][];
  excluded: Term[];
  authors: string[];
  tags: string[];
  excludedTags: string[];
  wordsFrom: number | null;
  wordsTo: number | null;
  kudosFrom: number | null;
  viewsFrom: number | null;
  updatedWithinDays: number | null;
  sort: 'relevance' | 'updated' | 'published' | 'words' | 'kudos' | 'views' | null;
};

export const MAX_QUERY_LENGTH = 1000;
export const MAX_TERMS = 32;

const SORTS = ['relevance', 'updated', 'published', 'words', 'kudos', 'views'] as const;
const DAYS = { d: 1, w: 7, m: 30, y: 365 } as const;

/** One piece of the query as typed: a word or "phrase", maybe negated, maybe `field:value`. */
type Piece = { negated: boolean; field: string | null; value: string; quoted: boolean; or: boolean };

/** Splits the query into pieces in one pass. An unclosed quote runs to the end, as if closed. */
function pieces(query: string): Piece[] {
  const found: Piece[] = [];
  let i = 0;
  while (i < query.length) {
    while (i < query.length && /\s/.test(query[i] ?? '')) i++;
    if (i >= query.length) break;
    let negated = false;
    if (query[i] === '-' && i + 1 < query.length && !/\s/.test(query[i + 1] ?? '')) {
      negated = true;
      i++;
    }
    let field: string | null = null;
    const fieldMatch = /^([a-z]+)(:|>=|<=|>|<)/i.exec(query.slice(i, i + 12));
    if (fieldMatch?.[1] && ['author', 'tag', 'sort', 'words', 'kudos', 'views', 'updated'].includes(fieldMatch[1].toLowerCase())) {
      field = `${fieldMatch[1].toLowerCase()}${fieldMatch[2] === ':' ? '' : fieldMatch[2]}`;
      i += fieldMatch[0].length;
    }
    let value: string;
    let quoted = false;
    if (query[i] === '"') {
      const close = query.indexOf('"', i + 1);
      value = query.slice(i + 1, close === -1 ? query.length : close);
      i = close === -1 ? query.length : close + 1;
      quoted = true;
    } else {
      const start = i;
      while (i < query.length && !/\s/.test(query[i] ?? '')) i++;
      value = query.slice(start, i);
    }
    found.push({ negated, field, value, quoted, or: !quoted && field === null && !negated && value === 'OR' });
  }
  return found;
}

function count(value: string, what: string): number {
  const n = /^\d{1,9}$/.test(value.replaceAll(',', '')) ? Number(value.replaceAll(',', '')) : Number.NaN;
  if (Number.isNaN(n)) throw badRequest(`${what} needs a whole number, such as words>5000.`);
  return n;
}

/**
 * Reads a search: words, "exact phrases", -excluded, OR between two terms, and the operators
 * author:, tag:, words>N, words<N, kudos>N, updated<30d (d, w, m or y) and sort:. Anything else is text; a
 * query it cannot use (too long, too many words, nothing to look for) is a 400 with a sentence.
 */
export function parseSearch(query: string): SearchQuery {
  if (query.length > MAX_QUERY_LENGTH) throw badRequest(`A search can be at most ${MAX_QUERY_LENGTH} characters long.`);
  const parsed: SearchQuery = {
    groups: [],
    excluded: [],
    authors: [],
    tags: [],
    excludedTags: [],
    wordsFrom: null,
    wordsTo: null,
    kudosFrom: null,
    viewsFrom: null,
    updatedWithinDays: null,
    sort: null,
  };
  let joinNext = false;
  let terms = 0;
  for (const piece of pieces(query)) {
    if (piece.or) {
      joinNext = parsed.groups.length > 0;
      continue;
    }
    const value = piece.value.trim();
    switch (piece.field) {
      case 'author':
        if (value) parsed.authors.push(value.toLowerCase());
        break;
      case 'tag':
        if (value) (piece.negated ? parsed.excludedTags : parsed.tags).push(value.replace(/\s+/g, ' ').toLowerCase());
        break;
      case 'sort': {
        const sort = SORTS.find((each) => each === value.toLowerCase());
        if (!sort) throw badRequest(`sort: can be ${SORTS.join(', ')}.`);
        parsed.sort = sort;
        break;
      }
      case 'words>':
      case 'words>=':
        parsed.wordsFrom = count(value, 'words>') + (piece.field === 'words>' ? 1 : 0);
        break;
      case 'words<':
      case 'words<=':
        parsed.wordsTo = Math.max(0, count(value, 'words<') - (piece.field === 'words<' ? 1 : 0));
        break;
      case 'kudos>':
      case 'kudos>=':
        parsed.kudosFrom = count(value, 'kudos>') + (piece.field === 'kudos>' ? 1 : 0);
        break;
      case 'views>':
      case 'views>=':
        parsed.viewsFrom = count(value, 'views>') + (piece.field === 'views>' ? 1 : 0);
        break;
      case 'updated<':
      case 'updated<=': {
        const match = /^(\d{1,5})([dwmy])$/i.exec(value);
        if (!match) throw badRequest('updated< needs a number of days, weeks, months or years, such as updated<30d or updated<2w.');
        parsed.updatedWithinDays = Number(match[1]) * DAYS[(match[2] ?? 'd').toLowerCase() as keyof typeof DAYS];
        break;
      }
      case null: {
        const term = searchTokens(value);
        if (term.length === 0) break;
        terms += term.length;
        if (terms > MAX_TERMS) throw badRequest(`Search for at most ${MAX_TERMS} words at a time.`);
        if (piece.negated) parsed.excluded.push(term);
        else if (joinNext) parsed.groups.at(-1)?.push(term);
        else parsed.groups.push([term]);
        break;
      }
      default:
        throw badRequest(`${piece.field} is not something a search can compare; try words> or updated<.`);
    }
    joinNext = false;
  }
  const narrows =
    parsed.authors.length + parsed.tags.length + parsed.excludedTags.length > 0 ||
    parsed.wordsFrom !== null ||
    parsed.wordsTo !== null ||
    parsed.kudosFrom !== null ||
    parsed.viewsFrom !== null ||
    parsed.updatedWithinDays !== null;
  if (parsed.groups.length === 0 && !narrows) {
    throw badRequest(
      parsed.excluded.length > 0
        ? 'A search cannot only leave words out: add a word to look for, or a tag: or author:.'
        : 'Type a word to search for.',
    );
  }
  return parsed;
}

/** The text part as an FTS5 query: every token double-quoted, so no FTS syntax a reader types is ever read as syntax. */
export function fts5Query(groups: Term[][]): string {
  return groups.map((group) => `(${group.map((term) => `"${term.join(' ')}"`).join(' OR ')})`).join(' AND ');
}

/** The same as a PostgreSQL tsquery literal: tokens are letters and digits only, so quoting them is enough. */
export function tsQuery(groups: Term[][]): string {
  return groups.map((group) => `(${group.map((term) => term.map((token) => `'${token}'`).join(' <-> ')).join(' | ')})`).join(' & ');
}

/** Every token the text part looks for, to mark in snippets. */
export const searchedTokens = (query: SearchQuery) => new Set(query.groups.flat(2));
