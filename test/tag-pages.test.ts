import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from './agent.ts';
import { createHarness, dialects, type Harness, testClock } from './harness.ts';
import { addChapter, createStory } from './stories.helpers.ts';

const titles = (html: string) => [...html.matchAll(/<h2 class="card-title"><a href="[^"]*">([^<]*)<\/a>/g)].map((m) => m[1]);

describe.each(dialects)('tag pages on %s', (dialect) => {
  let h: Harness;
  let author: Agent;
  const clock = testClock();
  beforeAll(async () => {
    h = await createHarness(dialect, clock);
    author = await h.login('tagwriter');
    const story = async (title: string, fields: Record<string, string>, publish = true) => {
      clock.advance(1000);
      const id = await createStory(author, { title, ...fields });
      if (publish) await addChapter(author, id);
    };
    await story('Alpha', { characters: 'Spike', rating: 'teen' });
    await story('Beta', { characters: 'Spike, Rarity', rating: 'everyone' });
    await story('Gamma', { characters: 'Rarity' });
    await story('Draft', { characters: 'Spike' }, false);
  });
  afterAll(() => h.close());

  const tagId = async (name: string) =>
    (await h.ctx.db.selectFrom('tags').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;

  it('lists a tag’s published stories at /tags/:id-slug, linked from every tag chip, with the filters', async () => {
    const spike = await tagId('Spike');
    const page = (await h.agent().get(`/tags/${spike}-spike`)).body;
    expect(page).toContain('<h1>Spike</h1>');
    expect(titles(page)).toEqual(['Beta', 'Alpha']);
    expect(page).toContain('<p class="list-count muted" role="status">2 stories</p>');
    // The sidebar counts the tag's stories' other tags, and links back to this page with one more filter.
    expect(page).toMatch(
      /<span class="facet-name">Rarity<\/span> <span class="muted">1<\/span><a class="facet-add" href="\/tags\/\d+-spike\?include=rarity"/,
    );
    expect(titles((await h.agent().get(`/tags/${spike}-spike?rating=teen`)).body)).toEqual(['Alpha']);
    const home = (await h.agent().get('/')).body;
    expect(home).toContain(`<li class="tag tag-character"><a href="/tags/${spike}-spike">Spike</a></li>`);
    const old = await h.app.inject({ url: `/tags/${spike}` });
    expect(old.statusCode).toBe(301);
    expect(old.headers.location).toBe(`/tags/${spike}-spike`);
    expect((await h.agent().get('/tags/999999-nothing')).statusCode).toBe(404);
  });

  it('browses tags by type with how many published stories carry each', async () => {
    const page = (await h.agent().get('/tags')).body;
    const characters = /<h2 id="type-character">Characters<\/h2><ul class="tag-cloud">(.*?)<\/ul>/.exec(page)?.[1] ?? '';
    const counted = [...characters.matchAll(/>([^<]+)<\/a> <span class="muted">(\d+)<\/span>/g)].map((m) => [m[1], Number(m[2])]);
    // The draft's Spike does not count.
    expect(counted).toEqual([
      ['Rarity', 2],
      ['Spike', 2],
    ]);
    expect(page).toContain('<h2 id="type-warning">Archive warnings</h2>');
  });

  it('applies a reader’s mute list on tag pages too', async () => {
    const reader = await h.login('muter');
    await reader.submit('/settings/mutes', '/settings/mutes', { tags: 'rarity', authors: '' });
    expect(titles((await reader.get(`/tags/${await tagId('Spike')}-spike`)).body)).toEqual(['Alpha']);
  });
});
