import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { dialectOf } from '../../db/database.ts';
import type { Db } from '../../db/schema.ts';
import { htmlToText, searchTokens } from '../../text/search-text.ts';

/** One published chapter's searchable tokens, as the index holds them, and a digest of them. */
export type IndexRow = { chapterId: number; meta: string[]; title: string[]; body: string[]; digest: string };

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
  const postgres = dialectOf(db) === 'postgres';
  const only = chapterIds ?? null;
  if (only !== null && only.length === 0) return;
  if (postgres) {
    let removal = db.deleteFrom('chapter_search' as never).where('story_id' as never, '=', storyId as never);
    if (only) removal = removal.where('chapter_id' as never, 'in', only as never);
    await removal.execute();
  } else {
    const ids = only ? sql.join(only.map((id) => sql`${id}`)) : sql`select id from chapters where story_id = ${storyId}`;
    await sql`delete from chapter_search where rowid in (${ids})`.execute(db);
  }
  let digests = db.deleteFrom('chapter_search_digests').where('story_id', '=', storyId);
  if (only) digests = digests.where('chapter_id', 'in', only);
  await digests.execute();
  const rows = await indexRows(db, storyId, only ?? undefined);
  for (const { chapterId, meta, title, body } of rows) {
    if (postgres) {
      const document = tsvectorLiteral([
        [meta, 'B'],
        [title, 'A'],
        [body, 'D'],
      ]);
      await sql`insert into chapter_search (chapter_id, story_id, document) values (${chapterId}, ${storyId}, ${document}::tsvector)`.execute(
        db,
      );
    } else {
      await sql`insert into chapter_search (rowid, meta, title, body) values (${chapterId}, ${meta.join(' ')}, ${title.join(' ')}, ${body.join(' ')})`.execute(
        db,
      );
    }
  }
  if (rows.length > 0) {
    await db
      .insertInto('chapter_search_digests')
      .values(rows.map((row) => ({ chapter_id: row.chapterId, story_id: storyId, digest: row.digest })))
      .execute();
  }
}

/** PostgreSQL keeps positions up to 16383, 256 per word, and a tsvector under 1 MB; past those it refuses. */
const MAX_POSITION = 16383;
const MAX_POSITIONS_PER_WORD = 256;
const MAX_DOCUMENT_BYTES = 900_000;

/**
 * A tsvector literal of our tokens (letters and digits only, so single quotes are quoting enough),
 * columns weighted and kept ten positions apart so a phrase never spans two. Positions past
 * PostgreSQL's last are clamped to it, as to_tsvector does: every word stays findable.
 */
function tsvectorLiteral(columns: [string[], 'A' | 'B' | 'D'][]): string {
  const positions = new Map<string, string[]>();
  let bytes = 0;
  let position = 0;
  for (const [tokens, weight] of columns) {
    for (const token of tokens) {
      position = Math.min(position + 1, MAX_POSITION);
      const seen = positions.get(token);
      // A position costs two bytes, a new word its length and a few more.
      const cost = seen ? 2 : Buffer.byteLength(token) + 8;
      if ((seen && seen.length >= MAX_POSITIONS_PER_WORD) || bytes + cost > MAX_DOCUMENT_BYTES) continue;
      bytes += cost;
      if (seen) seen.push(`${position}${weight}`);
      else positions.set(token, [`${position}${weight}`]);
    }
    position = Math.min(position + 10, MAX_POSITION);
  }
  return [...positions].map(([token, at]) => `'${token}':${at.join(',')}`).join(' ');
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
