import { z } from 'zod';
import type { Rating } from '../../kernel/db/schema.ts';
import { CATEGORIES, WARNINGS } from '../../kernel/db/tag-types.ts';
import { LANGUAGES, RATINGS } from './stories.schema.ts';

/** How a list is ordered; each is a numeric column, so keyset cursors work on all of them. */
export const SORTS = [
  { value: 'updated', label: 'Recently updated' },
  { value: 'published', label: 'Recently published' },
  { value: 'words', label: 'Longest' },
  { value: 'kudos', label: 'Most kudos' },
  { value: 'views', label: 'Most views' },
  { value: 'title', label: 'Title, A to Z' },
] as const;
/** Searches may also sort by how well a story matches (the default there). */
export const SEARCH_SORTS = [{ value: 'relevance', label: 'Best match' }, ...SORTS] as const;
export type Sort = (typeof SEARCH_SORTS)[number]['value'];

/** What a reader narrows a list by; every field lives in the URL (a plain GET form). */
export type Filters = {
  /** A tag page's own tag (by id, from the address, not the query). */
  tagId: number | null;
  include: string[];
  exclude: string[];
  ratings: Rating[];
  warnings: string[];
  categories: string[];
  complete: 'any' | 'complete' | 'in-progress';
  wordsFrom: number | null;
  wordsTo: number | null;
  /** Updated within this many days. */
  updatedWithin: number | null;
  /** A language code from LANGUAGES, or null for any. */
  language: string | null;
  /** Stories with two or more fandoms: shown among the rest, left out, or alone. */
  crossovers: 'include' | 'exclude' | 'only';
  sort: Sort;
  /** `updatedWithin` as a time (epoch ms), set by the service from its clock; not in the URL. */
  updatedSince?: number | null;
  /**
   * The filter-set tag ids each included name (and a tag page's tag) stands for, with how many
   * stories hold them, and those of every excluded name, looked up by the service (a synonym
   * stands for its canonical tag); not in the URL.
   */
  tagIds?: { include: TagSet[]; exclude: number[] };
  /** A shelf's stories only (its page and feed); not in the URL. */
  shelfId?: number | null;
  /** A search's `kudos>N`: at least this many kudos; not in the URL. */
  kudosFrom?: number | null;
  /** A search's `views>N`: at least this many views; not in the URL. */
  viewsFrom?: number | null;
  /** A search's `author:` names (lower-cased usernames); none outside search. */
  authors?: string[];
  /** A search's text, as the search feature matched it; not in the URL. */
  text?: TextMatch | null;
};

/** Tags a story must hold one of, and how many stories hold them (counted up to a bound): small sets are read from the tag's side. */
export type TagSet = { ids: number[]; stories: number };

/**
 * The stories whose published text matches a search, as the search engine found them: `matches`,
 * each story's best chapter and score, best first (the list query joins them); `excluded`, the
 * stories an excluded word appears in. Plain ids and numbers: any engine can produce them.
 */
/** A story's best chapter for a search and its score (a whole number, higher is better), best first. */
export type Match = { storyId: number; chapterId: number; score: number };

export type TextMatch = {
  /** Null when the search has no words to match (only excluded ones). */
  matches: Match[] | null;
  /** Stories an excluded word appears in; null when nothing is excluded. */
  excluded: number[] | null;
  /** More matched than the engine ranks or keeps: counts are lower bounds. */
  capped: boolean;
  /** The engine can only approximate some of this query (phrases in long chapters): counts are "about". */
  approximate: boolean;
};

/** The "updated within" choices, in days. */
export const UPDATED_WITHIN = [
  { value: 7, label: 'the last week' },
  { value: 30, label: 'the last month' },
  { value: 365, label: 'the last year' },
] as const;

export const NO_FILTERS: Filters = {
  tagId: null,
  include: [],
  exclude: [],
  ratings: [],
  warnings: [],
  categories: [],
  complete: 'any',
  wordsFrom: null,
  wordsTo: null,
  updatedWithin: null,
  language: null,
  crossovers: 'include',
  sort: 'updated',
};

/** A query value sent once or several times (check boxes), as a list of non-empty strings. */
const many = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]).map((item) => item.trim()).filter(Boolean));

/** Tag names typed comma-separated, at most 20 of them, each at most 100 characters. */
const tagNames = z
  .string()
  .optional()
  .transform((value) =>
    [...new Set((value ?? '').split(',').map((name) => name.replace(/\s+/g, ' ').trim().toLowerCase()))]
      .filter((name) => name !== '' && name.length <= 100)
      .slice(0, 20),
  );

const count = z
  .string()
  .optional()
  .transform((value) => (value && /^\d{1,9}$/.test(value.replaceAll(',', '')) ? Number(value.replaceAll(',', '')) : null));

const FilterQuery = z.object({
  include: tagNames,
  exclude: tagNames,
  rating: many,
  warning: many,
  category: many,
  complete: z.enum(['any', 'complete', 'in-progress']).catch('any').default('any'),
  words_from: count,
  words_to: count,
  updated_within: count,
  language: z.string().optional(),
  crossovers: z.enum(['include', 'exclude', 'only']).catch('include').default('include'),
  sort: z.enum(['relevance', 'updated', 'published', 'words', 'kudos', 'views', 'title']).catch('updated').default('updated'),
});

/** The query parameters filters are read from. */
export const FILTER_PARAMS = Object.keys(FilterQuery.shape);

/**
 * The filters in a list's query string. Like a garbled cursor, anything unreadable is left out
 * rather than failing the page: a shared link with a typo still shows stories.
 */
export function parseFilters(query: unknown): Filters {
  const parsed = FilterQuery.safeParse(query ?? {});
  if (!parsed.success) return NO_FILTERS;
  const q = parsed.data;
  const ratings = RATINGS.map((r) => r.value).filter((value) => q.rating.includes(value));
  return {
    tagId: null,
    include: q.include,
    exclude: q.exclude,
    ratings,
    warnings: WARNINGS.filter((name) => q.warning.includes(name)),
    categories: CATEGORIES.filter((name) => q.category.includes(name)),
    complete: q.complete,
    wordsFrom: q.words_from,
    wordsTo: q.words_to,
    updatedWithin: UPDATED_WITHIN.some((choice) => choice.value === q.updated_within) ? q.updated_within : null,
    language: LANGUAGES.find((language) => language.value === q.language)?.value ?? null,
    crossovers: q.crossovers,
    sort: q.sort,
  };
}

/** Filters from a stored query string (a reader's default filter), read as a list's address would be. */
export function parseFilterQuery(query: string): Filters {
  const values: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(query)) {
    const seen = values[key];
    values[key] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return parseFilters(values);
}

/** The query string for these filters (without a cursor); '' when there are none. */
export function filterQuery(filters: Filters): string {
  const params = new URLSearchParams();
  if (filters.include.length) params.set('include', filters.include.join(', '));
  if (filters.exclude.length) params.set('exclude', filters.exclude.join(', '));
  for (const rating of filters.ratings) params.append('rating', rating);
  for (const warning of filters.warnings) params.append('warning', warning);
  for (const category of filters.categories) params.append('category', category);
  if (filters.complete !== 'any') params.set('complete', filters.complete);
  if (filters.wordsFrom !== null) params.set('words_from', String(filters.wordsFrom));
  if (filters.wordsTo !== null) params.set('words_to', String(filters.wordsTo));
  if (filters.updatedWithin !== null) params.set('updated_within', String(filters.updatedWithin));
  if (filters.language !== null) params.set('language', filters.language);
  if (filters.crossovers !== 'include') params.set('crossovers', filters.crossovers);
  if (filters.sort !== 'updated') params.set('sort', filters.sort);
  return params.toString();
}

export const isFiltered = (filters: Filters) => filterQuery({ ...filters, sort: 'updated' }) !== '';

/**
 * The filters a list shows: the address's, or, when it names none (and is not `?all=1`), the
 * reader's default filter (`usingDefault`), on every list that reader sees.
 */
export function listFilters(
  query: Record<string, unknown>,
  defaultFilter: string | undefined,
): { filters: Filters; usingDefault: boolean } {
  const asked = parseFilters(query);
  const usingDefault = Boolean(defaultFilter) && filterQuery(asked) === '' && query.sort === undefined && query.all === undefined;
  return { filters: usingDefault ? parseFilterQuery(defaultFilter ?? '') : asked, usingDefault };
}
