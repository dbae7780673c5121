import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from './agent.ts';
import { createHarness, dialects, type Harness, testClock } from './harness.ts';
import { addChapter, createStory } from './stories.helpers.ts';

const titles = (xml: string) => [...xml.matchAll(/<entry>\s*<id>[^<]*<\/id>\s*<title>([^<]*)<\/title>/g)].map((m) => m[1]);

describe.each(dialects)('the OPDS catalog on %s', (dialect) => {
  let h: Harness;
  let author: Agent;
  let reader: Agent;
  const clock = testClock();
  beforeAll(async () => {
    h = await createHarness(dialect, clock);
    author = await h.login('writer');
    reader = await h.login('reader');
    for (const title of ['Lighthouse', 'Harbour', 'Canal']) {
      const id = await createStory(author, { title, tags: 'Friendship' });
      await addChapter(author, id, { body: `The ${title.toLowerCase()} at dusk.` });
      clock.advance(1000);
    }
  });
  afterAll(() => h.close());

  const get = (url: string, headers: Record<string, string> = {}) => h.app.inject({ url, headers });

  it('starts at a navigation feed with search, and lists stories with their EPUB and tags', async () => {
    const root = await get('/opds');
    expect(root.headers['content-type']).toBe('application/atom+xml;profile=opds-catalog;kind=navigation; charset=utf-8');
    expect(root.body).toContain('rel="search" type="application/opensearchdescription+xml"');
    expect(root.body).toContain('href="/opds/latest"');
    const description = await get('/opds/opensearch.xml');
    expect(description.body).toContain('template="/opds/search?q={searchTerms}"');
    const latest = await get('/opds/latest');
    expect(latest.headers['content-type']).toContain('kind=acquisition');
    expect(titles(latest.body)).toEqual(['Canal', 'Harbour', 'Lighthouse']);
    expect(latest.body).toMatch(
      /<link rel="http:\/\/opds-spec\.org\/acquisition\/open-access" type="application\/epub\+zip" href="\/stories\/\d+\/download\/epub"\/>/,
    );
    expect(latest.body).toContain('<category term="Friendship" label="Friendship"/>');
    const epub = /href="(\/stories\/\d+\/download\/epub)"/.exec(latest.body)?.[1] ?? '';
    expect((await get(epub)).headers['content-type']).toBe('application/epub+zip');
  });

  it('searches the text and pages long lists with next links', async () => {
    expect(titles((await get('/opds/search?q=lighthouse')).body)).toEqual(['Lighthouse']);
    expect((await get('/opds/search?q=%22')).statusCode).toBe(400);
    const tag = await h.ctx.db.selectFrom('tags').select('id').where('name', '=', 'Friendship').executeTakeFirstOrThrow();
    expect(titles((await get(`/opds/tags/${tag.id}`)).body)).toHaveLength(3);
    expect((await get('/opds/tags')).body).toContain(`href="/opds/tags/${tag.id}"`);
    expect(titles((await get('/opds/authors/writer')).body)).toHaveLength(3);
    expect((await get('/opds/authors/nobody')).statusCode).toBe(404);
    // The catalog answers reader apps in plain text, an address it does not have too; the site's pages in HTML.
    for (const path of ['/opds/authors/nobody', '/opds/no-such-feed', '/opds/search?q=%22']) {
      const refused = await get(path);
      expect(refused.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(refused.body).not.toContain('<html');
    }
    expect((await get('/no-such-page')).headers['content-type']).toContain('text/html');
    // And the health check in JSON, for load balancers.
    const unhealthy = await get('/healthz?%00');
    expect([unhealthy.statusCode, JSON.parse(unhealthy.body).status]).toEqual([400, 'error']);
    // 25 more stories: the first page holds 20 and links the next.
    for (let i = 0; i < 25; i++) {
      const id = await createStory(author, { title: `Filler ${i}` });
      await addChapter(author, id);
    }
    const first = (await get('/opds/latest')).body;
    const next = /<link rel="next" type="[^"]*" href="([^"]+)"/.exec(first)?.[1]?.replaceAll('&amp;', '&');
    expect(titles(first)).toHaveLength(20);
    const second = (await get(next ?? '')).body;
    expect(titles(second)).toHaveLength(8);
    expect(titles(second)).not.toContain(titles(first)[0]);
  });

  it('shows a reader their shelves and saved searches only with their catalog token', async () => {
    const settings = (await reader.get('/settings/catalog')).body;
    const token = /<dd><code>([A-Za-z0-9_-]{32})<\/code><\/dd>/.exec(settings)?.[1] ?? '';
    expect(token).toHaveLength(32);
    const basic = (user: string, secret: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}` });
    const anonymous = await get('/opds/mine');
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['www-authenticate']).toContain('Basic');
    expect((await get('/opds/mine', basic('reader', 'reader-password'))).statusCode).toBe(401);
    expect((await get('/opds/mine', basic('writer', token))).statusCode).toBe(401);
    const mine = await get('/opds/mine', basic('reader', token));
    expect(mine.statusCode).toBe(200);
    expect(mine.headers['cache-control']).toBe('private, no-store');
    expect(mine.body).toContain('Read later');
    const shelf = /href="(\/opds\/shelves\/\d+)"/.exec(mine.body)?.[1] ?? '';
    expect((await get(shelf, basic('reader', token))).statusCode).toBe(200);
    expect(
      (
        await get(
          shelf,
          basic(
            'writer',
            (/<dd><code>([A-Za-z0-9_-]{32})<\/code><\/dd>/.exec((await author.get('/settings/catalog')).body) ?? ['', ''])[1] ?? '',
          ),
        )
      ).statusCode,
    ).toBe(404);
    // A new password revokes the token.
    await reader.submit('/settings/account', '/settings/password', {
      current_password: 'reader-password',
      password: 'another-password',
      password_confirmation: 'another-password',
    });
    expect((await get('/opds/mine', basic('reader', token))).statusCode).toBe(401);
  });
});
