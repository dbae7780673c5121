import type { Context } from './kernel/context.ts';
import type { Subscriber } from './kernel/events/events.ts';
import { federationOutbox } from './modules/federation/federation.subscriber.ts';
import { notices } from './modules/notifications/notifications.subscriber.ts';
import { searchIndex } from './modules/search/search.subscriber.ts';

/**
 * Everything a write sets in motion, registered once: each runs in the write's transaction with its
 * events (src/kernel/events/events.ts). The page cache's stale scopes follow from the events themselves.
 */
export const SUBSCRIBERS: readonly Subscriber<Context>[] = [searchIndex, notices, federationOutbox];
