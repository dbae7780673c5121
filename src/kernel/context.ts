import type { Redis } from 'ioredis';
import type { Config } from './config.ts';
import type { ChangeFeed } from './db/change-feed.ts';
import type { Db } from './db/schema.ts';
import type { Subscriber } from './events/events.ts';
import type { Log } from './log.ts';
import type { Mailer } from './mail/mailer.ts';
import type { Storage } from './storage/storage.ts';
import type { Renderer } from './text/render-pool.ts';
import type { PageCache } from './web/page-cache.ts';

export type Clock = { now(): number };

/**
 * Everything a request or command needs, built once at start by the composition root (src/archive.ts)
 * and passed down; no globals. The kernel declares it and builds none of it.
 */
export type Context = {
  config: Config;
  db: Db;
  storage: Storage;
  /** Shared counters for several web processes; null on a single machine. */
  redis: Redis | null;
  clock: Clock;
  /** Private scratch space for uploads in flight (inside DATA_DIR). */
  tmpDir: string;
  /** Which rendered pages writes have made stale, across every web process. */
  changes: ChangeFeed;
  /** What every write's events set in motion, in its transaction (registered in src/subscribers.ts). */
  subscribers: readonly Subscriber<Context>[];
  /** Rendered pages for anonymous readers, keyed by content version. */
  pages: PageCache;
  /** Formats user text in worker threads, within a time budget. */
  renderer: Renderer;
  /** Sends mail through SMTP_URL; null when the archive sends none. */
  mailer: Mailer | null;
  /** What no request answers for (lost connections, failed flushes): never swallowed unheard. */
  log: Log;
  close(): Promise<void>;
  /** Runs `task` when the context closes, before the database does (a module's buffered writes). */
  onClose(task: () => Promise<void>): void;
};

export const systemClock: Clock = { now: () => Date.now() };
