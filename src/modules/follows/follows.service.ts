import type { Context } from '../../kernel/context.ts';
import type { Db } from '../../kernel/db/schema.ts';
import { AppError, forbidden, notFound } from '../../kernel/errors.ts';
import { record, write } from '../../kernel/events/events.ts';
import type { Viewer } from '../../kernel/web/viewer.ts';
import { findUser } from '../accounts/accounts.service.ts';
import { canViewStory } from '../stories/stories.policy.ts';
import { findStory } from '../stories/stories.service.ts';
import * as follows from './follows.repository.ts';

/** Whether `blockerId` has shut `userId` out (checked before a comment, reply, kudos or follow). */
export const hasBlocked = (db: Db, blockerId: number, userId: number) => follows.blocks(db, blockerId, userId);

/** The accounts a reader blocked, whose comments they are not shown. */
export async function blockedIds(db: Db, blockerId: number): Promise<Set<number>> {
  return new Set((await follows.blockedBy(db, blockerId)).map((user) => user.id));
}

async function otherAccount(ctx: Context, viewer: Viewer, username: string) {
  const user = await findUser(ctx, username);
  if (!user) throw notFound('Author');
  if (user.id === viewer.id) throw new AppError(400, 'That is your own account.');
  return user;
}

export async function setFollowing(ctx: Context, viewer: Viewer, username: string, following: boolean) {
  const author = await otherAccount(ctx, viewer, username);
  if (following && (await hasBlocked(ctx.db, author.id, viewer.id))) throw forbidden('This author does not accept follows from you.');
  await write(ctx, async (trx) => {
    if (!following) return follows.unfollow(trx, viewer.id, author.id);
    if (await follows.follow(trx, viewer.id, author.id, ctx.clock.now())) {
      record(trx, { type: 'authorFollowed', followerId: viewer.id, authorId: author.id });
    }
  });
  return author;
}

export async function followState(ctx: Context, viewer: Viewer | null, authorId: number) {
  return {
    followers: await follows.followerCount(ctx.db, authorId),
    following: viewer ? await follows.isFollowing(ctx.db, viewer.id, authorId) : false,
    blocked: viewer ? await follows.blocks(ctx.db, viewer.id, authorId) : false,
  };
}
export type FollowState = Awaited<ReturnType<typeof followState>>;

/** A published story the viewer can see: subscribing to anything else names nothing. */
async function visibleStory(ctx: Context, viewer: Viewer, storyId: number) {
  const story = await findStory(ctx.db, storyId);
  if (!story || story.published_at === null || !canViewStory(viewer, story)) throw notFound('Story');
  return story;
}

export async function subscription(ctx: Context, viewer: Viewer, storyId: number) {
  const story = await visibleStory(ctx, viewer, storyId);
  return { story, subscribed: await follows.isSubscribed(ctx.db, viewer.id, storyId) };
}

export async function setSubscribed(ctx: Context, viewer: Viewer, storyId: number, subscribed: boolean) {
  const story = await visibleStory(ctx, viewer, storyId);
  if (subscribed && (await hasBlocked(ctx.db, story.author_id, viewer.id))) {
    throw forbidden('The author of this story does not accept subscriptions from you.');
  }
  if (subscribed) await follows.subscribe(ctx.db, viewer.id, storyId, ctx.clock.now());
  else await follows.unsubscribe(ctx.db, viewer.id, storyId);
  return story;
}

export const following = (ctx: Context, viewer: Viewer) => follows.followingOf(ctx.db, viewer.id, 500);

export async function setBlocked(ctx: Context, viewer: Viewer, username: string, blocked: boolean) {
  const user = await otherAccount(ctx, viewer, username);
  await ctx.db
    .transaction()
    .execute((trx) => (blocked ? follows.block(trx, viewer.id, user.id, ctx.clock.now()) : follows.unblock(trx, viewer.id, user.id)));
  return user;
}

export const blockList = (ctx: Context, viewer: Viewer) => follows.blockedBy(ctx.db, viewer.id);
