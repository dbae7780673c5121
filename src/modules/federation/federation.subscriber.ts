import type { Config } from '../../kernel/config.ts';
import type { Clock } from '../../kernel/context.ts';
import { eventsOf, type Subscriber } from '../../kernel/events/events.ts';
import { enqueue } from '../../kernel/jobs/jobs.ts';
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
