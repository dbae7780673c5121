import { prepared } from '../../kernel/db/prepared.ts';
import type { Db, NewUser } from '../../kernel/db/schema.ts';

export async function findUserByUsername(db: Db, username: string) {
  return db.selectFrom('users').selectAll().where('username_key', '=', username.toLowerCase()).executeTakeFirst();
}

export async function findFirstAdmin(db: Db) {
  return db.selectFrom('users').selectAll().where('role', '=', 'admin').orderBy('id').executeTakeFirst();
}

export async function countUsers(db: Db): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    // People: the system account does not make an archive non-empty (the first person still becomes admin).
    .where('system', '=', 0)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertUser(db: Db, user: NewUser) {
  return db.insertInto('users').values(user).returningAll().executeTakeFirstOrThrow();
}

export async function findUserById(db: Db, id: number) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Another account whose username or display name has one of these confusable skeletons. */
export async function findLookalike(db: Db, skeletons: string[], exceptUserId = 0) {
  return db
    .selectFrom('users')
    .select(['id', 'username', 'username_skeleton', 'display_name_skeleton'])
    .where((eb) => eb.or([eb('username_skeleton', 'in', skeletons), eb('display_name_skeleton', 'in', skeletons)]))
    .where('id', '!=', exceptUserId)
    .executeTakeFirst();
}

/** Takes a one-off claim such as "first admin"; true for exactly one caller, even when many race. */
export async function isClaimed(db: Db, name: string): Promise<boolean> {
  return (await db.selectFrom('archive_claims').select('name').where('name', '=', name).executeTakeFirst()) !== undefined;
}

export async function claimOnce(db: Db, name: string, now: number): Promise<boolean> {
  const row = await db
    .insertInto('archive_claims')
    .values({ name, claimed_at: now })
    .onConflict((oc) => oc.column('name').doNothing())
    .returning('name')
    .executeTakeFirst();
  return row !== undefined;
}

export async function updateUser(
  db: Db,
  id: number,
  changes: Partial<
    Pick<
      NewUser,
      | 'display_name'
      | 'display_name_skeleton'
      | 'bio'
      | 'bio_format'
      | 'bio_html'
      | 'password_hash'
      | 'role'
      | 'reading_preferences'
      | 'default_filter'
      | 'email'
      | 'email_verified_at'
    >
  >,
) {
  await db.updateTable('users').set(changes).where('id', '=', id).execute();
}

export async function insertSession(
  db: Db,
  session: { token_hash: string; user_id: number; user_agent: string; created_at: number; expires_at: number },
) {
  await db.insertInto('sessions').values(session).execute();
}

/** Runs on every signed-in request, so it is compiled once. */
const sessionUser = prepared((db: Db, tokenHash: string, now: number) =>
  db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'users.id',
      'users.username',
      'users.display_name',
      'users.role',
      'users.reading_preferences',
      'users.default_filter',
      'users.suspended_until',
      'sessions.created_at',
      'sessions.expires_at',
    ])
    .select((eb) =>
      eb
        .or([
          eb.exists(eb.selectFrom('muted_tags').select('muted_tags.user_id').whereRef('muted_tags.user_id', '=', 'users.id')),
          eb.exists(eb.selectFrom('muted_authors').select('muted_authors.user_id').whereRef('muted_authors.user_id', '=', 'users.id')),
        ])
        .as('muting'),
    )
    .where('sessions.token_hash', '=', tokenHash)
    .where('sessions.expires_at', '>', now),
);

export async function findSessionUser(db: Db, tokenHash: string, now: number) {
  return (await sessionUser(db, tokenHash, now))[0];
}

export async function renewSession(db: Db, tokenHash: string, expiresAt: number) {
  await db.updateTable('sessions').set({ expires_at: expiresAt }).where('token_hash', '=', tokenHash).execute();
}

/** Ends a session; returns whose it was, or null when there was none. */
export async function deleteSession(db: Db, tokenHash: string): Promise<number | null> {
  const ended = await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).returning('user_id').executeTakeFirst();
  return ended?.user_id ?? null;
}

/**
 * Signs a user out everywhere but the session they are using, and ends their API tokens: after a
 * new password, nothing made with the old one still works (a token is as good as the password).
 */
export async function deleteOtherSessions(db: Db, userId: number, keepTokenHash: string, now: number) {
  await db.deleteFrom('sessions').where('user_id', '=', userId).where('token_hash', '!=', keepTokenHash).execute();
  await db.updateTable('api_tokens').set({ revoked_at: now }).where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
}

export async function deleteExpiredSessions(db: Db, now: number) {
  await db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
}

/** Accounts whose verified address is this one (case-insensitive), for password reset by e-mail. */
export function usersWithEmail(db: Db, email: string) {
  return db
    .selectFrom('users')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .where('email_verified_at', 'is not', null)
    .limit(10)
    .execute();
}

/** The account an old name now belongs to, for its author page's redirect. */
export async function userIdForOldName(db: Db, username: string): Promise<number | null> {
  const row = await db.selectFrom('old_usernames').select('user_id').where('username_key', '=', username.toLowerCase()).executeTakeFirst();
  return row?.user_id ?? null;
}

export async function renameUser(
  db: Db,
  user: { id: number; username: string },
  next: { username: string; skeleton: string },
  now: number,
) {
  await db
    .insertInto('old_usernames')
    .values({ username_key: user.username.toLowerCase(), user_id: user.id, changed_at: now })
    .onConflict((oc) => oc.column('username_key').doUpdateSet({ user_id: user.id, changed_at: now }))
    .execute();
  // Taking back one's own old name frees it.
  await db.deleteFrom('old_usernames').where('username_key', '=', next.username.toLowerCase()).where('user_id', '=', user.id).execute();
  await db
    .updateTable('users')
    .set({ username: next.username, username_key: next.username.toLowerCase(), username_skeleton: next.skeleton })
    .where('id', '=', user.id)
    .execute();
}

/** How many admins there are, counted up to `upTo` (enough to know whether one is the last). */
export async function countAdmins(db: Db, upTo: number): Promise<number> {
  return (await db.selectFrom('users').select('id').where('role', '=', 'admin').limit(upTo).execute()).length;
}
