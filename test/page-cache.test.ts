import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { createContext } from '../src/archive.ts';
import { loadConfig } from '../src/kernel/config.ts';
import type { Context } from '../src/kernel/context.ts';
import { signUp } from '../src/modules/accounts/accounts.service.ts';
import { Agent } from './agent.ts';
import { createHarness, dialects, type Harness } from './harness.ts';
import { cloneDatabase, dropDatabase, urlFor } from './postgres.ts';
import { addChapter, createStory } from './stories.helpers.ts';

describe.each(dialects)('the page cache for anonymous readers on %s', (dialect) => {
  let h: Harness;
  let author: Agent;
  let storyId: number;
  let chapterId: number;
  let chapterUrl: string;
  beforeAll(async () => {
    h = await createHarness(dialect);
    author = await h.login('cacher');
    storyId = await createStory(author, { title: 'Cached Tale' });
    chapterId = await addChapter(author, storyId, { title: 'First Light', body: 'Dawn came slowly.' });
    chapterUrl = `/stories/${storyId}-cached-tale/chapters/${chapterId}-first-light`;
  });
  afterAll(() => h.close());

  it('answers a repeat visit with 304 by ETag, and keeps compressed copies', async () => {
    const reader = h.agent();
    const first = await reader.get(chapterUrl);
    expect(first.statusCode).toBe(200);
    expect(first.headers['cache-control']).toBe('no-cache');
    expect(first.headers['set-cookie']).toBeUndefined();
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect((await reader.get(chapterUrl, { 'if-none-match': etag })).statusCode).toBe(304);
    const br = await reader.get(chapterUrl, { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(first.body);
    const gzip = await reader.get(chapterUrl, { 'accept-encoding': 'gzip' });
    expect(gunzipSync(gzip.rawPayload).toString()).toBe(first.body);
  });

  it('keeps one page per address and the parameters the page reads, whatever else a query string holds', async () => {
    const visitor = h.agent();
    const chapter = await visitor.get(chapterUrl);
    await visitor.get('/');
    const before = h.ctx.pages.size;
    for (let i = 0; i < 20; i++) {
      const again = await visitor.get(`${chapterUrl}?r=${Math.random()}&utm_source=x${i}`);
      expect(again.headers.etag).toBe(chapter.headers.etag);
      await visitor.get(`/?x=${i}`);
    }
    expect(h.ctx.pages.size).toBe(before);
    // What a list reads is its own page (a cursor here); the extras beside it are not.
    const later = await visitor.get('/?after=1.1');
    expect((await visitor.get('/?zzz=1&after=1.1')).headers.etag).toBe(later.headers.etag);
    expect(h.ctx.pages.size).toBe(before + 1);
    // The shared page links back to its own address, never to another visitor's extra query.
    expect((await visitor.get('/?secret=mine')).body).not.toContain('secret');
  });

  it('keys pages by reading settings', async () => {
    const dark = h.agent();
    dark.cookies.set('oak_prefs', 'theme=dark&size=5&width=wide&font=sans');
    expect((await dark.get(chapterUrl)).body).toContain('data-theme="dark"');
    expect((await h.agent().get(chapterUrl)).body).toContain('data-theme="auto"');
  });

  it('gives signed-in readers the shared page under their own header, and authors and admins their own page', async () => {
    const anonymous = (await h.agent().get(chapterUrl)).body;
    const reader = await h.login('sharer');
    const page = await reader.get(chapterUrl);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers.etag).toBeUndefined();
    expect(page.body).toContain('Log out');
    expect(page.body).toContain('>sharer</a>');
    expect(page.body).not.toContain('>Log in</a>');
    const main = (html: string) => html.slice(html.indexOf('<main'));
    expect(main(page.body)).toBe(main(anonymous));
    // The header's log-out form carries this reader's own working token.
    const out = await reader.submit(chapterUrl, '/logout', {});
    expect(out.statusCode).toBe(303);

    const own = await author.get(chapterUrl);
    expect(own.body).toContain(`${chapterUrl}/edit`);
    const admin = await h.login('overseer', 'admin');
    expect((await admin.get(chapterUrl)).body).toContain(`${chapterUrl}/edit`);
    expect((await (await h.login('plainreader')).get(chapterUrl)).body).not.toContain(`${chapterUrl}/edit`);
  });

  it('shows a title edit, a display-name edit and a new chapter at once on every page they touch', async () => {
    const anon = h.agent();
    for (const url of ['/', `/stories/${storyId}`, chapterUrl, '/users/cacher']) await anon.get(url);

    await author.submit(`/stories/${storyId}/edit`, `/stories/${storyId}`, {
      title: 'Renamed Tale',
      summary: '',
      description: '',
      description_format: 'markdown',
      rating: 'teen',
      status: 'complete',
      warnings: 'No Archive Warnings Apply',
      tags: '',
    });
    await author.submit('/settings/account', '/settings/profile', { display_name: 'Cache Writer', bio: '' });
    const second = await addChapter(author, storyId, { title: 'Second Light' });

    for (const url of ['/', `/stories/${storyId}`, chapterUrl, '/users/cacher']) {
      const body = (await anon.get(url)).body;
      expect(body, url).toContain('Renamed Tale');
      expect(body, url).toContain('Cache Writer');
    }
    expect((await anon.get(`/stories/${storyId}`)).body).toContain('Second Light');
    expect((await anon.get(chapterUrl)).body).toContain('rel="next"');

    await author.submit(`/stories/${storyId}/chapters/${second}/delete`, `/stories/${storyId}/chapters/${second}/delete`, {});
    expect((await anon.get(`/stories/${storyId}`)).body).not.toContain('Second Light');
    expect((await anon.get(`/stories/${storyId}/chapters/${second}`)).statusCode).toBe(404);
    expect((await anon.get(chapterUrl)).body).not.toContain('rel="next"');
  });

  it('forgets a deleted story', async () => {
    const doomed = await createStory(author, { title: 'Doomed' });
    await addChapter(author, doomed);
    const anon = h.agent();
    expect((await anon.get(`/stories/${doomed}`)).statusCode).toBe(200);
    expect((await anon.get('/')).body).toContain('Doomed');
    await author.submit(`/stories/${doomed}/delete`, `/stories/${doomed}/delete`, {});
    expect((await anon.get(`/stories/${doomed}`)).statusCode).toBe(404);
    expect((await anon.get('/')).body).not.toContain('Doomed');
  });
});

/** Two archives on one database, as two web processes (or `oak serve` and `oak import`) would be. */
async function twoProcesses(dialect: 'sqlite' | 'postgres') {
  const dataDir = mkdtempSync(join(tmpdir(), 'oak-cache-'));
  let databaseUrl: string | undefined;
  const database = `oak_cache_${process.pid}_${Date.now()}`;
  if (dialect === 'postgres') {
    const admin = process.env.DATABASE_URL ?? '';
    await cloneDatabase(admin, inject('pgTemplate') ?? '', database);
    databaseUrl = urlFor(admin, database);
  }
  const config = loadConfig({ DATA_DIR: dataDir, SESSION_SECRET: 'cache-secret-'.padEnd(40, 'x'), DATABASE_URL: databaseUrl ?? '' });
  const contexts: Context[] = [await createContext(config), await createContext(config)];
  const apps: FastifyInstance[] = [await buildApp(contexts[0] as Context), await buildApp(contexts[1] as Context)];
  return {
    contexts,
    apps,
    async close() {
      for (const app of apps) await app.close();
      for (const ctx of contexts) await ctx.close();
      if (databaseUrl) await dropDatabase(process.env.DATABASE_URL ?? '', database);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Asks until `done` holds: PostgreSQL delivers notifications asynchronously, within milliseconds. */
async function eventually(ask: () => Promise<boolean>) {
  for (let i = 0; i < 50; i++) {
    if (await ask()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

describe.each(dialects)('pages cached in one process after a write in another, on %s', (dialect) => {
  let pair: Awaited<ReturnType<typeof twoProcesses>>;
  beforeAll(async () => {
    pair = await twoProcesses(dialect);
  });
  afterAll(() => pair.close());

  it('are never served stale', async () => {
    const [writerCtx] = pair.contexts as [Context, Context];
    const [writerApp, readerApp] = pair.apps as [FastifyInstance, FastifyInstance];
    await signUp(writerCtx, { username: 'farwriter', display_name: '', password: 'a long password' });
    const writer = new Agent(writerApp, '10.9.0.1');
    await writer.submit('/login', '/login', { username: 'farwriter', password: 'a long password' });
    const storyId = await createStory(writer, { title: 'Far Story' });
    await addChapter(writer, storyId, { title: 'Far Chapter' });

    const reader = new Agent(readerApp, '10.9.0.2');
    const before = await reader.get(`/stories/${storyId}`);
    expect(before.body).toContain('Far Chapter');
    expect((await reader.get('/')).body).toContain('Far Story');

    await addChapter(writer, storyId, { title: 'Second Far Chapter' });
    // PostgreSQL delivers the notification asynchronously; allow it a moment, never a stale page after.
    let after = '';
    for (let i = 0; i < 50 && !after.includes('Second Far Chapter'); i++) {
      after = (await reader.get(`/stories/${storyId}`)).body;
      if (!after.includes('Second Far Chapter')) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(after).toContain('Second Far Chapter');
  });

  it('sessions remembered by one process end when another logs them out or changes the password', async () => {
    const [writerCtx] = pair.contexts as [Context, Context];
    const [first, second] = pair.apps as [FastifyInstance, FastifyInstance];
    await signUp(writerCtx, { username: 'twoplaces', display_name: '', password: 'a long password' });
    const laptop = new Agent(first, '10.9.0.3');
    await laptop.submit('/login', '/login', { username: 'twoplaces', password: 'a long password' });
    const phone = new Agent(first, '10.9.0.4');
    await phone.submit('/login', '/login', { username: 'twoplaces', password: 'a long password' });
    // The same browsers' cookies, sent to the other process, which looks each session up once.
    const onSecond = (agent: Agent) => {
      const other = new Agent(second, agent.remoteAddress);
      for (const [name, value] of agent.cookies) other.cookies.set(name, value);
      return other;
    };
    expect((await onSecond(laptop).get('/settings/account')).statusCode).toBe(200);
    expect((await onSecond(phone).get('/settings/account')).statusCode).toBe(200);

    await phone.submit('/settings/account', '/logout', {});
    expect(await eventually(async () => (await onSecond(phone).get('/settings/account')).statusCode === 303)).toBe(true);

    const phoneAgain = new Agent(first, '10.9.0.5');
    await phoneAgain.submit('/login', '/login', { username: 'twoplaces', password: 'a long password' });
    expect((await onSecond(phoneAgain).get('/settings/account')).statusCode).toBe(200);
    await laptop.submit('/settings/account', '/settings/password', {
      current_password: 'a long password',
      password: 'another long password',
      password_confirmation: 'another long password',
    });
    expect(await eventually(async () => (await onSecond(phoneAgain).get('/settings/account')).statusCode === 303)).toBe(true);
    expect((await onSecond(laptop).get('/settings/account')).statusCode).toBe(200);
  });
});
