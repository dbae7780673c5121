import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainRefileQueue, REFILE_NOW_LIMIT } from '../src/modules/wrangling/wrangling.service.ts';
import type { Agent } from './agent.ts';
import { createHarness, dialects, type Harness, testClock } from './harness.ts';
import { addChapter, createStory, insertStories, storyFields } from './stories.helpers.ts';

const titles = (html: string) => [...html.matchAll(/<h2 class="card-title"><a href="[^"]*">([^<]*)<\/a>/g)].map((m) => m[1]);

describe.each(dialects)('tag wrangling on %s', (dialect) => {
  let h: Harness;
  let author: Agent;
  let wrangler: Agent;
  const clock = testClock();
  beforeAll(async () => {
    h = await createHarness(dialect, clock);
    author = await h.login('writer');
    wrangler = await h.login('wrangler', 'moderator');
    const story = async (title: string, fields: Record<string, string>) => {
      clock.advance(1000);
      await addChapter(author, await createStory(author, { title, ...fields }));
    };
    await story('Canon', { fandoms: 'My Little Pony: Friendship is Magic', characters: 'Twilight Sparkle', tags: 'Hurt/Comfort' });
    await story('Variant', { fandoms: 'MLP FiM', characters: 'Twilight', tags: 'hurt comfort' });
    await story('Other', { fandoms: 'Star Trek', characters: 'Spock', tags: 'Angst' });
    await story('Sub', { fandoms: 'My Little Pony: Equestria Girls', characters: 'Sunset Shimmer', tags: 'Fluff' });
  });
  afterAll(() => h.close());

  const tag = async (name: string) =>
    h.ctx.db.selectFrom('tags').select(['id', 'canonical', 'canonical_id']).where('name', '=', name).executeTakeFirstOrThrow();
  const wrangle = async (name: string, fields: Record<string, string>, agent = wrangler) => {
    const { id } = await tag(name);
    return agent.submit(`/tags/${id}/wrangle`, `/tags/${id}/wrangle`, {
      canonical: '',
      synonym_of: '',
      fandoms: '',
      metatags: '',
      ...fields,
    });
  };

  it('lists unwrangled tags by use to moderators only, and refuses everyone else', async () => {
    const page = (await wrangler.get('/wrangling?type=character')).body;
    expect(page).toContain('Twilight Sparkle');
    expect(page).toMatch(/>Spock<\/a><\/td><td class="number">1<\/td>/);
    const anonymous = await h.agent().get('/wrangling');
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe('/login?next=%2Fwrangling');
    expect((await author.get('/wrangling')).statusCode).toBe(403);
    const { id } = await tag('Spock');
    expect((await author.get(`/tags/${id}/wrangle`)).statusCode).toBe(403);
    const refused = await author.submit(
      `/tags/${id}/wrangle`,
      `/tags/${id}/wrangle`,
      { canonical: '1' },
      { csrf: await author.csrfFrom('/') },
    );
    expect(refused.statusCode).toBe(403);
    expect((await tag('Spock')).canonical).toBe(0);
    const warning = await tag('Major Character Death');
    expect((await wrangler.get(`/tags/${warning.id}/wrangle`)).statusCode).toBe(400);
  });

  it('finds a synonym’s stories under its canonical tag, and excluding the synonym excludes exactly those', async () => {
    expect((await wrangle('My Little Pony: Friendship is Magic', { canonical: '1' })).statusCode).toBe(303);
    const made = await wrangle('MLP FiM', { synonym_of: 'my little pony: friendship is magic' });
    expect(made.statusCode).toBe(303);
    const canon = await tag('My Little Pony: Friendship is Magic');
    expect((await tag('MLP FiM')).canonical_id).toBe(canon.id);
    const page = await h.agent().get(`/tags/${canon.id}`);
    expect(titles(page.body).sort()).toEqual(['Canon', 'Variant']);
    expect(page.body).toMatch(/<strong>Synonyms:<\/strong> <a href="\/tags\/\d+-mlp-fim">MLP FiM<\/a>/);
    // The synonym's page is its canonical tag's.
    const synonym = await tag('MLP FiM');
    const moved = await h.app.inject({ url: `/tags/${synonym.id}-mlp-fim?sort=words` });
    expect(moved.statusCode).toBe(301);
    expect(moved.headers.location).toBe(`/tags/${canon.id}-my-little-pony-friendship-is-magic?sort=words`);
    expect(titles((await h.agent().get('/?include=mlp+fim')).body).sort()).toEqual(['Canon', 'Variant']);
    expect(titles((await h.agent().get('/?exclude=mlp+fim')).body).sort()).toEqual(['Other', 'Sub']);
    expect(titles((await h.agent().get('/?exclude=my+little+pony:+friendship+is+magic')).body).sort()).toEqual(['Other', 'Sub']);
    // The sidebar counts the canonical tag once for both stories, and leaves the synonym out.
    const home = (await h.agent().get('/')).body;
    expect(home).toMatch(/<span class="facet-name">My Little Pony: Friendship is Magic<\/span> <span class="muted">2<\/span>/);
    expect(home).not.toContain('<span class="facet-name">MLP FiM</span>');
    // A mute list matches what tags stand for: muting the canonical name mutes the synonym's story too.
    const reader = await h.login('muting-reader');
    await reader.submit('/settings/mutes', '/settings/mutes', { tags: '*friendship is magic*', authors: '' });
    expect(titles((await reader.get('/')).body).sort()).toEqual(['Other', 'Sub']);
  });

  it('includes a metatag’s subtags’ stories, refuses loops, and files characters under fandoms', async () => {
    await wrangle('My Little Pony: Equestria Girls', { canonical: '1', metatags: 'My Little Pony: Friendship is Magic' });
    const canon = await tag('My Little Pony: Friendship is Magic');
    expect(titles((await h.agent().get(`/tags/${canon.id}`)).body).sort()).toEqual(['Canon', 'Sub', 'Variant']);
    expect(titles((await h.agent().get('/?exclude=mlp+fim')).body)).toEqual(['Other']);
    const loop = await wrangle('My Little Pony: Friendship is Magic', { canonical: '1', metatags: 'My Little Pony: Equestria Girls' });
    expect(loop.statusCode).toBe(400);
    expect(loop.body).toContain('That would make a loop');
    const self = await wrangle('My Little Pony: Friendship is Magic', { canonical: '1', metatags: 'My Little Pony: Friendship is Magic' });
    expect(self.body).toContain('A tag cannot be its own metatag.');
    const missing = await wrangle('Twilight Sparkle', { canonical: '1', fandoms: 'No Such Fandom' });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('No canonical fandom is named no such fandom.');
    expect((await wrangle('Twilight Sparkle', { canonical: '1', fandoms: 'my little pony: friendship is magic' })).statusCode).toBe(303);
    const fandomPage = (await h.agent().get(`/tags/${canon.id}`)).body;
    expect(fandomPage).toMatch(
      /<strong>Characters and relationships:<\/strong> <a href="\/tags\/\d+-twilight-sparkle">Twilight Sparkle<\/a>/,
    );
    expect(fandomPage).toMatch(/<strong>Subtags:<\/strong> <a [^>]*>My Little Pony: Equestria Girls<\/a>/);
    // A synonym cannot also be canonical; a tag with synonyms cannot stop being canonical.
    const both = await wrangle('Twilight', { canonical: '1', synonym_of: 'twilight sparkle' });
    expect(both.body).toContain('A synonym cannot be canonical itself');
    const orphaning = await wrangle('My Little Pony: Friendship is Magic', {});
    expect(orphaning.body).toContain('has 1 synonym(s)');
    // Nothing was half-written by the refusals.
    expect((await tag('Twilight')).canonical_id).toBeNull();
    expect((await tag('My Little Pony: Friendship is Magic')).canonical).toBe(1);
  });

  it('lets admins add and retire the genres the story form offers, and no one else', async () => {
    const admin = await h.login('genre-admin', 'admin');
    expect((await wrangler.get('/wrangling/genres')).statusCode).toBe(403);
    const added = await admin.submit('/wrangling/genres', '/wrangling/genres', { name: '  Space  Opera ' });
    expect(added.statusCode).toBe(303);
    expect((await author.get('/stories/new')).body).toContain('value="Space Opera"');
    expect((await admin.submit('/wrangling/genres', '/wrangling/genres', { name: 'A, B' })).body).toContain('cannot contain a comma');
    const comedy = await tag('Comedy');
    expect((await admin.submit('/wrangling/genres', `/wrangling/genres/${comedy.id}`, { offer: '0' })).statusCode).toBe(303);
    expect((await author.get('/stories/new')).body).not.toContain('value="Comedy"');
    const refused = await author.submit('/stories/new', '/stories', { ...storyFields({ title: 'Joke' }), genres: 'Comedy' });
    expect(refused.statusCode).toBe(400);
    await admin.submit('/wrangling/genres', `/wrangling/genres/${comedy.id}`, { offer: '1' });
    expect((await author.get('/stories/new')).body).toContain('value="Comedy"');
    const { id: spock } = await tag('Spock');
    expect((await admin.submit('/wrangling/genres', `/wrangling/genres/${spock}`, { offer: '0' })).statusCode).toBe(404);
  });

  it('lets only one of two opposite metatag links made at once through, so no loop can form', async () => {
    await wrangle('Fluff', { canonical: '1' });
    await wrangle('Angst', { canonical: '1' });
    const other = await h.login('second-wrangler', 'moderator');
    const [fluff, angst] = [await tag('Fluff'), await tag('Angst')];
    const results = await Promise.all([
      wrangler.submit(`/tags/${fluff.id}/wrangle`, `/tags/${fluff.id}/wrangle`, { canonical: '1', synonym_of: '', metatags: 'angst' }),
      other.submit(`/tags/${angst.id}/wrangle`, `/tags/${angst.id}/wrangle`, { canonical: '1', synonym_of: '', metatags: 'fluff' }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([303, 400]);
    const links = await h.ctx.db
      .selectFrom('tag_links')
      .select(['tag_id', 'parent_id'])
      .where('kind', '=', 'meta')
      .where('tag_id', 'in', [fluff.id, angst.id])
      .execute();
    expect(links).toHaveLength(1);
    // Undo, for the next test.
    for (const id of [fluff.id, angst.id])
      await wrangler.submit(`/tags/${id}/wrangle`, `/tags/${id}/wrangle`, { canonical: '', synonym_of: '', metatags: '' });
  });

  it('refiles a tag on many stories through the queue, and lists catch up when it has run', async () => {
    const { id: authorId } = await h.ctx.db.selectFrom('users').select('id').where('username', '=', 'writer').executeTakeFirstOrThrow();
    const { id: angst } = await tag('Angst');
    const now = clock.now();
    const count = REFILE_NOW_LIMIT + 5;
    await insertStories(h.ctx.db, authorId, count, now - 10_000, angst);
    await wrangle('Hurt/Comfort', { canonical: '1' });
    const saved = await wrangle('Angst', { canonical: '1', metatags: 'Hurt/Comfort' });
    expect(saved.statusCode).toBe(303);
    const flash = (await wrangler.get(saved.headers.location as string)).body;
    expect(flash).toContain(`${(count + 1).toLocaleString('en')} stories are being refiled in the background`);
    const { id: hurt } = await tag('Hurt/Comfort');
    const counted = async () =>
      /<p class="list-count muted" role="status">([\d,]+) (?:story|stories)<\/p>/.exec((await h.agent().get(`/tags/${hurt}`)).body)?.[1];
    expect(await counted()).toBe('1');
    await drainRefileQueue(h.ctx);
    expect(await counted()).toBe((count + 2).toLocaleString('en'));
    expect(await h.ctx.db.selectFrom('filter_refresh_queue').selectAll().execute()).toEqual([]);
  });
});
