import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from './agent.ts';
import { createHarness, dialects, type Harness, testClock } from './harness.ts';
import { addChapter, createStory } from './stories.helpers.ts';

const titles = (html: string) => [...html.matchAll(/<h2 class="card-title"><a href="[^"]*">([^<]*)<\/a>/g)].map((m) => m[1]);

describe.each(dialects)('shelves on %s', (dialect) => {
  let h: Harness;
  let reader: Agent;
  let stories: Record<string, number>;
  const clock = testClock();
  beforeAll(async () => {
    h = await createHarness(dialect, clock);
    const author = await h.login('writer');
    stories = {};
    for (const [title, tags] of [
      ['Long Road', 'Travel'],
      ['Short Hop', 'Travel'],
      ['Stay Home', 'Cozy'],
    ] as const) {
      clock.advance(1000);
      stories[title] = await createStory(author, { title, tags });
      await addChapter(author, stories[title] as number);
    }
    reader = await h.login('reader');
  });
  afterAll(() => h.close());

  const shelve = (agent: Agent, story: number, fields: Record<string, string>) =>
    agent.submit(`/stories/${story}/shelve`, `/stories/${story}/shelve`, { shelves: '', note: '', ...fields });
  const shelfId = async (name: string, username = 'reader') =>
    (
      await h.ctx.db
        .selectFrom('shelves')
        .innerJoin('users', 'users.id', 'shelves.user_id')
        .select('shelves.id')
        .where('shelves.name', '=', name)
        .where('users.username', '=', username)
        .executeTakeFirstOrThrow()
    ).id;

  it('gives every account Read later and Favourites, shelves a story with a note, and counts it on the story page', async () => {
    const page = (await reader.get('/shelves')).body;
    expect(page).toMatch(/>Read later<\/a> <span class="muted">0 · private<\/span>/);
    expect(page).toMatch(/>Favourites<\/a>/);
    const later = await shelfId('Read later');
    const saved = await shelve(reader, stories['Long Road'] as number, { shelves: String(later), note: 'For the train.' });
    expect(saved.statusCode).toBe(303);
    const shelf = (await reader.get(`/shelves/${later}`)).body;
    expect(titles(shelf)).toEqual(['Long Road']);
    expect(shelf).toContain('<p class="shelf-note">For the train.</p>');
    expect((await h.agent().get(`/stories/${stories['Long Road']}`)).body).toContain('· on 1 shelf');
    // The form shows what is chosen; choosing nothing takes it off.
    expect((await reader.get(`/stories/${stories['Long Road']}/shelve`)).body).toMatch(new RegExp(`value="${later}" checked`));
    await shelve(reader, stories['Long Road'] as number, {});
    expect(titles((await reader.get(`/shelves/${later}`)).body)).toEqual([]);
  });

  it('keeps private shelves private, shares unlisted and public ones, and lists a shelf with filters and a feed', async () => {
    const made = await reader.submit('/shelves', '/shelves', { name: 'Journeys', visibility: 'unlisted' });
    expect(made.statusCode).toBe(303);
    const journeys = await shelfId('Journeys');
    for (const title of ['Long Road', 'Short Hop', 'Stay Home'])
      await shelve(reader, stories[title] as number, { shelves: String(journeys) });
    // An unlisted shelf is shared by an address with a key (the one its owner was sent to); its id alone finds nothing.
    const shared = String(made.headers.location);
    expect(shared).toMatch(new RegExp(`^/shelves/${journeys}-[A-Za-z0-9_-]{32}$`));
    expect((await reader.get('/shelves')).body).toContain(`href="${shared}"`);
    expect(titles((await h.agent().get(`${shared}?include=travel`)).body)).toEqual(['Short Hop', 'Long Road']);
    for (const guess of [`/shelves/${journeys}`, `/shelves/${journeys}-${'A'.repeat(32)}`, `/shelves/${journeys}/feed.atom`]) {
      expect((await h.agent().get(guess)).statusCode, guess).toBe(404);
    }
    expect((await h.app.inject({ url: `/api/v1/shelves/${journeys}` })).statusCode).toBe(404);
    expect((await h.app.inject({ url: `/api/v1/shelves/${shared.slice('/shelves/'.length)}` })).json().shelf.url).toBe(shared);
    // Its owner reaches it by id as well.
    expect((await reader.get(`/shelves/${journeys}`)).statusCode).toBe(200);
    const feed = await h.app.inject({ url: `${shared}/feed.atom` });
    expect(feed.statusCode).toBe(200);
    expect(feed.body).toContain('<title>Stay Home</title>');
    expect(feed.body).toContain(shared);
    // Unlisted shelves are not on the profile; public ones are.
    expect((await h.agent().get('/users/reader')).body).not.toContain('Journeys');
    await reader.submit('/shelves', '/shelves', { name: 'Best of the Year', visibility: 'public' });
    expect((await h.agent().get('/users/reader')).body).toMatch(/Shelves: <a href="\/shelves\/\d+">Best of the Year<\/a>/);
    const favourites = await shelfId('Favourites');
    expect((await h.agent().get(`/shelves/${favourites}`)).statusCode).toBe(404);
    expect((await (await h.login('nosy')).get(`/shelves/${favourites}`)).statusCode).toBe(404);
    expect((await h.app.inject({ url: `/shelves/${favourites}/feed.atom` })).statusCode).toBe(404);
  });

  it('refuses someone else’s shelf, a draft, a missing name, and strangers', async () => {
    const other = await h.login('other');
    await other.get('/shelves');
    const theirs = await shelfId('Read later', 'other');
    expect((await shelve(reader, stories['Stay Home'] as number, { shelves: String(theirs) })).statusCode).toBe(404);
    expect((await h.ctx.db.selectFrom('shelf_items').select('story_id').where('shelf_id', '=', theirs).execute()).length).toBe(0);
    const author = await h.login('drafter');
    const draft = await createStory(author, { title: 'Unfinished' });
    expect((await reader.get(`/stories/${draft}/shelve`)).statusCode).toBe(404);
    const unnamed = await reader.submit('/shelves', '/shelves', { name: ' ', visibility: 'public' });
    expect(unnamed.statusCode).toBe(400);
    expect(unnamed.body).toContain('Name the shelf.');
    expect((await h.agent().get('/shelves')).statusCode).toBe(303);
  });
});
