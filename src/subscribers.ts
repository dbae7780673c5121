import type { Context } from './context.ts';
import type { Subscriber } from './events/events.ts';
import { federationOutbox } from './features/federation/federation.subscriber.ts';
import { notices } from './features/notifications/notifications.subscriber.ts';
import { searchIndex } from './features/search/search.subscriber.ts';

/**
 * Everything a write sets in motion, registered once: each runs in the write's transaction with its
 * events (src/events/events.ts). The page cache's stale scopes follow from the events themselves.
 */
export const SUBSCRIBERS: readonly Subscriber<Context>[] = [searchIndex, notices, federationOutbox];
