import { parseDocument } from 'htmlparser2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from './agent.ts';
import { createHarness, dialects, type Harness, testClock } from './harness.ts';
import { addChapter, createStory } from './stories.helpers.ts';

type Node = { name?: string; children?: Node[]; attribs?: Record<string, string>; data?: string };

/** The feed parsed as XML: its own elements and its entries', as text. */
function readFeed(xml: string) {
  const document = parseDocument(xml, { xmlMode: true }) as unknown as Node;
  const feed = document.children?.find((node) => node.name === 'feed');
  if (!feed) throw new Error(`not a feed: ${xml.slice(0, 200)}`);
  const text = (node: Node): string => (node.data ?? '') + (node.children ?? []).map(text).join('');
  const child = (node: Node, name: string) => node.children?.find((c) => c.name === name);
  const entries = (feed.children ?? []).filter((node) => node.name === 'entry');
  return {
    feed,
    id: text(child(feed, 'id') ?? {}),
    updated: text(child(feed, 'updated') ?? {}),
    self: feed.children?.find((c) => c.name === 'link' && c.attribs?.rel === 'self')?.attribs?.href,
    entries: entries.map((entry) => ({
      id: text(child(entry, 'id') ?? {}),
      title: text(child(entry, 'title') ?? {}),
      updated: text(child(entry, 'updated') ?? {}),
      author: text(child(child(entry, 'author') ?? {}, 'name') ?? {}),
      link: child(entry, 'link')?.attribs?.href,
    })),
  };
}

describe.each(dialects)('Atom feeds on %s', (dialect) => {
  let h: Harness;
  let author: Agent;
  let storyId: number;
  const clock = testClock();
  beforeAll(async () => {
    h = await createHarness(dialect, clock);
    author = await h.login('feeder');
    clock.advance(1000);
    storyId = await createStory(author, { title: 'Fed <b>& "quoted"</b>', characters: 'Spike', rating: 'teen' });
    await addChapter(author, storyId, { title: 'First' });
    clock.advance(1000);
    await addChapter(author, storyId, { title: 'Second' });
    await addChapter(author, storyId, { title: 'Unfinished', action: 'draft' });
    clock.advance(1000);
    const other = await createStory(author, { title: 'Other', rating: 'everyone' });
    await addChapter(author, other);
  });
  afterAll(() => h.close());

  it('gives the home page a valid feed, newest first, honouring its filters, found from the page', async () => {
    const response = await h.app.inject({ url: '/feed.atom' });
    expect(response.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    const feed = readFeed(response.body);
    expect(feed.id).toBe('tag:golden-oak,2026:/');
    expect(feed.updated).toBe('2026-01-01T00:00:03.000Z');
    expect(feed.entries.map((entry) => entry.title)).toEqual(['Other', 'Fed <b>& "quoted"</b>']);
    expect(feed.entries[1]?.author).toBe('feeder');
    expect(feed.entries[1]?.link).toBe(`/stories/${storyId}-fed-b-quoted-b`);
    expect(readFeed((await h.app.inject({ url: '/feed.atom?rating=teen' })).body).entries).toHaveLength(1);
    expect((await h.agent().get('/?rating=teen')).body).toContain(
      '<link rel="alternate" type="application/atom+xml" title="Golden Oak (Atom feed)" href="/feed.atom?rating=teen"/>',
    );
  });

  it('gives each story a feed of its published chapters, newest first, and each author and tag one of their stories', async () => {
    const story = readFeed((await h.app.inject({ url: `/stories/${storyId}/feed.atom` })).body);
    expect(story.entries.map((entry) => entry.title)).toEqual(['Fed <b>& "quoted"</b>: Second', 'Fed <b>& "quoted"</b>: First']);
    expect((await h.agent().get(`/stories/${storyId}`)).body).toContain(`href="/stories/${storyId}-fed-b-quoted-b/feed.atom"`);
    expect(readFeed((await h.app.inject({ url: '/users/feeder/feed.atom' })).body).entries).toHaveLength(2);
    const spike = await h.ctx.db.selectFrom('tags').select('id').where('name', '=', 'Spike').executeTakeFirstOrThrow();
    const tag = readFeed((await h.app.inject({ url: `/tags/${spike.id}/feed.atom` })).body);
    expect(tag.entries.map((entry) => entry.title)).toEqual(['Fed <b>& "quoted"</b>']);
    expect((await h.app.inject({ url: '/users/nobody/feed.atom' })).statusCode).toBe(404);
    expect((await h.app.inject({ url: '/stories/999999/feed.atom' })).statusCode).toBe(404);
  });

  it('uses the public address for ids and links when PUBLIC_URL is set', async () => {
    const pub = await createHarness(dialect, undefined, { PUBLIC_URL: 'https://stories.example.org' });
    try {
      const writer = await pub.login('pubwriter');
      const id = await createStory(writer, { title: 'Public' });
      await addChapter(writer, id);
      const feed = readFeed((await pub.app.inject({ url: '/feed.atom' })).body);
      expect(feed.id).toBe('https://stories.example.org/');
      expect(feed.self).toBe('https://stories.example.org/feed.atom');
      expect(feed.entries[0]?.id).toBe(`https://stories.example.org/stories/${id}`);
      expect(feed.entries[0]?.link).toBe(`https://stories.example.org/stories/${id}-public`);
    } finally {
      await pub.close();
    }
  });
});
