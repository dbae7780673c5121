import type { Context } from '../../kernel/context.ts';
import { FIRST_PAGE } from '../../kernel/db/pagination.ts';
import { AppError, notFound } from '../../kernel/errors.ts';
import { cleanText } from '../../kernel/text/clean.ts';
import { keyedHash, sameToken } from '../../kernel/web/keyed-hash.ts';
import { FormError } from '../../kernel/web/validation.ts';
import type { Viewer } from '../../kernel/web/viewer.ts';
import { findUserById } from '../accounts/accounts.service.ts';
import { parseSearch } from '../search/query.ts';
import { search } from '../search/search.service.ts';
import { filterQuery, parseFilterQuery } from '../stories/filters.ts';
import { listStories } from '../stories/stories.service.ts';
import * as saved from './saved-searches.repository.ts';
import { MAX_SAVED_SEARCHES, type SavedSearchInput } from './saved-searches.schema.ts';

type SavedSearch = { id: number; created_at: number };

/**
 * The secret in a saved search's feed address: derived from the archive's secret, so nothing is
 * stored that could leak, and it ends with the search (deleting it revokes the feed).
 */
export function feedToken(ctx: Context, search: SavedSearch): string {
  return keyedHash(ctx.config.sessionSecret, 'saved-search', `${search.id}:${search.created_at}`);
}

export const feedPath = (ctx: Context, search: SavedSearch) => `/searches/${search.id}/feed.atom?token=${feedToken(ctx, search)}`;

/** Where a saved search is read: the search page when it has words, else the home page's filtered list. */
export const savedSearchPath = (query: string) => (new URLSearchParams(query).has('q') ? `/search?${query}` : `/?${query}`);

/** The search's words and filters as one normalised query string; words the parser refuses are a form error. */
function normalise(query: string): { q: string; query: string } {
  const q = cleanText(new URLSearchParams(query).get('q') ?? '').trim();
  if (q) {
    try {
      parseSearch(q);
    } catch (error) {
      if (error instanceof AppError && error.status === 400) throw new FormError({ query: error.message });
      throw error;
    }
  }
  const filters = filterQuery(parseFilterQuery(query));
  return { q, query: [q ? `q=${encodeURIComponent(q)}` : '', filters].filter(Boolean).join('&') };
}

export async function savedSearchesOf(ctx: Context, viewer: Viewer) {
  return (await saved.listSavedSearches(ctx.db, viewer.id)).map((row) => ({
    ...row,
    feed: feedPath(ctx, row),
    path: savedSearchPath(row.query),
  }));
}

export async function saveSearch(ctx: Context, viewer: Viewer, input: SavedSearchInput): Promise<number> {
  const { query } = normalise(input.query);
  if (!query) throw new FormError({ query: 'There is nothing to save: search for something, or filter a list, first.' });
  if ((await saved.countSavedSearches(ctx.db, viewer.id)) >= MAX_SAVED_SEARCHES) {
    throw new FormError({ name: `You can keep ${MAX_SAVED_SEARCHES} saved searches; delete one first.` });
  }
  const { id } = await saved.insertSavedSearch(ctx.db, { user_id: viewer.id, name: input.name, query, created_at: ctx.clock.now() });
  return id;
}

export async function deleteSearch(ctx: Context, viewer: Viewer, id: number) {
  if (!(await saved.deleteSavedSearch(ctx.db, id, viewer.id))) throw notFound('Saved search');
}

/**
 * A saved search's newest matches for its feed, as its owner would see them: their mute list
 * applied. The token must be the search's own; a wrong or missing one is a 404, like a wrong id.
 */
export async function savedSearchFeed(ctx: Context, id: number, token: unknown) {
  const found = await saved.findSavedSearch(ctx.db, id);
  if (!found || !sameToken(token, feedToken(ctx, found))) throw notFound('Saved search');
  const owner = await findUserById(ctx.db, found.user_id);
  if (!owner) throw notFound('Saved search');
  const reader: Viewer = { id: owner.id, username: owner.username, displayName: owner.display_name, role: owner.role, muting: true };
  const { q } = normalise(found.query);
  // A feed shows what is new, whatever order the search page uses.
  const filters = { ...parseFilterQuery(found.query), sort: 'updated' as const };
  const list = q
    ? (await search(ctx, reader, parseSearch(q), filters, FIRST_PAGE)).list
    : await listStories(ctx, reader, filters, FIRST_PAGE);
  return { search: found, path: savedSearchPath(found.query), stories: list.items };
}
