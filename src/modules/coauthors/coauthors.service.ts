import type { Context } from '../../kernel/context.ts';
import { AppError, forbidden, notFound } from '../../kernel/errors.ts';
import { record, write } from '../../kernel/events/events.ts';
import type { Viewer } from '../../kernel/web/viewer.ts';
import { findUserByUsername } from '../accounts/accounts.service.ts';
import { hasBlocked } from '../follows/follows.service.ts';
import { canOwnStory } from '../stories/stories.policy.ts';
import { findStory } from '../stories/stories.service.ts';
import * as coauthors from './coauthors.repository.ts';

/** Only the story's own author (or an admin) chooses its co-authors. */
async function ownStory(ctx: Context, viewer: Viewer, storyId: number) {
  const story = await findStory(ctx.db, storyId);
  if (!story) throw notFound('Story');
  if (!canOwnStory(viewer, story)) throw forbidden('Only the story’s author chooses its co-authors.');
  return story;
}

export async function inviteCoauthor(ctx: Context, viewer: Viewer, storyId: number, username: string) {
  const story = await ownStory(ctx, viewer, storyId);
  const user = await findUserByUsername(ctx.db, username.trim());
  if (!user) throw new AppError(400, `There is no account named ${username.trim() || '(nobody)'}.`);
  if (user.id === story.author_id) throw new AppError(400, 'The author is already the author.');
  if (await hasBlocked(ctx.db, user.id, story.author_id)) throw forbidden('That account does not accept invitations from you.');
  await coauthors.invite(ctx.db, storyId, user.id, ctx.clock.now());
  return { story, user };
}

/** The invitee accepts (and may then edit the story) or declines; a co-author may also leave. */
export async function answerInvitation(ctx: Context, viewer: Viewer, storyId: number, accepting: boolean) {
  const story = await findStory(ctx.db, storyId);
  if (!story) throw notFound('Story');
  const done = await write(ctx, (trx) => {
    record(trx, { type: 'coauthorsChanged', storyId });
    return accepting ? coauthors.accept(trx, storyId, viewer.id, ctx.clock.now()) : coauthors.remove(trx, storyId, viewer.id);
  });
  if (!done) throw notFound('Invitation');
  return story;
}

export async function removeCoauthor(ctx: Context, viewer: Viewer, storyId: number, username: string) {
  const story = await ownStory(ctx, viewer, storyId);
  const user = await findUserByUsername(ctx.db, username);
  const removed =
    user &&
    (await write(ctx, (trx) => {
      record(trx, { type: 'coauthorsChanged', storyId });
      return coauthors.remove(trx, storyId, user.id);
    }));
  if (!removed) throw notFound('Co-author');
  return story;
}

export const storyCoauthors = (ctx: Context, storyId: number) => coauthors.coauthorsOf(ctx.db, storyId);
export const invitations = (ctx: Context, viewer: Viewer) => coauthors.invitationsFor(ctx.db, viewer.id);
