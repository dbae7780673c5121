import { keysetPage, type PageAt } from '../../db/pagination.ts';
import type { Db, NewStory, StoryUpdate } from '../../db/schema.ts';

const AUTHOR_NAMES = ['users.username as author_username', 'users.display_name as author_display_name'] as const;

/** What a story card shows; lists skip the long description columns. */
const CARD_COLUMNS = [
  'stories.id',
  'stories.author_id',
  'stories.title',
  'stories.slug',
  'stories.summary',
  'stories.original_author',
  'stories.cover_key',
  'stories.cover_width',
  'stories.cover_height',
  'stories.rating',
  'stories.status',
  'stories.word_count',
  'stories.chapter_count',
  'stories.updated_at',
  'stories.published_at',
] as const;

function storiesWithAuthor(db: Db) {
  return db.selectFrom('stories').innerJoin('users', 'users.id', 'stories.author_id');
}

/** A whole story with its author's names, for its own page and its editor. */
export async function findStory(db: Db, id: number) {
  return storiesWithAuthor(db).selectAll('stories').select(AUTHOR_NAMES).where('stories.id', '=', id).executeTakeFirst();
}
export type StoryWithAuthor = NonNullable<Awaited<ReturnType<typeof findStory>>>;

/** Who may see the story a cover belongs to. */
export async function findStoryByCover(db: Db, coverKey: string) {
  return db.selectFrom('stories').select(['id', 'author_id', 'published_at']).where('cover_key', '=', coverKey).executeTakeFirst();
}

function storyCards(db: Db) {
  return storiesWithAuthor(db).select(CARD_COLUMNS).select(AUTHOR_NAMES);
}
export type StoryCardRow = Awaited<ReturnType<typeof listRecentlyUpdated>>[number];

export async function listRecentlyUpdated(db: Db, at: PageAt, limit: number) {
  const query = storyCards(db).where('stories.published_at', 'is not', null);
  return keysetPage(query, { sort: 'stories.updated_at', id: 'stories.id' }, at, limit).execute();
}

export async function listByAuthor(db: Db, authorId: number, includeDrafts: boolean, at: PageAt, limit: number) {
  let query = storyCards(db).where('stories.author_id', '=', authorId);
  if (!includeDrafts) query = query.where('stories.published_at', 'is not', null);
  return keysetPage(query, { sort: 'stories.updated_at', id: 'stories.id' }, at, limit).execute();
}

export async function storyIdsByAuthor(db: Db, authorId: number): Promise<number[]> {
  return (await db.selectFrom('stories').select('id').where('author_id', '=', authorId).execute()).map((row) => row.id);
}

/** A cover kept for its uploader's next submit of a failed form. */
export async function insertPendingCover(db: Db, userId: number, cover: { key: string; width: number; height: number }, now: number) {
  await db
    .insertInto('pending_covers')
    .values({ ...cover, user_id: userId, created_at: now })
    .execute();
}

export async function findPendingCover(db: Db, userId: number, key: string) {
  return db
    .selectFrom('pending_covers')
    .select(['key', 'width', 'height'])
    .where('key', '=', key)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

/** Called in the transaction that gives the cover to a story: it is no longer pending. */
export async function claimPendingCover(db: Db, key: string) {
  await db.deleteFrom('pending_covers').where('key', '=', key).execute();
}

/** Pending covers older than `before`, removed from the table; their files are the caller's to remove. */
export async function takeStalePendingCovers(db: Db, before: number): Promise<string[]> {
  const rows = await db.deleteFrom('pending_covers').where('created_at', '<', before).returning('key').execute();
  return rows.map((row) => row.key);
}

export async function insertStory(db: Db, story: NewStory) {
  return db.insertInto('stories').values(story).returning('id').executeTakeFirstOrThrow();
}

export async function updateStory(db: Db, id: number, changes: StoryUpdate) {
  await db.updateTable('stories').set(changes).where('id', '=', id).execute();
}

export async function deleteStory(db: Db, id: number) {
  await db.deleteFrom('stories').where('id', '=', id).execute();
}

/** Recomputes the cached counts from the published chapters; the first publication publishes the story. */
export async function refreshStoryCounts(db: Db, storyId: number, now: number, bumpUpdated: boolean) {
  const totals = await db
    .selectFrom('chapters')
    .select((eb) => [eb.fn.countAll<number>().as('chapters'), eb.fn.sum<number>('word_count').as('words')])
    .where('story_id', '=', storyId)
    .where('published_at', 'is not', null)
    .executeTakeFirstOrThrow();
  const chapters = Number(totals.chapters);
  await db
    .updateTable('stories')
    .set((eb) => ({
      chapter_count: chapters,
      word_count: Number(totals.words ?? 0),
      published_at: chapters > 0 ? eb.fn.coalesce('published_at', eb.val(now)) : null,
      ...(bumpUpdated ? { updated_at: now } : {}),
    }))
    .where('id', '=', storyId)
    .execute();
}
