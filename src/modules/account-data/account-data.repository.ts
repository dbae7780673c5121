import type { Db } from '../../kernel/db/schema.ts';
import { nameSkeleton } from '../../kernel/text/names.ts';

export async function insertExport(db: Db, userId: number, now: number, expiresAt: number) {
  return (
    await db
      .insertInto('account_exports')
      .values({ user_id: userId, created_at: now, expires_at: expiresAt })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
}

export function findExport(db: Db, id: number) {
  return db.selectFrom('account_exports').selectAll().where('id', '=', id).executeTakeFirst();
}

export function exportsOf(db: Db, userId: number, now: number) {
  return db
    .selectFrom('account_exports')
    .selectAll()
    .where('user_id', '=', userId)
    .where('expires_at', '>', now)
    .orderBy('id', 'desc')
    .execute();
}

export async function markExportReady(db: Db, id: number, fileKey: string, bytes: number, now: number) {
  await db.updateTable('account_exports').set({ file_key: fileKey, bytes, ready_at: now }).where('id', '=', id).execute();
}

export function expiredExports(db: Db, now: number) {
  return db.selectFrom('account_exports').select(['id', 'file_key']).where('expires_at', '<=', now).limit(500).execute();
}

export async function deleteExport(db: Db, id: number) {
  await db.deleteFrom('account_exports').where('id', '=', id).execute();
}

/** Everything an account holds, table by table, for its download. */
export async function everythingOf(db: Db, userId: number) {
  const user = await db
    .selectFrom('users')
    .select([
      'id',
      'username',
      'display_name',
      'bio',
      'bio_format',
      'role',
      'email',
      'email_verified_at',
      'created_at',
      'reading_preferences',
      'default_filter',
    ])
    .where('id', '=', userId)
    .executeTakeFirst();
  const stories = await db.selectFrom('stories').selectAll().where('author_id', '=', userId).orderBy('id').execute();
  const chapters = stories.length
    ? await db
        .selectFrom('chapters')
        .select([
          'id',
          'story_id',
          'position',
          'title',
          'format',
          'body_source',
          'note_before_source',
          'note_after_source',
          'word_count',
          'published_at',
          'updated_at',
        ])
        .where(
          'story_id',
          'in',
          stories.map((s) => s.id),
        )
        .orderBy('story_id')
        .orderBy('position')
        .execute()
    : [];
  const comments = await db
    .selectFrom('comments')
    .select(['id', 'story_id', 'chapter_id', 'parent_id', 'format', 'body_source', 'created_at', 'edited_at', 'deleted_at'])
    .where('author_id', '=', userId)
    .orderBy('id')
    .execute();
  const shelves = await db
    .selectFrom('shelves')
    .select(['id', 'name', 'kind', 'visibility', 'created_at'])
    .where('user_id', '=', userId)
    .execute();
  const shelfItems = await db
    .selectFrom('shelf_items')
    .innerJoin('shelves', 'shelves.id', 'shelf_items.shelf_id')
    .select(['shelf_items.shelf_id', 'shelf_items.story_id', 'shelf_items.note', 'shelf_items.added_at'])
    .where('shelves.user_id', '=', userId)
    .execute();
  const history = await db
    .selectFrom('reading_progress')
    .select(['story_id', 'chapter_id', 'position', 'updated_at'])
    .where('user_id', '=', userId)
    .execute();
  const readMarks = await db.selectFrom('read_marks').select(['story_id', 'chapter_id', 'read_at']).where('user_id', '=', userId).execute();
  const following = await db.selectFrom('follows').select(['author_id', 'created_at']).where('follower_id', '=', userId).execute();
  const subscriptions = await db.selectFrom('subscriptions').select(['story_id', 'created_at']).where('user_id', '=', userId).execute();
  const mutedTags = await db.selectFrom('muted_tags').select('pattern').where('user_id', '=', userId).execute();
  const mutedAuthors = await db.selectFrom('muted_authors').select('author_id').where('user_id', '=', userId).execute();
  const notificationPrefs = await db.selectFrom('notification_prefs').select(['kind', 'mode']).where('user_id', '=', userId).execute();
  const savedSearches = await db
    .selectFrom('saved_searches')
    .select(['name', 'query', 'created_at'])
    .where('user_id', '=', userId)
    .execute();
  return {
    user,
    stories,
    chapters,
    comments,
    shelves,
    shelfItems,
    history,
    readMarks,
    following,
    subscriptions,
    mutedTags,
    mutedAuthors,
    notificationPrefs,
    savedSearches,
  };
}
export type Everything = Awaited<ReturnType<typeof everythingOf>>;

/**
 * The system account that keeps orphaned stories (AO3's orphan_account), made the first time it is
 * needed. Found by its mark, never by its name; the name is reserved (accounts/reserved-names.ts).
 */
export async function orphanAccount(db: Db, now: number): Promise<number> {
  const found = await db.selectFrom('users').select('id').where('system', '=', 1).executeTakeFirst();
  if (found) return found.id;
  const row = await db
    .insertInto('users')
    .values({
      username: 'orphan_account',
      username_key: 'orphan_account',
      username_skeleton: nameSkeleton('orphan_account'),
      display_name: 'orphan_account',
      display_name_skeleton: nameSkeleton('orphan_account'),
      system: 1,
      bio: 'Stories whose authors left the archive and chose to leave their stories here.',
      role: 'user',
      // No password hashes to this: nobody can log in as it.
      password_hash: '!',
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The stored files an account's removal leaves without a row: its export zips, and with its stories, their covers. */
export async function filesOf(db: Db, userId: number, withStories: boolean) {
  const exports = await db.selectFrom('account_exports').select('file_key').where('user_id', '=', userId).execute();
  const covers = withStories
    ? await db.selectFrom('stories').select('cover_key').where('author_id', '=', userId).where('cover_key', 'is not', null).execute()
    : [];
  return {
    exports: exports.flatMap((row) => (row.file_key ? [row.file_key] : [])),
    covers: covers.flatMap((row) => (row.cover_key ? [row.cover_key] : [])),
  };
}

/**
 * Removes an account. Its stories go to `heir` (orphaned) or are deleted with it; its comments stay
 * as "deleted" placeholders (owned by the orphan account) so the replies to them keep their place.
 */
export async function removeAccount(db: Db, userId: number, storiesTo: number | null, orphanId: number, now: number) {
  if (storiesTo === null) await db.deleteFrom('stories').where('author_id', '=', userId).execute();
  else {
    await db.updateTable('stories').set({ author_id: storiesTo }).where('author_id', '=', userId).execute();
    await db.updateTable('series').set({ owner_id: storiesTo }).where('owner_id', '=', userId).execute();
  }
  await db
    .updateTable('comments')
    .set({ author_id: orphanId, body_source: '', body_html: '', deleted_at: now })
    .where('author_id', '=', userId)
    .execute();
  await db.deleteFrom('users').where('id', '=', userId).execute();
}
