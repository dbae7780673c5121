import type SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import type { Db } from './schema.ts';

/**
 * What a write may have changed: the story lists, one story's own pages, or who is signed in as whom
 * (sessions ended, names and roles changed).
 */
export type Scope = 'lists' | 'sessions' | `story:${number}`;

/**
 * Tells every web process which rendered pages a write made stale, without a query per request.
 * `version(scope)` is a token that changes whenever anything in that scope may have changed; a page
 * cache keyed by it never serves a stale page. `write` (src/events) calls `publish` inside the write's
 * transaction and `committed` after it, with the scopes the write's events made stale.
 */
export type ChangeFeed = {
  version(scope: Scope): string;
  /** PostgreSQL: NOTIFY, which other processes receive only if and when the transaction commits. */
  publish(trx: Db, scopes: Scope[]): Promise<void>;
  /** Marks the scopes changed in this process at once (its own NOTIFY arrives a little later). */
  committed(scopes: Scope[]): void;
  close(): Promise<void>;
};

const CHANNEL = 'oak_changes';

/** Counters per scope, plus an epoch that moves when changes may have been missed. */
function counters() {
  const counts = new Map<Scope, number>();
  let epoch = 0;
  return {
    key: (scope: Scope) => `${epoch}.${counts.get(scope) ?? 0}`,
    bump(scopes: Scope[]) {
      for (const scope of scopes) counts.set(scope, (counts.get(scope) ?? 0) + 1);
    },
    bumpEpoch() {
      epoch++;
      counts.clear();
    },
  };
}

/**
 * SQLite: one process writes through its own connection and bumps its counters. Another process
 * (`oak import` while `oak serve` runs) is noticed through `PRAGMA data_version`, which changes when
 * any other connection commits; it reads shared memory, not a table. It is asked at most once a
 * millisecond: under a crowd that is one look for dozens of pages, and a page can be at most a
 * millisecond behind another process's commit, as it would be had it been asked a moment sooner.
 */
export function sqliteChangeFeed(database: SQLite.Database, clock: () => number = performance.now.bind(performance)): ChangeFeed {
  const state = counters();
  const dataVersion = database.prepare('pragma data_version').pluck();
  let seen = dataVersion.get() as number;
  let checkedAt = clock();
  return {
    version(scope) {
      const now = clock();
      if (now - checkedAt >= 1) {
        checkedAt = now;
        const current = dataVersion.get() as number;
        if (current !== seen) {
          seen = current;
          state.bumpEpoch();
        }
      }
      return state.key(scope);
    },
    publish: async () => {},
    committed: (scopes) => state.bump(scopes),
    close: async () => {},
  };
}

/**
 * PostgreSQL: LISTEN on a connection of its own. While it is down, every version is new (nothing is
 * served from cache); when it is back, the epoch moves, since notifications may have been missed.
 */
export async function postgresChangeFeed(databaseUrl: string, onError: (error: Error) => void = () => {}): Promise<ChangeFeed> {
  const state = counters();
  let live = false;
  let closed = false;
  let unique = 0;
  let client: pg.Client | null = null;

  async function connect(attempt = 0): Promise<void> {
    if (closed) return;
    const next = new pg.Client({ connectionString: databaseUrl });
    next.on('notification', (message) => {
      if (message.channel === CHANNEL) state.bump((message.payload ?? '').split(',').filter(Boolean) as Scope[]);
    });
    next.on('error', (error) => {
      live = false;
      onError(error);
    });
    // Only a connection that was listening reconnects when it ends; a failed attempt retries below,
    // once. (Both retrying made every failure two attempts: thousands of connections within minutes.)
    next.on('end', () => {
      if (client !== next) return;
      client = null;
      live = false;
      if (!closed) setTimeout(() => void connect(1), 500).unref();
    });
    try {
      await next.connect();
      await next.query(`listen ${CHANNEL}`);
      client = next;
      state.bumpEpoch();
      live = true;
    } catch (error) {
      onError(error as Error);
      await next.end().catch(() => {});
      if (!closed) setTimeout(() => void connect(attempt + 1), Math.min(500 * 2 ** attempt, 5000)).unref();
    }
  }
  await connect();

  return {
    version: (scope) => (live ? state.key(scope) : `offline.${unique++}`),
    async publish(trx, scopes) {
      if (scopes.length > 0) await sql`select pg_notify(${CHANNEL}, ${scopes.join(',')})`.execute(trx);
    },
    committed: (scopes) => state.bump(scopes),
    async close() {
      closed = true;
      live = false;
      await client?.end().catch(() => {});
    },
  };
}

export const storyScope = (storyId: number): Scope => `story:${storyId}`;

/** The change feed of the database `openDatabase` opened: SQLite's in-process one, or PostgreSQL's LISTEN/NOTIFY. */
export async function changeFeedFor(
  opened: { sqlite?: SQLite.Database | undefined },
  databaseUrl: string | undefined,
  onError: (error: Error) => void,
): Promise<ChangeFeed> {
  return opened.sqlite ? sqliteChangeFeed(opened.sqlite) : await postgresChangeFeed(databaseUrl ?? '', onError);
}
