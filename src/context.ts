import { join } from 'node:path';
import type { Config } from './config.ts';
import { openDatabase, sqliteFileIn } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import type { Db, Dialect } from './db/schema.ts';
import { localStorage, type Storage } from './storage/storage.ts';

export type Clock = { now(): number };

/** Everything a request or command needs, built once at start and passed down; no globals. */
export type Context = {
  config: Config;
  db: Db;
  dialect: Dialect;
  storage: Storage;
  clock: Clock;
  close(): Promise<void>;
};

export const systemClock: Clock = { now: () => Date.now() };

export type ContextOptions = { migrate?: boolean; sqliteFile?: string; clock?: Clock };

export async function createContext(config: Config, options: ContextOptions = {}): Promise<Context> {
  const { db, dialect } = openDatabase({
    databaseUrl: config.databaseUrl,
    sqliteFile: options.sqliteFile ?? sqliteFileIn(config.dataDir),
  });
  if (options.migrate ?? true) await migrateToLatest(db, dialect);
  return {
    config,
    db,
    dialect,
    storage: localStorage(join(config.dataDir, 'files')),
    clock: options.clock ?? systemClock,
    close: () => db.destroy(),
  };
}
