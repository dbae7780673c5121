import type { Context } from '../../kernel/context.ts';
import { keyedHash } from '../../kernel/web/keyed-hash.ts';
import { countViews, dropOldMarks, type View } from './views.repository.ts';

const DAY = 24 * 60 * 60 * 1000;
/** More pending views than this are written at once rather than waiting for the next flush. */
const MAX_PENDING = 5000;

/**
 * Chapter views, gathered in memory and written in one transaction now and then, so reading a
 * chapter never waits for a write. A reader is known by a keyed hash of who they are (account or
 * address), the chapter and the day: the same reader counts once a day, and nobody can tell from
 * the table who read what. A crash loses at most the views since the last flush.
 *
 * Each context (each process) has its own pending views, written when it closes.
 */
const pendingOf = new WeakMap<Context, Map<string, View>>();

function pending(ctx: Context): Map<string, View> {
  let views = pendingOf.get(ctx);
  if (!views) {
    views = new Map();
    pendingOf.set(ctx, views);
    ctx.onClose(() => flushViews(ctx).catch((error) => ctx.log.warn('Chapter views waiting to be written were lost at shutdown', error)));
  }
  return views;
}

/** Counts a chapter read by `reader` (an account or an address); true when enough wait that they should be written now. */
export function recordView(ctx: Context, chapterId: number, storyId: number, reader: string): boolean {
  const day = Math.floor(ctx.clock.now() / DAY);
  const hash = keyedHash(ctx.config.sessionSecret, 'view', `${day}:${chapterId}:${reader}`);
  const views = pending(ctx);
  views.set(hash, { day, hash, chapterId, storyId });
  return views.size >= MAX_PENDING;
}

/** Writes the views waiting, in one transaction. */
export async function flushViews(ctx: Context): Promise<void> {
  const views = pendingOf.get(ctx);
  if (!views || views.size === 0) return;
  const written = [...views.values()];
  views.clear();
  // Cached lists are not marked stale for a view: a card's count may lag until the list next changes.
  await ctx.db.transaction().execute(async (trx) => {
    await countViews(trx, written);
    await dropOldMarks(trx, Math.floor(ctx.clock.now() / DAY));
  });
}
