import { createHmac } from 'node:crypto';
import type { Context } from '../../kernel/context.ts';
import { forbidden, notFound } from '../../kernel/errors.ts';
import { record, write } from '../../kernel/events/events.ts';
import type { Viewer } from '../../kernel/web/viewer.ts';
import { hasBlocked } from '../follows/follows.service.ts';
import { canViewStory } from '../stories/stories.policy.ts';
import { findStory } from '../stories/stories.service.ts';
import * as kudos from './kudos.repository.ts';

/** A guest is known by a keyed hash of their address: one kudos each, and no address stored. */
const guestHash = (ctx: Context, address: string) =>
  createHmac('sha256', ctx.config.sessionSecret).update(`kudos:${address}`).digest('base64url');

/**
 * Leaves kudos on a published story, once per account (or guest address). An author's own
 * story takes none from them. Returns whether these kudos were new.
 */
export async function leaveKudos(
  ctx: Context,
  viewer: Viewer | null,
  storyId: number,
  address: string,
): Promise<'thanks' | 'again' | 'own'> {
  const story = await findStory(ctx.db, storyId);
  if (!story || story.published_at === null || !canViewStory(viewer, story)) throw notFound('Story');
  if (viewer?.id === story.author_id) return 'own';
  if (viewer && (await hasBlocked(ctx.db, story.author_id, viewer.id))) throw forbidden('The author of this story has blocked you.');
  const added = await write(ctx, async (trx) => {
    const given = await kudos.giveKudos(trx, {
      story_id: storyId,
      user_id: viewer?.id ?? null,
      guest_hash: viewer ? null : guestHash(ctx, address),
      created_at: ctx.clock.now(),
    });
    if (given) record(trx, { type: 'kudosLeft', storyId, storyAuthorId: story.author_id, giverId: viewer?.id ?? null });
    return given;
  });
  return added ? 'thanks' : 'again';
}

/** Who left kudos on a story, for its page: the most recent fifty accounts, and a count of guests. */
export async function kudosFor(ctx: Context, storyId: number) {
  return kudos.kudosGivers(ctx.db, storyId, 50);
}
export type KudosGivers = Awaited<ReturnType<typeof kudosFor>>;
