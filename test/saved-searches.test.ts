import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from './agent.ts';
import { createHarness, dialects, type Harness, testClock } from './harness.ts';
import { addChapter, createStory } from './stories.helpers.ts';

const entryTitles = (xml: string) => [...xml.matchAll(/<entry>.*?<title[^>]*>([^<]*)<\/title>/gs)].map((m) => m[1]);

describe.each(dialects)('saved searches and their feeds on %s', (dialect) => {
  let h: Harness;
  let reader: Agent;
  const clock = testClock();
  beforeAll(async () => {
    h = await createHarness(dialect, clock);
    const author = await h.login('author');
    for (const [title, body, tags] of [
      ['Sea Dragons', 'The dragon swam.', 'Ocean'],
      ['Sky Dragons', 'The dragon flew.', 'Grimdark'],
      ['Plain Tea', 'Only tea here.', 'Ocean'],
    ] as const) {
      clock.advance(1000);
      await addChapter(author, await createStory(author, { title, tags, summary: 'A story.' }), { body });
    }
    reader = await h.login('reader');
    await reader.submit('/settings/mutes', '/settings/mutes', { tags: 'grimdark', authors: '' });
  });
  afterAll(() => h.close());

  it('saves a search by name, lists it with a secret feed that applies the owner’s mute list, and deletes it', async () => {
    const form = await reader.get('/searches/new?q=dragon&sort=relevance');
    expect(form.body).toContain('The search <strong>dragon</strong>');
    const saved = await reader.submit('/searches/new?q=dragon', '/searches', { name: 'Dragons', query: 'q=dragon&sort=relevance' });
    expect(saved.statusCode).toBe(303);
    const list = (await reader.get('/settings/searches')).body;
    expect(list).toContain('<a href="/search?q=dragon&amp;sort=relevance">Dragons</a>');
    const feed = /href="(\/searches\/\d+\/feed\.atom\?token=[\w-]+)"/.exec(list)?.[1] ?? '';
    const xml = await h.app.inject({ url: feed.replaceAll('&amp;', '&') });
    expect(xml.statusCode).toBe(200);
    expect(xml.headers['cache-control']).toBe('private, max-age=300');
    // The muted Grimdark story is not in the owner's feed; the public search feed has both.
    expect(entryTitles(xml.body)).toEqual(['Sea Dragons']);
    expect(entryTitles((await h.app.inject({ url: '/search/feed.atom?q=dragon' })).body)).toEqual(['Sky Dragons', 'Sea Dragons']);
    // A wrong or missing token is the same 404 as a wrong id.
    expect((await h.app.inject({ url: feed.replace(/token=.*/, 'token=nope') })).statusCode).toBe(404);
    expect((await h.app.inject({ url: feed.replace(/\?token=.*/, '') })).statusCode).toBe(404);
    expect((await h.app.inject({ url: '/searches/99999999999/feed.atom?token=x' })).statusCode).toBe(404);
    // Someone else cannot delete it.
    const id = /\/searches\/(\d+)\//.exec(feed)?.[1];
    const other = await h.login('other');
    expect(
      (await other.submit('/settings/searches', `/searches/${id}/delete`, {}, { csrf: await other.csrfFrom('/settings/searches') }))
        .statusCode,
    ).toBe(404);
    expect((await reader.submit('/settings/searches', `/searches/${id}/delete`, {})).statusCode).toBe(303);
    expect((await h.app.inject({ url: feed.replaceAll('&amp;', '&') })).statusCode).toBe(404);
  });

  it('saves a filtered list without words, and refuses empty or unusable searches with a message', async () => {
    const saved = await reader.submit('/searches/new?include=ocean', '/searches', { name: 'Ocean', query: 'include=ocean' });
    expect(saved.statusCode).toBe(303);
    expect((await reader.get('/settings/searches')).body).toContain('<a href="/?include=ocean">Ocean</a>');
    const empty = await reader.submit('/searches/new', '/searches', { name: 'Nothing', query: '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('There is nothing to save');
    const bad = await reader.submit('/searches/new', '/searches', { name: 'Bad', query: 'q=-only' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('cannot only leave words out');
    const unnamed = await reader.submit('/searches/new', '/searches', { name: '  ', query: 'q=tea' });
    expect(unnamed.body).toContain('Give the search a name.');
    expect((await h.agent().get('/searches/new?q=tea')).statusCode).toBe(303);
  });
});
