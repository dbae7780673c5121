import { execFile } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import { strFromU8, strToU8, Unzip, UnzipInflate, Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import type { Config } from '../../config.ts';
import { sqliteFileIn } from '../../db/database.ts';
import { isStorageKey, storageFor } from '../../storage/storage.ts';

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
 * Puts a backup back: into an empty SQLite data folder, or an empty PostgreSQL database (`--force`
 * replaces what is there). Entries are read as a stream; a path that would leave the data folder
 * is refused.
 */
export async function restore(config: Config, input: string, force: boolean): Promise<Manifest> {
  const scratch = mkdtempSync(join(tmpdir(), 'oak-restore-'));
  try {
    const extracted = new Map<string, string>();
    let manifestText = '';
    let failure: Error | null = null;
    const unzip = new Unzip((file) => {
      if (file.name === 'manifest.json') {
        const parts: Uint8Array[] = [];
        file.ondata = (error, chunk, final) => {
          if (error) failure = error;
          parts.push(chunk);
          if (final) manifestText = strFromU8(Buffer.concat(parts));
        };
        file.start();
        return;
      }
      const target = resolve(scratch, file.name);
      // Only the database and stored files, each landing where it belongs; anything else is not ours.
      const stored = file.name.startsWith('files/') && isStorageKey(file.name.slice('files/'.length));
      if (!target.startsWith(scratch + sep) || file.name.includes('\\') || !(stored || DATABASE_FILES.includes(file.name))) {
        failure = new BackupError(
          `That file is not a Golden Oak backup: it holds ${file.name.slice(0, 100)}, outside what oak backup writes.`,
        );
        return;
      }
      mkdirSync(dirname(target), { recursive: true });
      const fd = openSync(target, 'w', 0o600);
      extracted.set(file.name, target);
      file.ondata = (error, chunk, final) => {
        if (error) failure = error;
        else writeSync(fd, chunk);
        if (final) closeSync(fd);
      };
      file.start();
    });
    unzip.register(UnzipInflate);
    const fd = openSync(input, 'r');
    try {
      const size = statSync(input).size;
      const buffer = Buffer.alloc(CHUNK);
      let offset = 0;
      while (offset < size) {
        const read = readSync(fd, buffer, 0, CHUNK, offset);
        offset += read;
        unzip.push(buffer.subarray(0, read), offset >= size);
        if (failure) throw failure;
      }
    } finally {
      closeSync(fd);
    }
    let manifest: Manifest;
    try {
      manifest = JSON.parse(manifestText) as Manifest;
    } catch {
      throw new BackupError('That file is not a Golden Oak backup (it has no manifest).');
    }
    if (manifest.format !== 'golden-oak-backup') throw new BackupError('That file is not a Golden Oak backup.');
    const dialect = config.databaseUrl ? 'postgres' : 'sqlite';
    const database = extracted.get(dialect === 'sqlite' ? 'database.sqlite' : 'database.pgdump');
    if (manifest.dialect === dialect && !database) throw new BackupError('That backup holds no database.');
    if (manifest.dialect !== dialect) {
      throw new BackupError(
        `That backup is of a ${manifest.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'} archive; restore it with ${manifest.dialect === 'sqlite' ? 'DATABASE_URL unset' : 'DATABASE_URL set'} (use oak migrate-to-postgres to move from SQLite).`,
      );
    }
    if (dialect === 'sqlite') {
      const target = sqliteFileIn(config.dataDir);
      if (existsSync(target) && statSync(target).size > 0 && !force) {
        throw new BackupError(`${target} already holds an archive: restore into an empty DATA_DIR, or pass --force to replace it.`);
      }
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${target}${suffix}`, { force: true });
      const restored = new SQLite(database ?? '', { fileMustExist: true });
      try {
        await restored.backup(target);
      } finally {
        restored.close();
      }
    } else {
      const { stdout } = await run('psql', [
        '-tAc',
        "select count(*) from information_schema.tables where table_schema = 'public'",
        config.databaseUrl as string,
      ]);
      if (Number(stdout.trim()) > 0 && !force) {
        throw new BackupError(
          'That PostgreSQL database already holds tables: restore into an empty database, or pass --force to replace them.',
        );
      }
      await run('pg_restore', ['--no-owner', '--clean', '--if-exists', '--dbname', config.databaseUrl as string, database ?? '']);
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
