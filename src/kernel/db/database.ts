import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresAdapter, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { Log } from '../log.ts';
import type { Database, Db, Dialect } from './schema.ts';

// int8 (COUNT, SUM, bigint timestamps) arrives as a string by default; our values fit in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/** `sqlite` is the raw connection, for the few things Kysely does not do (db/change-feed.ts). */
export type DatabaseHandle = { db: Db; dialect: Dialect; sqlite?: SQLite.Database };

/** `log` hears of connections lost while idle or mid-query (each fails only its own query). */
export type DatabaseTarget = { databaseUrl?: string | undefined; sqliteFile?: string; log?: Log };

/** Which database a handle (or a transaction) talks to, for the few queries the dialects write differently (full-text search). */
export const dialectOf = (db: Db): Dialect => (db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite');

/** Opens PostgreSQL when a URL is given, else SQLite (a file, or `:memory:` in tests). */
export function openDatabase(target: DatabaseTarget): DatabaseHandle {
  if (target.databaseUrl) {
    const pool = new pg.Pool({ connectionString: target.databaseUrl, max: 10 });
    // A connection the server ends (a failover, a pooler restart, an administrator) emits 'error':
    // on the pool while it is idle there, on the client itself while it is lent out mid-query. Without
    // a listener either would end the process; with one, the query in flight fails (its request
    // answers 500) and the pool, finding the client no longer queryable, drops it and connects anew.
    const lost = (error: Error) => target.log?.warn('A PostgreSQL connection was lost; the pool connects anew', error);
    pool.on('error', lost);
    pool.on('connect', (client) => client.on('error', lost));
    return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), dialect: 'postgres' };
  }
  const file = target.sqliteFile ?? ':memory:';
  // Created private (SQLite gives its -wal and -shm files the same mode).
  if (file !== ':memory:') closeSync(openSync(file, 'a', 0o600));
  const sqlite = new SQLite(file);
  // WAL + FULL: an acknowledged commit is on disk; busy_timeout lets the CLI and server share the file.
  if (file !== ':memory:') sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return { db: new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) }), dialect: 'sqlite', sqlite };
}

/**
 * Kysely prepares every query afresh; better-sqlite3 statements can be reused, and preparing was a
 * tenth of a page's time. Keeps the most recently used statements, keyed by their SQL text.
 */
function withStatementCache(sqlite: SQLite.Database, size = 256) {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      const cached = cache.get(sql);
      if (cached) {
        cache.delete(sql);
        cache.set(sql, cached);
        return cached;
      }
      const statement = sqlite.prepare(sql);
      cache.set(sql, statement);
      if (cache.size > size) cache.delete(cache.keys().next().value as string);
      return statement;
    },
  };
}

export function sqliteFileIn(dataDir: string): string {
  return join(dataDir, 'oak.sqlite');
}

/**
 * Refreshes the query planner's statistics after a bulk write (oak generate, restore, migration).
 * Until autovacuum gets to it, PostgreSQL plans the tag pages as for empty tables: 2–3.6 s a page.
 */
export async function analyze(db: Db): Promise<void> {
  await sql`analyze`.execute(db);
}
