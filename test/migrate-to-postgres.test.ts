import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { createContext } from '../src/archive.ts';
import { loadConfig } from '../src/kernel/config.ts';
import { MigrationCopyError, migrateToPostgres } from '../src/modules/operations/migrate-to-postgres.ts';
import { Agent } from './agent.ts';
import { dropDatabase, urlFor } from './postgres.ts';
import { addChapter, createStory } from './stories.helpers.ts';

const admin = process.env.DATABASE_URL ?? '';

describe.skipIf(!admin)('oak migrate-to-postgres', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'oak-migrate-'));
  const database = `oak_migrate_${randomBytes(5).toString('hex')}`;
  afterAll(async () => {
    await dropDatabase(admin, database);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('copies a SQLite archive into PostgreSQL with every row count and checksum the same, and it runs there', async () => {
    // A SQLite archive with a bit of everything, made through the site.
    const config = loadConfig({ DATA_DIR: dataDir, SESSION_SECRET: 'migrate-test-'.padEnd(40, 'x'), DATABASE_URL: '' });
    const ctx = await createContext(config);
    const app = await buildApp(ctx);
    const { signUp } = await import('../src/modules/accounts/accounts.service.ts');
    const agentFor = async (name: string) => {
      await signUp(ctx, { username: name, display_name: '', password: `${name}-password` });
      const agent = new Agent(app, `10.9.0.${name.length}`);
      await agent.submit('/login', '/login', { username: name, password: `${name}-password` });
      return agent;
    };
    const author = await agentFor('author');
    const reader = await agentFor('reader');
    const story = await createStory(author, { title: 'Moving House', tags: 'Friendship, friendshipp' });
    const chapter = await addChapter(author, story, { body: 'The boxes were heavy with *books*.' });
    const comments = `/stories/${story}/chapters/${chapter}/comments`;
    await reader.submit(comments, comments, { body: 'Lovely.', format: 'markdown' });
    const first = (await ctx.db.selectFrom('comments').select('id').executeTakeFirstOrThrow()).id;
    await author.submit(comments, comments, { body: 'Thanks!', format: 'markdown', parent_id: String(first) });
    await reader.submit('/users/author', '/users/author/follow', { action: 'follow' });
    // A synonym whose canonical tag was made after it (a later id): the copy must not trip on it.
    const typo = await ctx.db.selectFrom('tags').select('id').where('name', '=', 'friendshipp').executeTakeFirstOrThrow();
    await ctx.db
      .insertInto('tags')
      .values({
        name: 'Friendship (canonical)',
        name_key: 'friendship (canonical)',
        type: 'freeform',
        canonical: 1,
        created_at: 1,
      } as never)
      .execute();
    const canonical = await ctx.db.selectFrom('tags').select('id').where('name', '=', 'Friendship (canonical)').executeTakeFirstOrThrow();
    await ctx.db
      .updateTable('tags')
      .set({ canonical_id: canonical.id } as never)
      .where('id', '=', typo.id)
      .execute();
    expect(canonical.id).toBeGreaterThan(typo.id);
    await app.close();
    await ctx.close();

    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    await client.query(`CREATE DATABASE "${database}"`);
    await client.end();
    const url = urlFor(admin, database);
    const reports = await migrateToPostgres(config, url);
    expect(reports.every((report) => report.same)).toBe(true);
    const count = (table: string) => reports.find((report) => report.table === table)?.rows;
    expect([count('users'), count('stories'), count('chapters'), count('comments'), count('follows')]).toEqual([2, 1, 1, 2, 1]);

    // The archive runs on PostgreSQL: the story, its search, and new rows get new ids.
    const pgConfig = loadConfig({ DATA_DIR: dataDir, SESSION_SECRET: 'migrate-test-'.padEnd(40, 'x'), DATABASE_URL: url });
    const pgCtx = await createContext(pgConfig);
    const pgApp = await buildApp(pgCtx);
    try {
      const visitor = new Agent(pgApp, '10.9.1.1');
      expect((await visitor.get(`/stories/${story}`)).body).toContain('Moving House');
      expect((await visitor.get('/search?q=boxes')).body).toContain('Moving House');
      const again = new Agent(pgApp, '10.9.1.2');
      await again.submit('/login', '/login', { username: 'author', password: 'author-password' });
      const newer = await createStory(again, { title: 'Settling In' });
      expect(newer).toBeGreaterThan(story);
    } finally {
      await pgApp.close();
      await pgCtx.close();
    }
    // A database that already holds an archive is refused.
    await expect(migrateToPostgres(config, url)).rejects.toThrow(MigrationCopyError);
  });
});
