import { keysetPage, type PageAt } from '../../kernel/db/pagination.ts';
import type { Db, TextFormat } from '../../kernel/db/schema.ts';

const COMMENT_COLUMNS = [
  'comments.id',
  'comments.story_id',
  'comments.chapter_id',
  'comments.author_id',
  'comments.parent_id',
  'comments.thread_id',
  'comments.format',
  'comments.body_source',
  'comments.body_html',
  'comments.created_at',
  'comments.edited_at',
  'comments.deleted_at',
  'comments.hidden_at',
  'comments.hidden_reason',
  'users.username as author_username',
  'users.display_name as author_display_name',
] as const;

function withAuthors(db: Db) {
  return db.selectFrom('comments').innerJoin('users', 'users.id', 'comments.author_id').select(COMMENT_COLUMNS);
}
export type CommentRow = Awaited<ReturnType<typeof findComment>> & {};

export async function findComment(db: Db, id: number) {
  return withAuthors(db).where('comments.id', '=', id).executeTakeFirst();
}

/** A page of a chapter's threads, oldest first (their top comments), a keyset page at a time. */
export async function threadPage(db: Db, chapterId: number, at: PageAt, limit: number) {
  const query = withAuthors(db).where('comments.chapter_id', '=', chapterId).where('comments.parent_id', 'is', null);
  return keysetPage(query, { sort: 'comments.id', id: 'comments.id', ascending: true }, at, limit).execute();
}

/** How many threads of the chapter come before this one (counted no further than `upTo`). */
export async function threadsBefore(db: Db, chapterId: number, threadId: number, upTo: number): Promise<number> {
  const earlier = db
    .selectFrom('comments')
    .select('id')
    .where('chapter_id', '=', chapterId)
    .where('parent_id', 'is', null)
    .where('id', '<', threadId)
    .limit(upTo);
  const row = await db
    .selectFrom(earlier.as('earlier'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Every reply in these threads, oldest first. */
export async function repliesIn(db: Db, chapterId: number, threadIds: number[]) {
  if (threadIds.length === 0) return [];
  return withAuthors(db)
    .where('comments.chapter_id', '=', chapterId)
    .where('comments.thread_id', 'in', threadIds)
    .where('comments.parent_id', 'is not', null)
    .orderBy('comments.id')
    .execute();
}

/** A commenter's comments that still stand, on published chapters, newest first. */
export async function commentsBy(db: Db, authorId: number, at: PageAt, limit: number) {
  const query = withAuthors(db)
    .innerJoin('chapters', 'chapters.id', 'comments.chapter_id')
    .innerJoin('stories', 'stories.id', 'comments.story_id')
    .select(['chapters.title as chapter_title', 'stories.title as story_title', 'stories.slug as story_slug'])
    .where('comments.author_id', '=', authorId)
    .where('comments.deleted_at', 'is', null)
    // A history is public: only what anyone may read in its thread (not hidden, on a public chapter).
    .where('comments.hidden_at', 'is', null)
    .where('chapters.published_at', 'is not', null)
    .where('stories.published_at', 'is not', null)
    .where('stories.hidden_at', 'is', null);
  return keysetPage(query, { sort: 'comments.id', id: 'comments.id' }, at, limit).execute();
}

/** When an account was made, and how many comments it has posted since `since` (deleted ones too). */
export async function recentCommentsBy(db: Db, userId: number, since: number) {
  const row = await db
    .selectFrom('users')
    .select((eb) => [
      'users.created_at',
      eb
        .selectFrom('comments')
        .select((c) => c.fn.countAll<number>().as('n'))
        .where('comments.author_id', '=', userId)
        .where('comments.created_at', '>=', since)
        .as('recent'),
    ])
    .where('users.id', '=', userId)
    .executeTakeFirstOrThrow();
  return { joinedAt: row.created_at, recent: Number(row.recent ?? 0) };
}

/** How many comments stand on a chapter (deleted ones left out). */
export async function countComments(db: Db, chapterId: number): Promise<number> {
  const row = await db
    .selectFrom('comments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('chapter_id', '=', chapterId)
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

type NewComment = {
  story_id: number;
  chapter_id: number;
  author_id: number;
  parent_id: number | null;
  thread_id: number | null;
  format: TextFormat;
  body_source: string;
  body_html: string;
  created_at: number;
};

/** Inserts a comment; a top comment becomes its own thread. */
export async function insertComment(db: Db, comment: NewComment): Promise<number> {
  const { id } = await db
    .insertInto('comments')
    .values({ ...comment, thread_id: comment.thread_id ?? 0 })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (comment.thread_id === null) await db.updateTable('comments').set({ thread_id: id }).where('id', '=', id).execute();
  return id;
}

export async function updateComment(
  db: Db,
  id: number,
  changes: { format: TextFormat; body_source: string; body_html: string; edited_at: number },
) {
  await db.updateTable('comments').set(changes).where('id', '=', id).execute();
}

/** Empties a comment and marks it deleted; its replies stay under it. */
export async function markDeleted(db: Db, id: number, now: number) {
  await db.updateTable('comments').set({ body_source: '', body_html: '', deleted_at: now }).where('id', '=', id).execute();
}

export async function setCommentsLocked(db: Db, storyId: number, locked: boolean) {
  await db
    .updateTable('stories')
    .set({ comments_locked: locked ? 1 : 0 })
    .where('id', '=', storyId)
    .execute();
}
