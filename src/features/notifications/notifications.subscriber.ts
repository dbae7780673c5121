import type { Clock } from '../../context.ts';
import { eventsOf, type Subscriber } from '../../events/events.ts';
import { enqueue } from '../jobs/jobs.service.ts';

/**
 * A chapter just went public: its readers hear of it from a job (fanOutChapter), however many they
 * are, queued in the publishing transaction so it happens exactly when the chapter does.
 */
export const chapterNotices: Subscriber<{ clock: Clock }> = {
  name: 'notifications',
  async handle(ctx, trx, events) {
    for (const { chapterId, newStory } of eventsOf(events, 'chapterPublished')) {
      await enqueue(trx, ctx.clock.now(), 'notify.chapter', { chapterId, newStory });
    }
  },
};
