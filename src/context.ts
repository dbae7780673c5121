import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { Config } from './config.ts';
import { type ChangeFeed, postgresChangeFeed, sqliteChangeFeed } from './db/change-feed.ts';
import { openDatabase, sqliteFileIn } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import type { Db, Dialect } from './db/schema.ts';
import type { Subscriber } from './events/events.ts';
import { createSessionCache, type SessionCache } from './features/accounts/sessions.ts';
import { type Mailer, smtpMailer } from './features/mail/mailer.ts';
import { createViewCounter, type ViewCounter } from './features/views/views.counter.ts';
import { type Log, stderrLog } from './log.ts';
import { type Storage, storageFor } from './storage/storage.ts';
import { SUBSCRIBERS } from './subscribers.ts';
import { createRenderer, type Renderer } from './text/render-pool.ts';
import { createPageCache, type PageCache } from './web/page-cache.ts';

export type Clock = { now(): number };

/** Everything a request or command needs, built once at start and passed down; no globals. */
export type Context = {
  config: Config;
  db: Db;
  dialect: Dialect;
  storage: Storage;
  /** Shared counters for several web processes; null on a single machine. */
  redis: Redis | null;
  clock: Clock;
  /** Private scratch space for uploads in flight (inside DATA_DIR). */
  tmpDir: string;
  /** Which rendered pages writes have made stale, across every web process. */
  changes: ChangeFeed;
  /** What every write's events set in motion, in its transaction (src/subscribers.ts). */
  subscribers: readonly Subscriber<Context>[];
  /** Rendered pages for anonymous readers, keyed by content version. */
  pages: PageCache;
  /** Signed-in sessions looked up by this process, keyed by the sessions version. */
  sessions: SessionCache;
  /** Formats user text in worker threads, within a time budget. */
  renderer: Renderer;
  /** Chapter views waiting to be written (features/views). */
  views: ViewCounter;
  /** Sends mail through SMTP_URL; null when the archive sends none. */
  mailer: Mailer | null;
  /** What no request answers for (lost connections, failed flushes): never swallowed unheard. */
  log: Log;
  close(): Promise<void>;
};

export const systemClock: Clock = { now: () => Date.now() };

export type ContextOptions = { migrate?: boolean; sqliteFile?: string; clock?: Clock; renderBudgetMs?: number; log?: Log };

export async function createContext(config: Config, options: ContextOptions = {}): Promise<Context> {
  const log = options.log ?? stderrLog(config.logLevel);
  const { db, dialect, sqlite } = openDatabase({
    log,
    databaseUrl: config.databaseUrl,
    sqliteFile: options.sqliteFile ?? sqliteFileIn(config.dataDir),
  });
  if (options.migrate ?? true) await migrateToLatest(db, dialect);
  // Fail at once rather than queue while disconnected (rate limits then count in memory); keep reconnecting.
  const redis = config.redisUrl
    ? new Redis(config.redisUrl, {
        connectTimeout: 1000,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
      })
    : null;
  // Connection errors are reported once by the app's logger (web/rate-limit-store.ts); without a listener ioredis prints each retry.
  redis?.on('error', () => {});
  if (redis) await connected(redis, 1000);
  const renderer = createRenderer(options.renderBudgetMs);
  const clock = options.clock ?? systemClock;
  const views = createViewCounter(config.sessionSecret, clock);
  const mailer = config.smtpUrl ? smtpMailer(config.smtpUrl, config.mailFrom) : null;
  const changes = sqlite
    ? sqliteChangeFeed(sqlite)
    : await postgresChangeFeed(config.databaseUrl ?? '', (error) =>
        log.warn('The change feed lost PostgreSQL; pages are not cached until it is back', error),
      );
  return {
    config,
    db,
    dialect,
    storage: storageFor(config),
    redis,
    clock,
    renderer,
    changes,
    subscribers: SUBSCRIBERS,
    mailer,
    log,
    views,
    pages: createPageCache(),
    sessions: createSessionCache(),
    tmpDir: join(config.dataDir, 'tmp'),
    async close() {
      await views.flush(db).catch((error) => log.warn('Chapter views waiting to be written were lost at shutdown', error));
      await renderer.close();
      mailer?.close();
      await changes.close();
      redis?.disconnect();
      await db.destroy();
    },
  };
}

/** Waits briefly for Redis at start, so a healthy one counts from the first request; a dead one is not waited for again. */
function connected(redis: Redis, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, timeoutMs);
    function done() {
      clearTimeout(timer);
      redis.off('ready', done);
      resolve();
    }
    redis.once('ready', done);
  });
}
