import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from './agent.ts';
import { createHarness, dialects, type Harness, testClock } from './harness.ts';
import { addChapter, createStory } from './stories.helpers.ts';

const titles = (html: string) => [...html.matchAll(/<h2 class="card-title"><a href="[^"]*">([^<]*)<\/a>/g)].map((m) => m[1]);

describe.each(dialects)('kudos on %s', (dialect) => {
  let h: Harness;
  let author: Agent;
  let popular: number;
  let quiet: number;
  const clock = testClock();
  beforeAll(async () => {
    h = await createHarness(dialect, clock);
    author = await h.login('writer');
    popular = await createStory(author, { title: 'Popular' });
    await addChapter(author, popular);
    clock.advance(1000);
    quiet = await createStory(author, { title: 'Quiet' });
    await addChapter(author, quiet);
  });
  afterAll(() => h.close());

  /** The kudos button as a browser presses it: from the story page (same-origin), no form token. */
  const kudos = async (agent: Agent, storyId: number, headers: Record<string, string> = {}) => {
    agent.headers = { 'sec-fetch-site': 'same-origin', ...headers };
    try {
      return await agent.post(`/stories/${storyId}/kudos`, {});
    } finally {
      agent.headers = {};
    }
  };

  it('takes one kudos per account and one per guest address, lists who gave them, and counts them on cards', async () => {
    const reader = await h.login('reader');
    const first = await kudos(reader, popular);
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe(`/stories/${popular}#kudos`);
    await kudos(reader, popular);
    const guest = h.agent();
    await kudos(guest, popular);
    await kudos(guest, popular);
    await kudos(h.agent(), popular);
    const page = (await h.agent().get(`/stories/${popular}`)).body;
    expect(page).toMatch(/<a href="\/users\/reader">reader<\/a> and 2 guests left kudos/);
    expect(page).toContain('3 kudos ·');
    const stored = await h.ctx.db.selectFrom('kudos').select(['guest_hash']).where('user_id', 'is', null).execute();
    expect(stored).toHaveLength(2);
    // Guests are known by a keyed hash, never by address.
    for (const row of stored) expect(row.guest_hash).not.toContain(guest.remoteAddress);
    const home = (await h.agent().get('/')).body;
    expect(home).toMatch(/1 chapter · 3 kudos · updated/);
  });

  it('says so when the author tries their own, and refuses a post from another site', async () => {
    const own = await kudos(author, quiet);
    expect(own.statusCode).toBe(303);
    expect((await author.get(`/stories/${quiet}`)).body).toContain('You cannot leave kudos on your own story.');
    expect((await kudos(h.agent(), quiet, { 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
    const foreign = await kudos(h.agent(), quiet, { 'sec-fetch-site': '', origin: 'https://evil.example' });
    expect(foreign.statusCode).toBe(403);
    expect((await kudos(h.agent(), quiet, { 'sec-fetch-site': '', origin: 'null' })).statusCode).toBe(403);
    expect((await kudos(h.agent(), 99_999_999)).statusCode).toBe(404);
    const draft = await createStory(author, { title: 'Draft' });
    expect((await kudos(h.agent(), draft)).statusCode).toBe(404);
  });

  it('sorts lists by kudos and searches with kudos> and sort:kudos', async () => {
    expect(titles((await h.agent().get('/?sort=kudos')).body)).toEqual(['Popular', 'Quiet']);
    expect(titles((await h.agent().get('/search?q=dragon+kudos>2')).body)).toEqual(['Popular']);
    expect(titles((await h.agent().get('/search?q=dragon+sort:kudos')).body)).toEqual(['Popular', 'Quiet']);
  });
});
