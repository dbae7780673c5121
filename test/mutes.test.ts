import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from './agent.ts';
import { createHarness, dialects, type Harness, testClock } from './harness.ts';
import { addChapter, createStory } from './stories.helpers.ts';

const titles = (html: string) => [...html.matchAll(/<h2 class="card-title"><a href="[^"]*">([^<]*)<\/a>/g)].map((m) => m[1]);

describe.each(dialects)('mute lists on %s', (dialect) => {
  let h: Harness;
  let reader: Agent;
  const clock = testClock();
  beforeAll(async () => {
    h = await createHarness(dialect, clock);
    const author = await h.login('plenty');
    const grim = await h.login('grim');
    const story = async (agent: Agent, title: string, fields: Record<string, string> = {}) => {
      clock.advance(1000);
      const id = await createStory(agent, { title, ...fields });
      await addChapter(agent, id);
    };
    for (let i = 1; i <= 20; i++) await story(author, `Gentle ${i}`);
    // Five a reader will mute, newest of all, so they would fill the top of the first page.
    await story(author, 'Loss', { warnings: 'Major Character Death' });
    await story(author, 'Death Fic', { tags: 'Death Fic' });
    await story(author, 'Percent', { tags: '100% Angst' });
    await story(grim, 'Grim One');
    await story(grim, 'Grim Two');
    reader = await h.login('careful');
  });
  afterAll(() => h.close());

  it('keeps muted tags (with * wildcards, any case) and authors out of every list, with pages still full', async () => {
    const save = await reader.submit('/settings/mutes', '/settings/mutes', { tags: '*DEATH*\n100% angst', authors: 'Grim' });
    expect(save.statusCode).toBe(303);
    const response = await reader.get('/');
    expect(response.statusCode, response.body.slice(0, 2000)).toBe(200);
    const home = response.body;
    const shown = titles(home);
    expect(shown).toHaveLength(20);
    for (const muted of ['Loss', 'Death Fic', 'Percent', 'Grim One', 'Grim Two']) expect(shown).not.toContain(muted);
    expect(home).toContain('5 stories hidden by your <a href="/settings/mutes">mute list</a>');
    // Anyone else sees them, from the shared cache the muting reader never gets.
    expect(titles((await h.agent().get('/')).body).slice(0, 5)).toEqual(['Grim Two', 'Grim One', 'Percent', 'Death Fic', 'Loss']);
    expect(titles((await reader.get('/')).body)).not.toContain('Grim Two');
    // "Show them" lists everything; the author page obeys the list too.
    expect(titles((await reader.get('/?muted=show')).body).slice(0, 1)).toEqual(['Grim Two']);
    expect(titles((await reader.get('/users/grim')).body)).toEqual([]);
    expect(titles((await reader.get('/?include=major character death')).body)).toEqual([]);
  });

  it('matches % and _ in a pattern literally, and * only as a wildcard', async () => {
    await reader.submit('/settings/mutes', '/settings/mutes', { tags: '100%', authors: '' });
    const shown = titles((await reader.get('/')).body);
    // "100%" without a * is the whole name: "100% Angst" is not muted by it.
    expect(shown).toContain('Percent');
    await reader.submit('/settings/mutes', '/settings/mutes', { tags: '100%*', authors: '' });
    expect(titles((await reader.get('/')).body)).not.toContain('Percent');
  });

  it('refuses an author who does not exist and a pattern of only stars, keeping what was typed', async () => {
    const response = await reader.submit('/settings/mutes', '/settings/mutes', { tags: '**', authors: 'nobody-here' });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('A pattern needs at least one letter besides *.');
    const unknown = await reader.submit('/settings/mutes', '/settings/mutes', { tags: 'sad', authors: 'nobody-here' });
    expect(unknown.body).toContain('There is no author named nobody-here.');
    expect(unknown.body).toContain('>sad</textarea>');
  });

  it('keeps a default filter that the plain home page starts with, until the reader asks for everything or clears it', async () => {
    const chooser = await h.login('chooser');
    // An anonymous visit first puts the filtered page in the shared cache; the reader still gets their form.
    await h.agent().get('/?include=death fic');
    const filtered = await chooser.get('/?include=death fic');
    const csrf =
      /<form method="post" action="\/settings\/default-filter"[^>]*><input type="hidden" name="_csrf" value="([^"]+)"/.exec(
        filtered.body,
      )?.[1] ?? '';
    const filters = /name="filters" value="([^"]*)"/.exec(filtered.body)?.[1]?.replaceAll('&amp;', '&') ?? '';
    expect(filters).toBe('include=death+fic');
    const save = await chooser.post('/settings/default-filter', { _csrf: csrf, filters, action: 'save' });
    expect(save.statusCode).toBe(303);
    const home = (await chooser.get('/')).body;
    expect(titles(home)).toEqual(['Death Fic']);
    expect(home).toContain('Showing your default filters');
    expect(titles((await chooser.get('/?all=1')).body)).toHaveLength(20);
    expect(titles((await h.agent().get('/')).body)).toHaveLength(20);
    // The default applies on every list that names no filters: an author's page, a tag page, a search.
    expect(titles((await chooser.get('/users/plenty')).body)).toEqual(['Death Fic']);
    const friendship = await h.ctx.db
      .selectFrom('tags')
      .select('id')
      .where('name', '=', 'No Archive Warnings Apply')
      .executeTakeFirstOrThrow();
    const tagPage = (await chooser.get(`/tags/${friendship.id}`)).body;
    expect(titles(tagPage)).toEqual(['Death Fic']);
    expect(tagPage).toMatch(/Showing your default filters · <a href="\/tags\/\d+-no-archive-warnings-apply\?all=1">Show everything<\/a>/);
    expect(titles((await chooser.get(`/tags/${friendship.id}?all=1`)).body).length).toBeGreaterThan(1);
    expect(titles((await chooser.get('/search?q=dragon')).body)).toEqual(['Death Fic']);
    expect(titles((await h.agent().get('/search?q=dragon')).body).length).toBeGreaterThan(1);
    const clear = await chooser.post('/settings/default-filter', { _csrf: csrf, filters: '', action: 'clear' });
    expect(clear.headers.location).toBe('/');
    expect(titles((await chooser.get('/')).body)).toHaveLength(20);
  });
});
