import { execFile } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import { strToU8, Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import type { Config } from '../../kernel/config.ts';
import { sqliteFileIn } from '../../kernel/db/database.ts';
import { isStorageKey, storageFor } from '../../kernel/storage/storage.ts';
import { loadPgDump } from './pg-load.ts';
import { extractEntry, type ZipEntry, zipEntries } from './zip-entries.ts';

const run = promisify(execFile);
const CHUNK = 1024 * 1024;
const DATABASE_FILES = ['database.sqlite', 'database.pgdump'];

export class BackupError extends Error {}

type Manifest = { format: 'golden-oak-backup'; version: 1; dialect: 'sqlite' | 'postgres'; createdAt: string; files: number };

/**
 * A consistent online backup in one zip: the database (SQLite's backup API while the archive runs,
 * or `pg_dump` in its custom format), every stored file (covers, downloads people asked for) and a
 * manifest. Large files are copied a megabyte at a time, never held whole.
 */
export async function backup(config: Config, output: string): Promise<Manifest> {
  const scratch = mkdtempSync(join(tmpdir(), 'oak-backup-'));
  try {
    const dialect = config.databaseUrl ? 'postgres' : 'sqlite';
    const dump = join(scratch, dialect === 'sqlite' ? 'database.sqlite' : 'database.pgdump');
    if (dialect === 'sqlite') {
      const source = new SQLite(sqliteFileIn(config.dataDir), { readonly: true, fileMustExist: true });
      try {
        await source.backup(dump);
      } finally {
        source.close();
      }
    } else {
      await run('pg_dump', ['--format=custom', '--no-owner', '--file', dump, config.databaseUrl as string]);
    }
    const storage = storageFor(config);
    const files: string[] = [];
    for await (const key of storage.list()) files.push(key);
    const manifest: Manifest = {
      format: 'golden-oak-backup',
      version: 1,
      dialect,
      createdAt: new Date().toISOString(),
      files: files.length,
    };
    const out = openSync(output, 'w', 0o600);
    try {
      let failure: Error | null = null;
      const zip = new Zip((error, chunk) => {
        if (error) failure = error;
        else writeSync(out, chunk);
      });
      const manifestEntry = new ZipDeflate('manifest.json');
      zip.add(manifestEntry);
      manifestEntry.push(strToU8(JSON.stringify(manifest, null, 2)), true);
      const addFile = (name: string, path: string) => {
        const entry = new ZipDeflate(name, { level: 6 });
        zip.add(entry);
        const fd = openSync(path, 'r');
        try {
          const size = statSync(path).size;
          const buffer = Buffer.alloc(CHUNK);
          let offset = 0;
          while (offset < size) {
            const read = readSync(fd, buffer, 0, CHUNK, offset);
            offset += read;
            entry.push(buffer.subarray(0, read), offset >= size);
          }
          if (size === 0) entry.push(new Uint8Array(0), true);
        } finally {
          closeSync(fd);
        }
      };
      addFile(dialect === 'sqlite' ? 'database.sqlite' : 'database.pgdump', dump);
      // Stored files come from local disk or a bucket alike; covers are already compressed images, stored as they are.
      for (const file of files) {
        const bytes = await storage.get(file);
        if (!bytes) continue;
        const entry =
          file.endsWith('.webp') || file.endsWith('.jpg') ? new ZipPassThrough(`files/${file}`) : new ZipDeflate(`files/${file}`);
        zip.add(entry);
        entry.push(bytes, true);
      }
      zip.end();
      if (failure) throw failure;
    } finally {
      closeSync(out);
    }
    return manifest;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Puts a backup back: into an empty archive, or over one with `--force`. Nothing is replaced until
 * the whole backup has been checked: every entry's name (the database, the manifest, stored files
 * under keys of ours), every entry's size and CRC-32 as it is unpacked, and the database itself
 * (SQLite's integrity and foreign-key checks; on PostgreSQL, our own loader, pg-load.ts). The
 * SQLite file then takes the archive's place by a rename; PostgreSQL swaps schemas in one
 * transaction.
 */
export async function restore(config: Config, input: string, force: boolean): Promise<Manifest> {
  const dialect = config.databaseUrl ? 'postgres' : 'sqlite';
  const entries = readEntries(input);
  if (dialect === 'sqlite') refuseExisting(config, force);
  else await checkPostgresEmpty(config.databaseUrl as string, force);
  // Unpacked inside DATA_DIR, so the checked database reaches its place by a rename.
  mkdirSync(config.dataDir, { recursive: true });
  const scratch = mkdtempSync(join(config.dataDir, '.restore-'));
  try {
    const manifest = await readManifest(input, entries, scratch, dialect);
    const databaseName = dialect === 'sqlite' ? 'database.sqlite' : 'database.pgdump';
    const database = entries.find((entry) => entry.name === databaseName);
    if (!database) throw new BackupError('That backup holds no database.');
    const extracted = new Map<string, string>();
    for (const entry of entries) {
      if (entry.name === 'manifest.json') continue;
      const target = join(scratch, `entry-${extracted.size}`);
      await unpack(input, entry, target);
      extracted.set(entry.name, target);
    }
    const databaseFile = extracted.get(databaseName) as string;
    if (dialect === 'sqlite') {
      checkSqlite(databaseFile);
      replaceSqlite(config, databaseFile);
    } else {
      try {
        await loadPgDump(config.databaseUrl as string, databaseFile);
      } catch (error) {
        throw new BackupError((error as Error).message);
      }
    }
    const storage = storageFor(config);
    for (const [name, path] of extracted) {
      if (name.startsWith('files/')) await storage.put(name.slice('files/'.length), readFileSync(path));
    }
    return manifest;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The zip's directory, every name checked before anything is unpacked: only what oak backup writes. */
function readEntries(input: string): ZipEntry[] {
  let entries: ZipEntry[];
  try {
    entries = zipEntries(input);
  } catch (error) {
    throw new BackupError(`That file is not a Golden Oak backup: ${(error as Error).message}`);
  }
  const seen = new Set<string>();
  for (const { name } of entries) {
    const stored = name.startsWith('files/') && isStorageKey(name.slice('files/'.length));
    if (!(stored || name === 'manifest.json' || DATABASE_FILES.includes(name)) || seen.has(name)) {
      throw new BackupError(`That file is not a Golden Oak backup: it holds ${name.slice(0, 100)}, outside what oak backup writes.`);
    }
    seen.add(name);
  }
  if (!seen.has('manifest.json')) throw new BackupError('That file is not a Golden Oak backup (it has no manifest).');
  return entries;
}

async function readManifest(input: string, entries: ZipEntry[], scratch: string, dialect: Manifest['dialect']): Promise<Manifest> {
  const entry = entries.find((one) => one.name === 'manifest.json') as ZipEntry;
  if (entry.size > 64 * 1024) throw new BackupError('That file is not a Golden Oak backup (its manifest is far too long).');
  const path = join(scratch, 'manifest.json');
  await unpack(input, entry, path);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  } catch {
    throw new BackupError('That file is not a Golden Oak backup (its manifest is not JSON).');
  }
  if (manifest?.format !== 'golden-oak-backup') throw new BackupError('That file is not a Golden Oak backup.');
  if (manifest.dialect !== dialect) {
    throw new BackupError(
      `That backup is of a ${manifest.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'} archive; restore it with ${manifest.dialect === 'sqlite' ? 'DATABASE_URL unset' : 'DATABASE_URL set'} (use oak migrate-to-postgres to move from SQLite).`,
    );
  }
  return manifest;
}

async function unpack(input: string, entry: ZipEntry, target: string) {
  try {
    await extractEntry(input, entry, target);
  } catch (error) {
    throw new BackupError(`That backup is damaged: ${(error as Error).message}`);
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
        .get() as {
        n: number;
      };
      if (integrity !== 'ok') problem = `its database fails SQLite's integrity check (${String(integrity).slice(0, 200)})`;
      else if (foreign.length > 0) problem = `${foreign.length} of its rows point at rows that are not there`;
      else if (ours.n !== 3) problem = 'its database is not a Golden Oak archive';
    } finally {
      db.close();
    }
  } catch (error) {
    problem = `its database cannot be opened (${(error as Error).message})`;
  }
  if (problem) throw new BackupError(`That backup is damaged: ${problem}. Nothing was changed.`);
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

function refuseExisting(config: Config, force: boolean) {
  const target = sqliteFileIn(config.dataDir);
  if (existsSync(target) && statSync(target).size > 0 && !force) {
    throw new BackupError(`${target} already holds an archive: restore into an empty DATA_DIR, or pass --force to replace it.`);
  }
}

async function checkPostgresEmpty(databaseUrl: string, force: boolean) {
  const { stdout } = await run('psql', [
    '-tAc',
    "select count(*) from information_schema.tables where table_schema = 'public'",
    databaseUrl,
  ]);
  if (Number(stdout.trim()) > 0 && !force) {
    throw new BackupError(
      'That PostgreSQL database already holds tables: restore into an empty database, or pass --force to replace them.',
    );
  }
}
