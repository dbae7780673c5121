import { createHash } from 'node:crypto';
import type { Db } from '../../kernel/db/schema.ts';
import { htmlToText, searchTokens } from '../../kernel/text/search-text.ts';
import { engineFor, type IndexedChapter } from './engine.ts';

/** One published chapter's searchable tokens, as the index holds them, and a digest of them. */
export type IndexRow = IndexedChapter & { digest: string };

/**
 * What the index should hold for a story, computed from its source: one row per published chapter,
 * the story's searchable words (title, summary, description, tags, author names), the chapter's
 * title, then its text and notes. `chapterIds` limits it to those chapters. `oak check` compares
 * these digests with the ones written beside the index.
 */
export async function indexRows(db: Db, storyId: number, chapterIds?: number[]): Promise<IndexRow[]> {
  const story = await db
    .selectFrom('stories')
    .innerJoin('users', 'users.id', 'stories.author_id')
    .select([
      'stories.title',
      'stories.summary',
      'stories.description_html',
      'stories.original_author',
      'users.username',
      'users.display_name',
    ])
    .where('stories.id', '=', storyId)
    .executeTakeFirst();
  if (!story) return [];
  let chapters = db
    .selectFrom('chapters')
    .select(['id', 'title', 'body_html', 'note_before_html', 'note_after_html'])
    .where('story_id', '=', storyId)
    .where('published_at', 'is not', null);
  if (chapterIds) chapters = chapters.where('id', 'in', chapterIds);
  const rows = await chapters.execute();
  if (rows.length === 0) return [];
  const tags = await db
    .selectFrom('story_tags')
    .innerJoin('tags', 'tags.id', 'story_tags.tag_id')
    .select('tags.name')
    .where('story_tags.story_id', '=', storyId)
    .execute();
  const meta = searchTokens(
    [
      story.title,
      story.summary,
      htmlToText(story.description_html),
      ...tags.map((tag) => tag.name),
      story.username,
      story.display_name,
      story.original_author,
    ].join('\n'),
  );
  return rows.map((chapter) => {
    const title = searchTokens(chapter.title);
    const body = searchTokens(htmlToText(`${chapter.note_before_html}\n${chapter.body_html}\n${chapter.note_after_html}`));
    const digest = createHash('sha256')
      .update(`${meta.join(' ')}\n${title.join(' ')}\n${body.join(' ')}`)
      .digest('base64url');
    return { chapterId: chapter.id, meta, title, body, digest };
  });
}

/**
 * Keeps the search index in step with the published text. Called only by the search index's
 * subscriber (search.subscriber.ts), in the transaction of the write whose events asked for it, so
 * a search never finds a draft, text that has changed, or a name the story no longer carries.
 * `chapterIds` limits the work to those chapters (a chapter edit); without it, the whole story.
 */
export async function indexStory(db: Db, storyId: number, chapterIds?: number[]) {
  const only = chapterIds ?? null;
  if (only !== null && only.length === 0) return;
  let digests = db.deleteFrom('chapter_search_digests').where('story_id', '=', storyId);
  if (only) digests = digests.where('chapter_id', 'in', only);
  await digests.execute();
  const rows = await indexRows(db, storyId, only ?? undefined);
  await engineFor(db).index(db, storyId, rows, only);
  if (rows.length > 0) {
    await db
      .insertInto('chapter_search_digests')
      .values(rows.map((row) => ({ chapter_id: row.chapterId, story_id: storyId, digest: row.digest })))
      .execute();
  }
}

/** Indexes every published story from scratch (the migration that added digests; restore; migrate-to-postgres). */
export async function reindexAll(db: Db) {
  for (let after = 0; ; ) {
    const ids = (
      await db
        .selectFrom('stories')
        .select('id')
        .where('published_at', 'is not', null)
        .where('id', '>', after)
        .orderBy('id')
        .limit(500)
        .execute()
    ).map((row) => row.id);
    for (const id of ids) await indexStory(db, id);
    if (ids.length < 500) return;
    after = ids.at(-1) ?? after;
  }
}
