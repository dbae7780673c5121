import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, unzipSync, zipSync } from 'fflate';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createContext } from '../src/archive.ts';
import { loadConfig } from '../src/kernel/config.ts';
import { signUp } from '../src/modules/accounts/accounts.service.ts';
import { importStoryPage } from '../src/modules/import/import.service.ts';
import { BackupError, backup, restore } from '../src/modules/operations/backup.ts';
import { storyPageFixture } from './fixtures.ts';
import { dialects } from './harness.ts';
import { createTemplateDatabase, dropDatabase, urlFor } from './postgres.ts';

const admin = process.env.DATABASE_URL ?? '';
const cleanup: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

/** A data folder, and for PostgreSQL a database: migrated when `migrated`, else empty. */
async function archive(dialect: string, migrated: boolean) {
  const dataDir = mkdtempSync(join(tmpdir(), 'oak-backup-test-'));
  cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
  let databaseUrl = '';
  if (dialect === 'postgres') {
    const name = `oak_backup_${randomBytes(5).toString('hex')}`;
    if (migrated) await createTemplateDatabase(admin, name);
    else {
      const client = new pg.Client({ connectionString: admin });
      await client.connect();
      await client.query(`CREATE DATABASE "${name}"`);
      await client.end();
    }
    cleanup.push(() => dropDatabase(admin, name));
    databaseUrl = urlFor(admin, name);
  }
  return loadConfig({ DATA_DIR: dataDir, DATABASE_URL: databaseUrl, SESSION_SECRET: 'backup-test-'.padEnd(40, 'x') });
}

describe.each(dialects)('backup and restore on %s', (dialect) => {
  it('restores the database and the stored files into an empty archive, and refuses to overwrite one', async () => {
    const source = await archive(dialect, true);
    const ctx = await createContext(source);
    const user = await signUp(ctx, { username: 'keeper', display_name: 'Keeper', password: 'long password' });
    const story = await importStoryPage(ctx, user.id, storyPageFixture(), { title: 'Goodbye', publish: true });
    const cover = randomBytes(5000);
    await ctx.storage.put('covers/abc123.webp', cover);
    const file = join(source.dataDir, 'backup.zip');
    // Taken while the archive is open, as `oak backup` is while `oak serve` runs.
    const manifest = await backup(source, file);
    await ctx.close();
    expect(manifest).toMatchObject({ format: 'golden-oak-backup', dialect, files: 1 });

    const target = await archive(dialect, false);
    await restore(target, file, false);
    const restored = await createContext(target);
    const row = await restored.db.selectFrom('stories').select(['title', 'chapter_count']).where('id', '=', story.id).executeTakeFirst();
    expect(row).toEqual({ title: 'Goodbye', chapter_count: 1 });
    expect((await restored.db.selectFrom('users').select('username').execute()).map((u) => u.username)).toEqual(['keeper']);
    expect(readFileSync(join(target.dataDir, 'files', 'covers', 'abc123.webp')).equals(cover)).toBe(true);
    // The search index came back too.
    expect((await restored.db.selectFrom('chapters').select('id').execute()).length).toBe(1);
    await restored.close();

    await expect(restore(target, file, false)).rejects.toThrow(BackupError);
    await expect(restore(target, file, true)).resolves.toMatchObject({ dialect });
  });

  it('refuses what is not a backup, or one whose files would land outside the archive', async () => {
    const target = await archive(dialect, false);
    const dir = mkdtempSync(join(tmpdir(), 'oak-bad-backup-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const bad = (name: string, files: Record<string, Uint8Array>) => {
      const path = join(dir, name);
      writeFileSync(path, zipSync(files));
      return path;
    };
    const manifest = strToU8(JSON.stringify({ format: 'golden-oak-backup', version: 1, dialect, createdAt: 'x', files: 1 }));
    await expect(restore(target, bad('plain.zip', { 'hello.txt': strToU8('hi') }), false)).rejects.toThrow('not a Golden Oak backup');
    await expect(restore(target, bad('escape.zip', { 'manifest.json': manifest, '../../evil.txt': strToU8('x') }), false)).rejects.toThrow(
      'outside',
    );
    await expect(
      restore(target, bad('escape2.zip', { 'manifest.json': manifest, 'files/../oak.sqlite': strToU8('x') }), false),
    ).rejects.toThrow('outside');
    const other = dialect === 'sqlite' ? 'postgres' : 'sqlite';
    const wrong = strToU8(JSON.stringify({ format: 'golden-oak-backup', version: 1, dialect: other, createdAt: 'x', files: 0 }));
    await expect(restore(target, bad('wrong.zip', { 'manifest.json': wrong }), false)).rejects.toThrow('restore it with');
    expect(existsSync(join(target.dataDir, '..', 'evil.txt'))).toBe(false);
  });
});

describe.each(dialects)('a damaged or crafted backup changes nothing, on %s', (dialect) => {
  /** An archive with one account and one story, and a sound backup of it (its zip entries, unpacked). */
  async function archiveWithBackup() {
    const config = await archive(dialect, true);
    const ctx = await createContext(config);
    const user = await signUp(ctx, { username: 'keeper', display_name: 'Keeper', password: 'long password' });
    await importStoryPage(ctx, user.id, storyPageFixture(), { title: 'Goodbye', publish: true });
    const file = join(config.dataDir, 'backup.zip');
    await backup(config, file);
    return { config, ctx, entries: unzipSync(readFileSync(file)), file };
  }
  const titles = async (config: Awaited<ReturnType<typeof archive>>) => {
    const ctx = await createContext(config);
    try {
      return (await ctx.db.selectFrom('stories').select('title').execute()).map((row) => row.title);
    } finally {
      await ctx.close();
    }
  };

  it('refuses an entry whose bytes do not match its checksum, and a storage key with .. in it, before replacing anything', async () => {
    const { config, ctx, entries, file } = await archiveWithBackup();
    await ctx.db.updateTable('stories').set({ title: 'Still here' }).execute();
    await ctx.close();
    // One byte of the deflated database flipped inside an otherwise sound zip.
    const zip = readFileSync(file);
    const damaged = Buffer.from(zip);
    const at = zip.indexOf(Buffer.from(dialect === 'sqlite' ? 'database.sqlite' : 'database.pgdump')) + 100;
    damaged[at] = (damaged[at] ?? 0) ^ 0xff;
    writeFileSync(`${file}.damaged`, damaged);
    await expect(restore(config, `${file}.damaged`, true)).rejects.toThrow(/damaged/);
    const traversal = { ...entries, 'files/covers/../../../x.webp': strToU8('x') };
    writeFileSync(`${file}.traversal`, zipSync(traversal));
    await expect(restore(config, `${file}.traversal`, true)).rejects.toThrow('outside');
    expect(await titles(config)).toEqual(['Still here']);
  });

  it.runIf(dialect === 'sqlite')('refuses a SQLite database that fails its integrity check, keeping the archive there', async () => {
    const { config, ctx, entries, file } = await archiveWithBackup();
    await ctx.close();
    const database = Buffer.from(entries['database.sqlite'] as Uint8Array);
    // Garbage over the middle pages: the zip is sound, the database in it is not.
    randomBytes(8192).copy(database, Math.floor(database.length / 2 / 4096) * 4096);
    writeFileSync(`${file}.corrupt`, zipSync({ ...entries, 'database.sqlite': database }));
    await expect(restore(config, `${file}.corrupt`, true)).rejects.toThrow(/damaged/);
    expect(await titles(config)).toEqual(['Goodbye']);
  });

  it.runIf(dialect === 'postgres')('never runs what a crafted dump holds, and refuses one with no Golden Oak tables', async () => {
    const { config, ctx, entries, file } = await archiveWithBackup();
    await ctx.close();
    const marker = join(tmpdir(), `oak-crafted-${randomBytes(4).toString('hex')}`);
    cleanup.push(() => rmSync(marker, { force: true }));
    // The audit's dump: a CHECK constraint whose function writes through COPY … TO PROGRAM.
    const client = new pg.Client({ connectionString: config.databaseUrl });
    await client.connect();
    await client.query(
      `CREATE FUNCTION oak_evil(bigint) RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN EXECUTE 'COPY (SELECT 1) TO PROGRAM ''touch ${marker}'''; RETURN true; END $$`,
    );
    await client.query('ALTER TABLE users ADD CONSTRAINT evil CHECK (oak_evil(id))');
    rmSync(marker, { force: true });
    const dump = join(config.dataDir, 'crafted.pgdump');
    spawnSync('pg_dump', ['--format=custom', '--no-owner', '--file', dump, config.databaseUrl as string]);
    await client.query('CREATE TABLE strangers (id integer)');
    await client.query('INSERT INTO strangers VALUES (1)');
    const foreign = join(config.dataDir, 'foreign.pgdump');
    spawnSync('pg_dump', ['--format=custom', '--no-owner', '--table=strangers', '--file', foreign, config.databaseUrl as string]);
    await client.end();

    writeFileSync(`${file}.crafted`, zipSync({ ...entries, 'database.pgdump': readFileSync(dump) }));
    const target = await archive(dialect, false);
    await restore(target, `${file}.crafted`, false);
    expect(existsSync(marker)).toBe(false);
    expect(await titles(target)).toEqual(['Goodbye']);
    // The restored schema is ours: the dump's function and constraint did not come with it.
    const check = new pg.Client({ connectionString: target.databaseUrl });
    await check.connect();
    const extra = await check.query("SELECT proname FROM pg_proc WHERE proname = 'oak_evil'");
    await check.end();
    expect(extra.rows).toEqual([]);

    writeFileSync(`${file}.foreign`, zipSync({ ...entries, 'database.pgdump': readFileSync(foreign) }));
    await expect(restore(target, `${file}.foreign`, true)).rejects.toThrow(/Golden Oak does not have|no Golden Oak tables/);
    expect(await titles(target)).toEqual(['Goodbye']);
  });
});
