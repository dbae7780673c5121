import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from './agent.ts';
import { createHarness, dialects, type Harness, testClock } from './harness.ts';
import { addChapter, chapterFields, createStory } from './stories.helpers.ts';

const titles = (html: string) => [...html.matchAll(/<h2 class="card-title"><a href="[^"]*">([^<]*)<\/a>/g)].map((m) => m[1]);

describe.each(dialects)('full-text search on %s', (dialect) => {
  let h: Harness;
  let keeper: Agent;
  let other: Agent;
  const clock = testClock();
  const ids: Record<string, number> = {};
  beforeAll(async () => {
    h = await createHarness(dialect, clock);
    keeper = await h.login('keeper');
    other = await h.login('wren');
    const story = async (agent: Agent, title: string, fields: Record<string, string>, chapters: string[]) => {
      clock.advance(1000);
      const id = await createStory(agent, { title, ...fields });
      ids[title] = id;
      for (const [i, body] of chapters.entries()) await addChapter(agent, id, { title: `Part ${i + 1}`, body });
      return id;
    };
    await story(keeper, 'The Lantern', { summary: 'A keeper of lights.', tags: 'Slice of Life' }, [
      'The lamp was lit at dusk.',
      'Later the dragon came to the lighthouse and asked for tea.',
    ]);
    await story(keeper, 'Cold Harbour', { summary: 'Boats.', warnings: 'Major Character Death' }, [
      'Nobody saw the dragon. The last dragon slept under the harbour, dreaming of a café.',
    ]);
    await story(other, 'Wyvern Days', { summary: 'Another beast.', tags: 'Adventure' }, ['A wyvern is not a dragon, said the wyvern.']);
    await story(other, '猫の物語', { summary: '', tags: '' }, ['吾輩は猫である。名前はまだ無い。']);
  });
  afterAll(() => h.close());

  const search = async (q: string, extra = '', agent = h.agent()) => {
    const response = await agent.get(`/search?q=${encodeURIComponent(q)}${extra}`);
    return { status: response.statusCode, body: response.body, titles: titles(response.body) };
  };

  it('finds words in chapter text, titles and tags, with a snippet linking to the matched chapter', async () => {
    const found = await search('dragon');
    expect(found.status).toBe(200);
    expect(found.titles.sort()).toEqual(['Cold Harbour', 'The Lantern', 'Wyvern Days']);
    expect(found.body).toMatch(/<p class="list-count muted" role="status">3 stories<\/p>/);
    // The Lantern matched in its second chapter: the snippet says so and links there, at the word.
    expect(found.body).toMatch(
      new RegExp(
        `<a href="/stories/${ids['The Lantern']}-the-lantern/chapters/\\d+-part-2#:~:text=dragon">Part 2</a>: <span>Later the <mark>dragon</mark> came`,
      ),
    );
    expect((await search('lighthouse')).titles).toEqual(['The Lantern']);
    expect((await search('keeper of lights')).titles).toEqual(['The Lantern']);
    // Tag names are searched too (Cold Harbour has the form's default tags).
    expect((await search('"slice of life"')).titles.sort()).toEqual(['Cold Harbour', 'The Lantern']);
    expect((await search('wren')).titles.sort()).toEqual(['Wyvern Days', '猫の物語']);
    // Accents fold both ways; Japanese is found by a word inside an unspaced sentence.
    expect((await search('CAFE')).titles).toEqual(['Cold Harbour']);
    expect((await search('猫')).titles).toEqual(['猫の物語']);
  });

  it('matches phrases, exclusions across the whole story, OR, and the field operators', async () => {
    expect((await search('"last dragon"')).titles).toEqual(['Cold Harbour']);
    expect((await search('"dragon last"')).titles).toEqual([]);
    // The Lantern says "dusk" in chapter 1 and "dragon" in chapter 2: excluding dusk leaves it out.
    expect((await search('dragon -dusk')).titles.sort()).toEqual(['Cold Harbour', 'Wyvern Days']);
    expect((await search('lighthouse OR harbour')).titles.sort()).toEqual(['Cold Harbour', 'The Lantern']);
    expect((await search('dragon author:wren')).titles).toEqual(['Wyvern Days']);
    expect((await search('dragon tag:adventure')).titles).toEqual(['Wyvern Days']);
    expect((await search('dragon -tag:adventure')).titles.sort()).toEqual(['Cold Harbour', 'The Lantern']);
    // 17, 15 and 9 words.
    expect((await search('dragon words>12')).titles.sort()).toEqual(['Cold Harbour', 'The Lantern']);
    expect((await search('dragon sort:words')).titles).toEqual(['The Lantern', 'Cold Harbour', 'Wyvern Days']);
    // The form's filters combine with the query.
    expect((await search('dragon', '&exclude=adventure')).titles.sort()).toEqual(['Cold Harbour', 'The Lantern']);
    expect((await search('dragon', '&warning=Major+Character+Death')).titles).toEqual(['Cold Harbour']);
  });

  it('shows a phrase search’s count as exact only where the database matches phrases exactly', async () => {
    const count = (html: string) => /<p class="list-count muted" role="status">([^<]*)<\/p>/.exec(html)?.[1];
    const phrase = await search('"last dragon"');
    expect(phrase.titles).toEqual(['Cold Harbour']);
    // PostgreSQL keeps a word's first 256 positions only: a long chapter's later phrases are found or not by chance.
    expect(count(phrase.body)).toBe(dialect === 'postgres' ? 'About 1 story' : '1 story');
    expect(count((await search('dragon')).body)).toBe('3 stories');
  });

  it('applies the reader’s mute list inside the search, counts included', async () => {
    const reader = await h.login('search-muter');
    await reader.submit('/settings/mutes', '/settings/mutes', { tags: 'major character death', authors: 'wren' });
    const found = await search('dragon', '', reader);
    expect(found.titles).toEqual(['The Lantern']);
    expect(found.body).toContain('<p class="list-count muted" role="status">1 story</p>');
    expect(found.body).toContain('2 stories hidden by your <a href="/settings/mutes">mute list</a>');
  });

  it('follows every edit: new text is found, old text is not, unpublished and deleted stories vanish, drafts never match', async () => {
    const id = await createStory(keeper, { title: 'Drafty' });
    const chapter = await addChapter(keeper, id, { title: 'One', body: 'A zeppelin drifts.', action: 'draft' });
    expect((await search('zeppelin')).titles).toEqual([]);
    const save = (body: string, action: 'publish' | 'draft') =>
      keeper.submit(
        `/stories/${id}/chapters/${chapter}/edit`,
        `/stories/${id}/chapters/${chapter}`,
        chapterFields({ title: 'One', body, action }),
      );
    await save('A zeppelin drifts.', 'publish');
    expect((await search('zeppelin')).titles).toEqual(['Drafty']);
    await save('A balloon drifts.', 'publish');
    expect((await search('zeppelin')).titles).toEqual([]);
    expect((await search('balloon')).titles).toEqual(['Drafty']);
    // Back to draft: gone from results.
    await save('A balloon drifts.', 'draft');
    expect((await search('balloon')).titles).toEqual([]);
    // A story's own words change with its form; deleting the story empties its rows.
    const lantern = ids['The Lantern'] as number;
    await keeper.submit(`/stories/${lantern}/edit`, `/stories/${lantern}`, {
      title: 'The Lantern',
      summary: 'A keeper of candles.',
      description: '',
      description_format: 'markdown',
      rating: 'everyone',
      status: 'incomplete',
      warnings: 'No Archive Warnings Apply',
      tags: 'Slice of Life',
    });
    expect((await search('candles')).titles).toEqual(['The Lantern']);
    expect((await search('lights')).titles).toEqual([]);
    const deleted = await keeper.submit(`/stories/${ids['Cold Harbour']}/delete`, `/stories/${ids['Cold Harbour']}/delete`, {});
    expect(deleted.statusCode).toBe(303);
    expect((await search('harbour')).titles).toEqual([]);
  });

  it('answers hostile queries with a sentence and a 400, never a 500', async () => {
    for (const q of ['"', '-', 'OR', '" OR "', '-"x"', 'NEAR(', "'); drop table stories; --", 'a'.repeat(1001), 'x '.repeat(10_000)]) {
      const { status, body } = await search(q);
      expect([200, 400], q.slice(0, 20)).toContain(status);
      if (status === 400) expect(body).toMatch(/<p class="field-error" id="q-error" role="alert">[^<]+<\/p>/);
    }
    expect((await search('-death')).status).toBe(400);
    // NUL never reaches the query: addresses holding one are refused first.
    expect((await search('x\u0000y')).status).toBe(400);
    expect((await search('sort:hugs dragon')).body).toContain('sort: can be relevance, updated, published, words, kudos, views.');
    expect((await h.agent().get('/search')).statusCode).toBe(200);
    expect((await h.agent().get('/search/help')).body).toContain('How to search');
  });
});
