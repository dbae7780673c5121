import type { Config } from '../../config.ts';
import type { Clock } from '../../context.ts';
import { eventsOf, type Subscriber } from '../../events/events.ts';
import { enqueue } from '../jobs/jobs.service.ts';
import { federates } from './federates.ts';

/**
 * Published chapters deleted (one, or a whole story's): followers elsewhere are told by a job queued
 * in the deleting transaction. (A published chapter reaches them after the readers here, from the
 * notify.chapter job.) Nothing here loads Fedify: an archive that does not federate never pays for it.
 */
export const federationOutbox: Subscriber<{ clock: Clock; config: Config }> = {
  name: 'federation',
  async handle(ctx, trx, events) {
    if (!federates(ctx)) return;
    for (const { authorId, chapterIds } of eventsOf(events, 'chaptersWithdrawn')) {
      if (chapterIds.length > 0) await enqueue(trx, ctx.clock.now(), 'federation.withdraw', { authorId, chapterIds });
    }
  },
};
