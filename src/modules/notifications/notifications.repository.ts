import { type ExpressionBuilder, type SelectQueryBuilder, sql } from 'kysely';
import { lockedForWrite } from '../../kernel/db/dialect-sql.ts';
import { keysetPage, type PageAt } from '../../kernel/db/pagination.ts';
import type { Database, Db, NotificationKind, NotificationMode } from '../../kernel/db/schema.ts';

export type NotificationFacts = {
  kind: NotificationKind;
  actor_id: number | null;
  story_id: number | null;
  chapter_id: number | null;
  comment_id: number | null;
  created_at: number;
};

/** A query naming the accounts to notify, one `user_id` column. */
export type Recipients = SelectQueryBuilder<Database, keyof Database, { user_id: number }>;

const id = (value: number | null) => (value === null ? sql<number>`null` : sql<number>`cast(${value} as bigint)`);

/**
 * Notifies every recipient in one statement, so an author with ten thousand followers costs the
 * archive no memory: except the actor themself, anyone whose preference for this kind is off, and
 * anyone who blocked the actor. With `mail`, a verified address and an e-mail or digest preference
 * mark the notification as due by mail.
 */
export async function insertNotifications(db: Db, recipients: Recipients, facts: NotificationFacts, mail: boolean): Promise<number> {
  const mode = sql<NotificationMode>`coalesce(notification_prefs.mode, 'site')`;
  const due = mail
    ? sql<
        string | null
      >`case when users.email_verified_at is null then null when ${mode} = 'email' then 'now' when ${mode} = 'digest' then 'digest' else null end`
    : sql<string | null>`null`;
  const result = await db
    .insertInto('notifications')
    .columns(['user_id', 'kind', 'actor_id', 'story_id', 'chapter_id', 'comment_id', 'created_at', 'mail'])
    .expression(
      db
        .selectFrom(recipients.as('recipients'))
        .innerJoin('users', 'users.id', 'recipients.user_id')
        .leftJoin('notification_prefs', (join) =>
          join.onRef('notification_prefs.user_id', '=', 'recipients.user_id').on('notification_prefs.kind', '=', facts.kind),
        )
        .select([
          'recipients.user_id',
          sql.lit(facts.kind).as('kind'),
          id(facts.actor_id).as('actor_id'),
          id(facts.story_id).as('story_id'),
          id(facts.chapter_id).as('chapter_id'),
          id(facts.comment_id).as('comment_id'),
          sql<number>`cast(${facts.created_at} as bigint)`.as('created_at'),
          due.as('mail'),
        ])
        .where(mode, '<>', 'off')
        .$if(facts.actor_id !== null, (q) =>
          q.where('recipients.user_id', '<>', facts.actor_id as number).where(({ not, exists, selectFrom }) =>
            not(
              exists(
                selectFrom('blocks')
                  .select('blocks.blocker_id')
                  .whereRef('blocks.blocker_id', '=', 'recipients.user_id')
                  .where('blocks.blocked_id', '=', facts.actor_id as number),
              ),
            ),
          ),
        ),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

/** The one account `userId`, as recipients. */
export const oneRecipient = (db: Db, userId: number): Recipients =>
  db.selectFrom('users').select('users.id as user_id').where('users.id', '=', userId) as unknown as Recipients;

/** A story's subscribers and its author's followers, each once. */
export const storyAudience = (db: Db, storyId: number, authorId: number): Recipients =>
  db
    .selectFrom('subscriptions')
    .select('subscriptions.user_id')
    .where('subscriptions.story_id', '=', storyId)
    .union(
      db.selectFrom('follows').select('follows.follower_id as user_id').where('follows.author_id', '=', authorId),
    ) as unknown as Recipients;

/** An author's followers. */
export const followersOf = (db: Db, authorId: number): Recipients =>
  db.selectFrom('follows').select('follows.follower_id as user_id').where('follows.author_id', '=', authorId) as unknown as Recipients;

const LIST_COLUMNS = [
  'notifications.id',
  'notifications.kind',
  'notifications.created_at',
  'notifications.read_at',
  'notifications.story_id',
  'notifications.chapter_id',
  'notifications.comment_id',
  'actor.username as actor_username',
  'actor.display_name as actor_display_name',
  // Titles as readers may see them now: a story since hidden or unpublished, or a chapter back in
  // draft (perhaps retitled), is named no more ("a story", "chapter 3").
  sql<string | null>`case when stories.published_at is not null and stories.hidden_at is null then stories.title end`.as('story_title'),
  'stories.slug as story_slug',
  sql<string | null>`case when chapters.published_at is not null then chapters.title end`.as('chapter_title'),
  'chapters.position as chapter_position',
  'users.username as recipient_username',
  'users.display_name as recipient_display_name',
  'users.email as recipient_email',
] as const;

function withSubjects(db: Db) {
  return db
    .selectFrom('notifications')
    .innerJoin('users', 'users.id', 'notifications.user_id')
    .leftJoin('users as actor', 'actor.id', 'notifications.actor_id')
    .leftJoin('stories', 'stories.id', 'notifications.story_id')
    .leftJoin('chapters', 'chapters.id', 'notifications.chapter_id')
    .select(LIST_COLUMNS);
}
export type NotificationRow = Awaited<ReturnType<typeof notificationPage>>[number];

export function notificationPage(db: Db, userId: number, at: PageAt, limit: number) {
  return keysetPage(
    withSubjects(db).where('notifications.user_id', '=', userId),
    { sort: 'notifications.id', id: 'notifications.id' },
    at,
    limit,
  ).execute();
}

export function findNotification(db: Db, userId: number, notificationId: number) {
  return withSubjects(db).where('notifications.user_id', '=', userId).where('notifications.id', '=', notificationId).executeTakeFirst();
}

/** Unread notifications, counted no further than `upTo` (the header shows "99+"). */
export async function unreadCount(db: Db, userId: number, upTo: number): Promise<number> {
  const unread = db.selectFrom('notifications').select('id').where('user_id', '=', userId).where('read_at', 'is', null).limit(upTo);
  const row = await db
    .selectFrom(unread.as('unread'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function markRead(db: Db, userId: number, now: number, notificationId?: number) {
  await db
    .updateTable('notifications')
    .set({ read_at: now })
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .$if(notificationId !== undefined, (q) => q.where('id', '=', notificationId as number))
    .execute();
}

type Claimable = ExpressionBuilder<Database, 'notifications'>;
const unclaimed = (now: number) => (w: Claimable) => w.or([w('mail_claimed_until', 'is', null), w('mail_claimed_until', '<', now)]);

/**
 * Claims up to `limit` notifications due by mail at once until `until`, and returns them with what
 * a mail says about them. A claim is one UPDATE: on PostgreSQL concurrent runs skip each other's
 * rows (SKIP LOCKED) and re-check the lease of any they waited for; SQLite writes one statement at
 * a time. Rows another run holds are never returned.
 */
export async function claimDueMail(db: Db, now: number, until: number, limit: number) {
  const claimed = await db
    .updateTable('notifications')
    .set({ mail_claimed_until: until })
    .where('id', 'in', (eb) =>
      lockedForWrite(
        db,
        eb.selectFrom('notifications').select('id').where('mail', '=', 'now').where(unclaimed(now)).orderBy('id').limit(limit),
        'skip',
      ),
    )
    .where('mail', '=', 'now')
    .where(unclaimed(now))
    .returning('id')
    .execute();
  return withClaimed(db, claimed);
}

/**
 * Claims all of one account's digest, or nothing if another run holds any of it: the account's row
 * is locked first, so two runs never split one digest into two mails.
 */
export async function claimDigest(db: Db, userId: number, now: number, until: number) {
  const claimed = await db.transaction().execute(async (trx) => {
    await lockedForWrite(trx, trx.selectFrom('users').select('id').where('id', '=', userId), 'wait').execute();
    const held = await trx
      .selectFrom('notifications')
      .select('id')
      .where('user_id', '=', userId)
      .where('mail', '=', 'digest')
      .where('mail_claimed_until', '>=', now)
      .executeTakeFirst();
    if (held) return [];
    return trx
      .updateTable('notifications')
      .set({ mail_claimed_until: until })
      .where('user_id', '=', userId)
      .where('mail', '=', 'digest')
      .returning('id')
      .execute();
  });
  return withClaimed(db, claimed);
}

async function withClaimed(db: Db, claimed: { id: number }[]) {
  if (claimed.length === 0) return [];
  return withSubjects(db)
    .where(
      'notifications.id',
      'in',
      claimed.map((row) => row.id),
    )
    .orderBy('notifications.id')
    .execute();
}

/** Accounts with notifications waiting for their daily digest that no run holds. */
export async function digestRecipients(db: Db, afterUserId: number, limit: number, now: number): Promise<number[]> {
  const rows = await db
    .selectFrom('notifications')
    .select('user_id')
    .distinct()
    .where('mail', '=', 'digest')
    .where(unclaimed(now))
    .where('user_id', '>', afterUserId)
    .orderBy('user_id')
    .limit(limit)
    .execute();
  return rows.map((row) => row.user_id);
}

/** These notifications' mail is sent (or no longer possible). */
export async function clearMail(db: Db, ids: number[]) {
  if (ids.length > 0) await db.updateTable('notifications').set({ mail: null, mail_claimed_until: null }).where('id', 'in', ids).execute();
}

export async function preferences(db: Db, userId: number) {
  return db.selectFrom('notification_prefs').select(['kind', 'mode']).where('user_id', '=', userId).execute();
}

export async function setPreferences(db: Db, userId: number, modes: { kind: NotificationKind; mode: NotificationMode }[]) {
  await db.deleteFrom('notification_prefs').where('user_id', '=', userId).execute();
  if (modes.length > 0)
    await db
      .insertInto('notification_prefs')
      .values(modes.map((m) => ({ user_id: userId, ...m })))
      .execute();
}
