import type { Db, NewUser } from '../../db/schema.ts';

export async function findUserByUsername(db: Db, username: string) {
  return db.selectFrom('users').selectAll().where('username_key', '=', username.toLowerCase()).executeTakeFirst();
}

export async function countUsers(db: Db): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertUser(db: Db, user: NewUser) {
  return db.insertInto('users').values(user).returningAll().executeTakeFirstOrThrow();
}

export async function findUserById(db: Db, id: number) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateUser(db: Db, id: number, changes: Partial<Pick<NewUser, 'display_name' | 'bio' | 'password_hash'>>) {
  await db.updateTable('users').set(changes).where('id', '=', id).execute();
}

export async function insertSession(
  db: Db,
  session: { token_hash: string; user_id: number; user_agent: string; created_at: number; expires_at: number },
) {
  await db.insertInto('sessions').values(session).execute();
}

export async function findSessionUser(db: Db, tokenHash: string, now: number) {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['users.id', 'users.username', 'users.display_name', 'users.role'])
    .where('sessions.token_hash', '=', tokenHash)
    .where('sessions.expires_at', '>', now)
    .executeTakeFirst();
}

export async function deleteSession(db: Db, tokenHash: string) {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}

/** Signs a user out everywhere but the session they are using. */
export async function deleteOtherSessions(db: Db, userId: number, keepTokenHash: string) {
  await db.deleteFrom('sessions').where('user_id', '=', userId).where('token_hash', '!=', keepTokenHash).execute();
}

export async function deleteExpiredSessions(db: Db, now: number) {
  await db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
}
