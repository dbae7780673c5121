import { execFile } from 'node:child_process';
import { chmodSync, closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import type { Config } from '../config.ts';
import { sqliteFileIn } from './database.ts';
import { loadPgDump } from './pg-load.ts';
import type { Db, Dialect } from './schema.ts';

// The database as one file and back, for `oak backup` and `oak restore`: the only place that knows
// a SQLite archive is copied with SQLite's backup API and a PostgreSQL one with pg_dump.

const run = promisify(execFile);

/** A snapshot that cannot be taken or put back; the message says why and what to do. */
export class SnapshotError extends Error {}

export type SnapshotKind = {
  dialect: Dialect;
  /** Its name inside a backup. */
  file: 'database.sqlite' | 'database.pgdump';
  /** As people name it. */
  label: 'SQLite' | 'PostgreSQL';
};

const KINDS: Record<Dialect, SnapshotKind> = {
  sqlite: { dialect: 'sqlite', file: 'database.sqlite', label: 'SQLite' },
  postgres: { dialect: 'postgres', file: 'database.pgdump', label: 'PostgreSQL' },
};
export const SNAPSHOT_FILES: readonly string[] = Object.values(KINDS).map((kind) => kind.file);

/** The kind of snapshot this configuration's database takes (DATABASE_URL set: PostgreSQL). */
export const snapshotKind = (config: Config): SnapshotKind => KINDS[config.databaseUrl ? 'postgres' : 'sqlite'];
export const kindOf = (dialect: Dialect): SnapshotKind => KINDS[dialect];

/** Where a snapshot of the other kind goes instead. */
export function wrongKind(found: Dialect): string {
  const kind = KINDS[found];
  return `That backup is of a ${kind.label} archive; restore it with ${found === 'sqlite' ? 'DATABASE_URL unset' : 'DATABASE_URL set'} (use oak migrate-to-postgres to move from SQLite).`;
}

/** A consistent copy while the archive runs: SQLite's online backup, or `pg_dump` in its custom format. */
export async function takeSnapshot(config: Config, file: string): Promise<void> {
  if (!config.databaseUrl) {
    const source = new SQLite(sqliteFileIn(config.dataDir), { readonly: true, fileMustExist: true });
    try {
      await source.backup(file);
    } finally {
      source.close();
    }
  } else {
    await run('pg_dump', ['--format=custom', '--no-owner', '--file', file, config.databaseUrl]);
  }
}

/** Refuses to put a snapshot over an archive that holds one, unless `force`. */
export async function refuseOverwrite(config: Config, force: boolean): Promise<void> {
  if (force) return;
  if (!config.databaseUrl) {
    const target = sqliteFileIn(config.dataDir);
    if (existsSync(target) && statSync(target).size > 0) {
      throw new SnapshotError(`${target} already holds an archive: restore into an empty DATA_DIR, or pass --force to replace it.`);
    }
    return;
  }
  const { stdout } = await run('psql', [
    '-tAc',
    "select count(*) from information_schema.tables where table_schema = 'public'",
    config.databaseUrl,
  ]);
  if (Number(stdout.trim()) > 0) {
    throw new SnapshotError(
      'That PostgreSQL database already holds tables: restore into an empty database, or pass --force to replace them.',
    );
  }
}

/**
 * Puts a checked snapshot in the archive's place, all at once: the SQLite file by a rename within
 * DATA_DIR (after its integrity and foreign-key checks), a PostgreSQL dump through our own loader
 * (pg-load.ts), which swaps schemas in one transaction. `rebuild` recomputes what is derived and
 * never read from a dump (the search index).
 */
export async function putSnapshotInPlace(config: Config, file: string, rebuild: (db: Db) => Promise<void>): Promise<void> {
  if (!config.databaseUrl) {
    checkSqlite(file);
    replaceSqlite(config, file);
    return;
  }
  try {
    await loadPgDump(config.databaseUrl, file, rebuild);
  } catch (error) {
    throw new SnapshotError((error as Error).message);
  }
}

/** The unpacked database must be sound and ours before it replaces anything. */
function checkSqlite(file: string) {
  let problem: string | null = null;
  try {
    const db = new SQLite(file, { readonly: true, fileMustExist: true });
    try {
      const integrity = db.pragma('integrity_check', { simple: true });
      const foreign = db.pragma('foreign_key_check') as unknown[];
      const ours = db
        .prepare("select count(*) as n from sqlite_master where type = 'table' and name in ('users', 'stories', 'kysely_migration')")
        .get() as { n: number };
      if (integrity !== 'ok') problem = `its database fails SQLite's integrity check (${String(integrity).slice(0, 200)})`;
      else if (foreign.length > 0) problem = `${foreign.length} of its rows point at rows that are not there`;
      else if (ours.n !== 3) problem = 'its database is not a Golden Oak archive';
    } finally {
      db.close();
    }
  } catch (error) {
    problem = `its database cannot be opened (${(error as Error).message})`;
  }
  if (problem) throw new SnapshotError(`That backup is damaged: ${problem}. Nothing was changed.`);
}

/**
 * Moves the checked file into place by a rename within DATA_DIR (atomic on one file system), with
 * the mode the server gives its database. The old archive's write-ahead log is folded in and
 * removed first: left beside the new file, SQLite would apply it there.
 */
function replaceSqlite(config: Config, file: string) {
  const target = sqliteFileIn(config.dataDir);
  if (existsSync(target) && statSync(target).size > 0) {
    const old = new SQLite(target, { fileMustExist: true });
    try {
      old.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      old.close();
    }
  }
  for (const suffix of ['-wal', '-shm']) rmSync(`${target}${suffix}`, { force: true });
  chmodSync(file, 0o600);
  const fd = openSync(file, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(file, target);
}
