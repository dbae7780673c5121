import type { Context } from '../../kernel/context.ts';
import type { PageAt } from '../../kernel/db/pagination.ts';
import type { SafeHtml } from '../../kernel/text/render.ts';
import { htmlToText } from '../../kernel/text/search-text.ts';
import { snippet } from '../../kernel/text/snippet.ts';
import type { Viewer } from '../../kernel/web/viewer.ts';
import type { Filters } from '../stories/filters.ts';
import { type ListedStories, listStories } from '../stories/stories.service.ts';
import { engineFor } from './engine.ts';
import { type SearchQuery, searchedTokens } from './query.ts';
import { matchedChapters } from './search.repository.ts';

/** Where a result's text matched: its chapter, and a passage with the words marked. */
export type Snippet = { chapterId: number; chapterTitle: string; html: SafeHtml | null; word: string | null };

export type SearchResults = { list: ListedStories; snippets: Map<number, Snippet>; query: SearchQuery };

/**
 * A search: the query's words matched against published text, its operators turned into filters on
 * top of the form's, the reader's mute list applied in the same query; then a snippet from the best
 * chapter of each story on the page.
 */
export async function search(
  ctx: Context,
  viewer: Viewer | null,
  query: SearchQuery,
  given: Filters,
  at: PageAt,
  showMuted = false,
): Promise<SearchResults> {
  const filters: Filters = {
    ...given,
    include: [...new Set([...given.include, ...query.tags])],
    exclude: [...new Set([...given.exclude, ...query.excludedTags])],
    wordsFrom: query.wordsFrom ?? given.wordsFrom,
    wordsTo: query.wordsTo ?? given.wordsTo,
    updatedWithin: query.updatedWithinDays ?? given.updatedWithin,
    kudosFrom: query.kudosFrom,
    viewsFrom: query.viewsFrom,
    authors: query.authors,
    sort: query.sort ?? given.sort,
    text: await engineFor(ctx.db).match(ctx.db, query.groups, query.excluded),
  };
  const list = await listStories(ctx, viewer, filters, at, { showMuted });
  return { list, snippets: await snippets(ctx, list, searchedTokens(query)), query };
}

async function snippets(ctx: Context, list: ListedStories, tokens: ReadonlySet<string>): Promise<Map<number, Snippet>> {
  const ids = list.items.map((story) => story.match_chapter_id).filter((id): id is number => typeof id === 'number');
  const found = new Map<number, Snippet>();
  for (const chapter of await matchedChapters(ctx.db, ids)) {
    const text = htmlToText(`${chapter.note_before_html}\n${chapter.body_html}\n${chapter.note_after_html}`);
    const passage = snippet(text, tokens);
    found.set(chapter.story_id, {
      chapterId: chapter.id,
      chapterTitle: chapter.title,
      html: passage?.html ?? null,
      word: passage?.word ?? null,
    });
  }
  return found;
}
