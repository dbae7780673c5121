import type { Db } from '../../kernel/db/schema.ts';

export async function findMutes(db: Db, userId: number) {
  const tags = await db.selectFrom('muted_tags').select('pattern').where('user_id', '=', userId).orderBy('pattern').execute();
  const authors = await db
    .selectFrom('muted_authors')
    .innerJoin('users', 'users.id', 'muted_authors.author_id')
    .select('users.username')
    .where('muted_authors.user_id', '=', userId)
    .orderBy('users.username_key')
    .execute();
  return { tags: tags.map((row) => row.pattern), authors: authors.map((row) => row.username) };
}

/** Replaces a reader's mute list in the caller's transaction. */
export async function replaceMutes(db: Db, userId: number, tags: { pattern: string; like_pattern: string }[], authorIds: number[]) {
  await db.deleteFrom('muted_tags').where('user_id', '=', userId).execute();
  await db.deleteFrom('muted_authors').where('user_id', '=', userId).execute();
  if (tags.length > 0)
    await db
      .insertInto('muted_tags')
      .values(tags.map((tag) => ({ ...tag, user_id: userId })))
      .execute();
  if (authorIds.length > 0) {
    await db
      .insertInto('muted_authors')
      .values(authorIds.map((id) => ({ user_id: userId, author_id: id })))
      .execute();
  }
}

export async function findUserIds(db: Db, usernames: string[]) {
  if (usernames.length === 0) return [];
  return db.selectFrom('users').select(['id', 'username_key']).where('username_key', 'in', usernames).execute();
}
