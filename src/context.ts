import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { Config } from './config.ts';
import { openDatabase, sqliteFileIn } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import type { Db, Dialect } from './db/schema.ts';
import { localStorage, type Storage } from './storage/storage.ts';
import { createRenderer, type Renderer } from './text/render-pool.ts';

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
  /** Formats user text in worker threads, within a time budget. */
  renderer: Renderer;
  close(): Promise<void>;
};

export const systemClock: Clock = { now: () => Date.now() };

export type ContextOptions = { migrate?: boolean; sqliteFile?: string; clock?: Clock; renderBudgetMs?: number };

export async function createContext(config: Config, options: ContextOptions = {}): Promise<Context> {
  const { db, dialect } = openDatabase({
    databaseUrl: config.databaseUrl,
    sqliteFile: options.sqliteFile ?? sqliteFileIn(config.dataDir),
  });
  if (options.migrate ?? true) await migrateToLatest(db, dialect);
  // Fail fast rather than queue: a rate-limit check should never hang a request.
  const redis = config.redisUrl ? new Redis(config.redisUrl, { connectTimeout: 1000, maxRetriesPerRequest: 1 }) : null;
  const renderer = createRenderer(options.renderBudgetMs);
  return {
    config,
    db,
    dialect,
    storage: localStorage(join(config.dataDir, 'files')),
    redis,
    clock: options.clock ?? systemClock,
    renderer,
    async close() {
      await renderer.close();
      redis?.disconnect();
      await db.destroy();
    },
  };
}
