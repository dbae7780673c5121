import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { Config } from './kernel/config.ts';
import { type Clock, type Context, systemClock } from './kernel/context.ts';
import { changeFeedFor } from './kernel/db/change-feed.ts';
import { openDatabase, sqliteFileIn } from './kernel/db/database.ts';
import { migrateToLatest } from './kernel/db/migrate.ts';
import { type Log, stderrLog } from './kernel/log.ts';
import { smtpMailer } from './kernel/mail/mailer.ts';
import { storageFor } from './kernel/storage/storage.ts';
import { createRenderer } from './kernel/text/render-pool.ts';
import { createPageCache } from './kernel/web/page-cache.ts';
import { SUBSCRIBERS } from './subscribers.ts';

// The composition root: the one place that builds a Context from the kernel's parts and hands it
// the subscribers every write's events run (src/subscribers.ts).

export type ContextOptions = { migrate?: boolean; sqliteFile?: string; clock?: Clock; renderBudgetMs?: number; log?: Log };

export async function createContext(config: Config, options: ContextOptions = {}): Promise<Context> {
  const log = options.log ?? stderrLog(config.logLevel);
  const { db, sqlite } = openDatabase({
    log,
    databaseUrl: config.databaseUrl,
    sqliteFile: options.sqliteFile ?? sqliteFileIn(config.dataDir),
  });
  if (options.migrate ?? true) await migrateToLatest(db);
  // Fail at once rather than queue while disconnected (rate limits then count in memory); keep reconnecting.
  const redis = config.redisUrl
    ? new Redis(config.redisUrl, {
        connectTimeout: 1000,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
      })
    : null;
  // Connection errors are reported once by the app's logger (kernel/web/rate-limit-store.ts); without a listener ioredis prints each retry.
  redis?.on('error', () => {});
  if (redis) await connected(redis, 1000);
  const renderer = createRenderer(options.renderBudgetMs);
  const clock = options.clock ?? systemClock;
  const mailer = config.smtpUrl ? smtpMailer(config.smtpUrl, config.mailFrom) : null;
  const changes = await changeFeedFor({ sqlite }, config.databaseUrl, (error) =>
    log.warn('The change feed lost PostgreSQL; pages are not cached until it is back', error),
  );
  const closing: (() => Promise<void>)[] = [];
  return {
    config,
    db,
    storage: storageFor(config),
    redis,
    clock,
    renderer,
    changes,
    subscribers: SUBSCRIBERS,
    mailer,
    log,
    pages: createPageCache(),
    tmpDir: join(config.dataDir, 'tmp'),
    onClose(task) {
      closing.push(task);
    },
    async close() {
      for (const task of closing) await task();
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
