import type { Clock } from '../../context.ts';
import type { Db } from '../../db/schema.ts';
import { keyedHash } from '../../web/keyed-hash.ts';
import { countViews, dropOldMarks, type View } from './views.repository.ts';

const DAY = 24 * 60 * 60 * 1000;
/** More pending views than this are written at once rather than waiting for the next flush. */
const MAX_PENDING = 5000;

/**
 * Chapter views, gathered in memory and written in one transaction now and then, so reading a
 * chapter never waits for a write. A reader is known by a keyed hash of who they are (account or
 * address), the chapter and the day: the same reader counts once a day, and nobody can tell from
 * the table who read what. A crash loses at most the views since the last flush.
 */
export function createViewCounter(secret: string, clock: Clock) {
  let pending = new Map<string, View>();
  return {
    record(chapterId: number, storyId: number, reader: string) {
      const day = Math.floor(clock.now() / DAY);
      const hash = keyedHash(secret, 'view', `${day}:${chapterId}:${reader}`);
      pending.set(hash, { day, hash, chapterId, storyId });
      return pending.size >= MAX_PENDING;
    },
    async flush(db: Db) {
      if (pending.size === 0) return;
      const views = [...pending.values()];
      pending = new Map();
      // Cached lists are not marked stale for a view: a card's count may lag until the list next changes.
      await db.transaction().execute(async (trx) => {
        await countViews(trx, views);
        await dropOldMarks(trx, Math.floor(clock.now() / DAY));
      });
    },
  };
}
export type ViewCounter = ReturnType<typeof createViewCounter>;
