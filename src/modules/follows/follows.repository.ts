import type { Db } from '../../kernel/db/schema.ts';

/** Adds a follow; returns whether it is new. */
export async function follow(db: Db, followerId: number, authorId: number, now: number): Promise<boolean> {
  const row = await db
    .insertInto('follows')
    .values({ follower_id: followerId, author_id: authorId, created_at: now })
    .onConflict((oc) => oc.doNothing())
    .returning('author_id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function unfollow(db: Db, followerId: number, authorId: number) {
  await db.deleteFrom('follows').where('follower_id', '=', followerId).where('author_id', '=', authorId).execute();
}

export async function isFollowing(db: Db, followerId: number, authorId: number): Promise<boolean> {
  const row = await db
    .selectFrom('follows')
    .select('author_id')
    .where('follower_id', '=', followerId)
    .where('author_id', '=', authorId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function followerCount(db: Db, authorId: number): Promise<number> {
  const row = await db
    .selectFrom('follows')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('author_id', '=', authorId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function subscribe(db: Db, userId: number, storyId: number, now: number) {
  await db
    .insertInto('subscriptions')
    .values({ user_id: userId, story_id: storyId, created_at: now })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function unsubscribe(db: Db, userId: number, storyId: number) {
  await db.deleteFrom('subscriptions').where('user_id', '=', userId).where('story_id', '=', storyId).execute();
}

export async function isSubscribed(db: Db, userId: number, storyId: number): Promise<boolean> {
  const row = await db
    .selectFrom('subscriptions')
    .select('story_id')
    .where('user_id', '=', userId)
    .where('story_id', '=', storyId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Whom a reader follows and which stories they subscribe to, most recent first. */
export async function followingOf(db: Db, userId: number, limit: number) {
  const authors = await db
    .selectFrom('follows')
    .innerJoin('users', 'users.id', 'follows.author_id')
    .select(['users.username', 'users.display_name'])
    .where('follows.follower_id', '=', userId)
    .orderBy('follows.created_at', 'desc')
    .limit(limit)
    .execute();
  const stories = await db
    .selectFrom('subscriptions')
    .innerJoin('stories', 'stories.id', 'subscriptions.story_id')
    .select(['stories.id', 'stories.slug', 'stories.title'])
    .where('subscriptions.user_id', '=', userId)
    .orderBy('subscriptions.created_at', 'desc')
    .limit(limit)
    .execute();
  return { authors, stories };
}

/** One account shuts another out: it stops following them, and they stop following it. */
export async function block(db: Db, blockerId: number, blockedId: number, now: number) {
  await db
    .insertInto('blocks')
    .values({ blocker_id: blockerId, blocked_id: blockedId, created_at: now })
    .onConflict((oc) => oc.doNothing())
    .execute();
  await db
    .deleteFrom('follows')
    .where((eb) =>
      eb.or([
        eb.and([eb('follower_id', '=', blockedId), eb('author_id', '=', blockerId)]),
        eb.and([eb('follower_id', '=', blockerId), eb('author_id', '=', blockedId)]),
      ]),
    )
    .execute();
  // Nor does the blocked account hear of the blocker's stories by subscription.
  await db
    .deleteFrom('subscriptions')
    .where('user_id', '=', blockedId)
    .where('story_id', 'in', (eb) => eb.selectFrom('stories').select('id').where('author_id', '=', blockerId))
    .execute();
}

export async function unblock(db: Db, blockerId: number, blockedId: number) {
  await db.deleteFrom('blocks').where('blocker_id', '=', blockerId).where('blocked_id', '=', blockedId).execute();
}

export async function blocks(db: Db, blockerId: number, blockedId: number): Promise<boolean> {
  const row = await db
    .selectFrom('blocks')
    .select('blocker_id')
    .where('blocker_id', '=', blockerId)
    .where('blocked_id', '=', blockedId)
    .executeTakeFirst();
  return row !== undefined;
}

export function blockedBy(db: Db, blockerId: number) {
  return db
    .selectFrom('blocks')
    .innerJoin('users', 'users.id', 'blocks.blocked_id')
    .select(['users.id', 'users.username', 'users.display_name', 'blocks.created_at'])
    .where('blocks.blocker_id', '=', blockerId)
    .orderBy('blocks.created_at', 'desc')
    .execute();
}
