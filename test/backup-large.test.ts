import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../src/archive.ts';
import { loadConfig } from '../src/kernel/config.ts';
import { sqliteFileIn } from '../src/kernel/db/database.ts';
import type { Db } from '../src/kernel/db/schema.ts';
import { storageFor } from '../src/kernel/storage/storage.ts';
import { signUp } from '../src/modules/accounts/accounts.service.ts';
import { dialects } from './harness.ts';
import { archiveEnv, OAK, serveArchive } from './served.ts';

const WORDS = ['lantern', 'harbour', 'quiet', 'ember', 'willow', 'stone', 'river', 'dusk', 'meadow', 'iron'];

/** One checksum per table: every row, in key order, as JSON (the search index is rebuilt on restore, so it is left out). */
async function tableSums(db: Db): Promise<Record<string, string>> {
  const tables = (await db.introspection.getTables()).map((table) => table.name).filter((name) => !/^(chapter_search|kysely_)/.test(name));
  const sums: Record<string, string> = {};
  for (const table of tables.sort()) {
    const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db)).rows;
    const lines = rows
      .map((row) =>
        JSON.stringify(
          Object.keys(row)
            .sort()
            .map((key) => row[key]),
        ),
      )
      .sort();
    sums[table] = `${rows.length}:${createHash('sha256').update(lines.join('\n')).digest('hex')}`;
  }
  return sums;
}

const oak = (env: NodeJS.ProcessEnv, ...args: string[]) => {
  const run = spawnSync(process.execPath, [OAK, ...args], { env, encoding: 'utf8', maxBuffer: 1 << 24 });
  expect(run.status, run.stderr + run.stdout).toBe(0);
  return run.stdout;
};

describe.each(dialects)('a backup of more than 100 MB, on %s', (dialect) => {
  let source: Awaited<ReturnType<typeof archiveEnv>>;
  let target: Awaited<ReturnType<typeof archiveEnv>>;
  const files = new Map<string, string>();
  let storyId = 0;
  beforeAll(async () => {
    source = await archiveEnv(dialect);
    target = await archiveEnv(dialect);
    const ctx = await createContext(loadConfig(source.env));
    const author = await signUp(ctx, { username: 'keeper', display_name: 'Keeper', password: 'keeper password' });
    const now = Date.now();
    const story = await ctx.db
      .insertInto('stories')
      .values({
        author_id: author.id,
        title: 'The Heavy Book',
        slug: 'the-heavy-book',
        summary: '',
        rating: 'everyone',
        status: 'complete',
        created_at: now,
        updated_at: now,
        published_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    storyId = story.id;
    // About 24 MB of chapter text (the audit's SQLite failures began near 19 MB) ...
    for (let n = 1; n <= 24; n++) {
      const body = Array.from({ length: 170_000 }, (_, i) => WORDS[(i * 7 + n * 13 + (i >> 5)) % WORDS.length]).join(' ');
      await ctx.db
        .insertInto('chapters')
        .values({
          story_id: storyId,
          position: n,
          title: `Part ${n}`,
          format: 'text',
          body_source: body,
          body_html: `<p>${body}</p>`,
          note_before_source: '',
          note_before_html: '',
          note_after_source: '',
          note_after_html: '',
          word_count: 170_000,
          created_at: now,
          updated_at: now,
          published_at: now,
        })
        .execute();
    }
    // ... and 105 MB of stored files that do not compress.
    const storage = storageFor(ctx.config);
    for (let n = 0; n < 21; n++) {
      const bytes = randomBytes(5 * 1024 * 1024);
      const key = `covers/large-${n}.webp`;
      await storage.put(key, bytes);
      files.set(key, createHash('sha256').update(bytes).digest('hex'));
    }
    await ctx.close();
  }, 300_000);
  afterAll(async () => {
    await source?.remove();
    await target?.remove();
  });

  it('restores byte- and row-identical through oak backup and oak restore, then serves it', { timeout: 600_000 }, async () => {
    // Backed up while the archive serves, as the README says it may be.
    const running = await serveArchive(source.env);
    const file = join(source.dataDir, 'large-backup.zip');
    try {
      oak(source.env, 'backup', '-o', file);
    } finally {
      running.stop();
    }
    expect(statSync(file).size).toBeGreaterThan(100 * 1024 * 1024);

    // Over a migrated archive on PostgreSQL (its tables replaced), into an empty folder on SQLite.
    expect(oak(target.env, 'restore', file, '--force')).toContain('Restored the backup');
    const before = await createContext(loadConfig(source.env));
    const after = await createContext(loadConfig(target.env));
    try {
      expect(await tableSums(after.db)).toEqual(await tableSums(before.db));
      const storage = storageFor(after.config);
      for (const [key, sum] of files)
        expect(
          createHash('sha256')
            .update((await storage.get(key)) as Buffer)
            .digest('hex'),
        ).toBe(sum);
      if (dialect === 'sqlite') {
        const integrity = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(after.db);
        expect(integrity.rows).toEqual([{ integrity_check: 'ok' }]);
      }
    } finally {
      await before.close();
      await after.close();
    }
    if (dialect === 'sqlite') {
      // The database file is exactly the one in the zip.
      const zipped = unzipSync(readFileSync(file), { filter: (entry) => entry.name === 'database.sqlite' })['database.sqlite'];
      expect(Buffer.from(readFileSync(sqliteFileIn(target.dataDir))).equals(Buffer.from(zipped as Uint8Array))).toBe(true);
      expect(statSync(sqliteFileIn(target.dataDir)).mode & 0o777).toBe(0o600);
    }

    const restored = await serveArchive(target.env);
    try {
      const chapter = await fetch(`${restored.base}/stories/${storyId}`, { redirect: 'follow' });
      expect(chapter.status).toBe(200);
      expect(await chapter.text()).toContain('The Heavy Book');
    } finally {
      restored.stop();
    }
  });
});
