import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import type { Config } from '../../kernel/config.ts';
import type { Dialect } from '../../kernel/db/schema.ts';
import {
  putSnapshotInPlace,
  refuseOverwrite,
  SNAPSHOT_FILES,
  SnapshotError,
  snapshotKind,
  takeSnapshot,
  wrongKind,
} from '../../kernel/db/snapshot.ts';
import { isStorageKey, storageFor } from '../../kernel/storage/storage.ts';
import { reindexAll } from '../search/search.index.ts';
import { extractEntry, type ZipEntry, zipEntries } from './zip-entries.ts';

const CHUNK = 1024 * 1024;
/** What `oak backup` and `oak restore` refuse with: a damaged, foreign or misplaced backup. */
export const BackupError = SnapshotError;

type Manifest = { format: 'golden-oak-backup'; version: 1; dialect: Dialect; createdAt: string; files: number };

/**
 * A consistent online backup in one zip: the database (SQLite's backup API while the archive runs,
 * or `pg_dump` in its custom format), every stored file (covers, downloads people asked for) and a
 * manifest. Large files are copied a megabyte at a time, never held whole.
 */
export async function backup(config: Config, output: string): Promise<Manifest> {
  const scratch = mkdtempSync(join(tmpdir(), 'oak-backup-'));
  try {
    const kind = snapshotKind(config);
    const dump = join(scratch, kind.file);
    await takeSnapshot(config, dump);
    const storage = storageFor(config);
    const files: string[] = [];
    for await (const key of storage.list()) files.push(key);
    const manifest: Manifest = {
      format: 'golden-oak-backup',
      version: 1,
      dialect: kind.dialect,
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
      addFile(kind.file, dump);
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
 * (kernel/db/snapshot.ts: SQLite's integrity and foreign-key checks, or our own PostgreSQL
 * loader), which then takes the archive's place all at once.
 */
export async function restore(config: Config, input: string, force: boolean): Promise<Manifest> {
  const kind = snapshotKind(config);
  const entries = readEntries(input);
  await refuseOverwrite(config, force);
  // Unpacked inside DATA_DIR, so the checked database reaches its place by a rename.
  mkdirSync(config.dataDir, { recursive: true });
  const scratch = mkdtempSync(join(config.dataDir, '.restore-'));
  try {
    const manifest = await readManifest(input, entries, scratch, kind.dialect);
    const database = entries.find((entry) => entry.name === kind.file);
    if (!database) throw new BackupError('That backup holds no database.');
    const extracted = new Map<string, string>();
    for (const entry of entries) {
      if (entry.name === 'manifest.json') continue;
      const target = join(scratch, `entry-${extracted.size}`);
      await unpack(input, entry, target);
      extracted.set(entry.name, target);
    }
    await putSnapshotInPlace(config, extracted.get(kind.file) as string, reindexAll);
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
    if (!(stored || name === 'manifest.json' || SNAPSHOT_FILES.includes(name)) || seen.has(name)) {
      throw new BackupError(`That file is not a Golden Oak backup: it holds ${name.slice(0, 100)}, outside what oak backup writes.`);
    }
    seen.add(name);
  }
  if (!seen.has('manifest.json')) throw new BackupError('That file is not a Golden Oak backup (it has no manifest).');
  return entries;
}

async function readManifest(input: string, entries: ZipEntry[], scratch: string, dialect: Dialect): Promise<Manifest> {
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
  if (manifest.dialect !== dialect) throw new BackupError(wrongKind(manifest.dialect));
  return manifest;
}

async function unpack(input: string, entry: ZipEntry, target: string) {
  try {
    await extractEntry(input, entry, target);
  } catch (error) {
    throw new BackupError(`That backup is damaged: ${(error as Error).message}`);
  }
}
