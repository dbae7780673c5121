import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from './agent.ts';
import { createHarness, dialects, type Harness, testClock } from './harness.ts';
import { addChapter, createStory } from './stories.helpers.ts';

/** Titles on a list page, in order. */
const titles = (html: string) => [...html.matchAll(/<h2 class="card-title"><a href="[^"]*">([^<]*)<\/a>/g)].map((m) => m[1]);
const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');

describe.each(dialects)('filtering lists on %s', (dialect) => {
  let h: Harness;
  let author: Agent;
  const clock = testClock();
  beforeAll(async () => {
    h = await createHarness(dialect, clock);
    author = await h.login('shelver');
    const story = async (title: string, fields: Record<string, string>, length: number) => {
      clock.advance(1000);
      const id = await createStory(author, { title, ...fields });
      await addChapter(author, id, { body: words(length) });
    };
    await story(
      'Sunny',
      { rating: 'everyone', status: 'complete', categories: 'Gen', characters: 'Twilight Sparkle', tags: 'Friendship' },
      300,
    );
    await story('Stormy', { rating: 'teen', warnings: 'Major Character Death', characters: 'Twilight Sparkle, Spike', tags: 'Sad' }, 5200);
    await story('Night', { rating: 'explicit', warnings: 'Graphic Depictions Of Violence', categories: 'F/M', tags: 'Dark' }, 1200);
    await story('Quiet', { rating: 'teen', status: 'complete', categories: 'Gen', characters: 'Spike', tags: 'Friendship, Sad' }, 800);
    await story('Crossing', { fandoms: 'Pony, Dragons', tags: 'Filler, Bridge', language: 'ja' }, 100);
    // Twenty-two more, for paging with a filter on.
    // Ten days later, twenty-two more, for paging with a filter on.
    clock.advance(10 * 24 * 60 * 60 * 1000);
    for (let i = 1; i <= 22; i++) await story(`Filler ${i}`, { rating: 'everyone', tags: 'Filler' }, 100);
  });
  afterAll(() => h.close());

  const list = async (query: string) => titles((await h.agent().get(`/?${query}`)).body);

  it('gives an author page the same filters, count and tag sidebar as any list', async () => {
    const page = (await h.agent().get('/users/shelver?exclude=filler')).body;
    expect(titles(page)).toEqual(['Quiet', 'Night', 'Stormy', 'Sunny']);
    expect(page).toContain('<p class="list-count muted" role="status">4 stories</p>');
    expect(page).toMatch(
      /<span class="facet-name">Twilight Sparkle<\/span> <span class="muted">2<\/span><a class="facet-add" href="\/users\/shelver\?include=twilight\+sparkle&amp;exclude=filler"/,
    );
  });

  it('sorts by title A to Z, folding case and accents, and pages both ways on the same order', async () => {
    const first = (await h.agent().get('/?sort=title')).body;
    const page1 = titles(first);
    expect(page1.slice(0, 4)).toEqual(['Crossing', 'Filler 1', 'Filler 10', 'Filler 11']);
    expect(page1).toHaveLength(20);
    const next = /<a class="button" href="([^"]+)" rel="next">Next ›<\/a>/.exec(first)?.[1]?.replaceAll('&amp;', '&') ?? '';
    expect(next).toMatch(/^\/\?sort=title&after=t[\w-]+\.\d+$/);
    const second = (await h.agent().get(next)).body;
    expect(titles(second)).toEqual(['Filler 7', 'Filler 8', 'Filler 9', 'Night', 'Quiet', 'Stormy', 'Sunny']);
    const back = /<a class="button" href="([^"]+)" rel="prev">‹ Previous<\/a>/.exec(second)?.[1]?.replaceAll('&amp;', '&') ?? '';
    expect(titles((await h.agent().get(back)).body)).toEqual(page1);
    // A garbled cursor is the first page, never an error.
    expect(titles((await h.agent().get('/?sort=title&after=t%%%.1')).body)).toEqual(page1);
  });

  it('filters by the language a story is marked as written in, and ignores an unknown one', async () => {
    expect(await list('language=ja')).toEqual(['Crossing']);
    expect(await list('language=en&exclude=filler')).toEqual(['Quiet', 'Night', 'Stormy', 'Sunny']);
    expect((await list('language=klingon')).length).toBe(20);
    const refused = await author.submit('/stories/new', '/stories', {
      title: 'Bad',
      rating: 'teen',
      status: 'incomplete',
      warnings: 'No Archive Warnings Apply',
      language: 'xx',
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Choose a language from the list.');
  });

  it('includes stories with every included tag, of any type, by name in any case', async () => {
    expect(await list('include=twilight sparkle')).toEqual(['Stormy', 'Sunny']);
    expect((await h.agent().get('/?include=twilight sparkle')).body).toContain('<p class="list-count muted" role="status">2 stories</p>');
    expect(await list('include=Twilight Sparkle, SAD')).toEqual(['Stormy']);
  });

  it('excludes stories with any excluded tag, warnings too', async () => {
    const shown = await list('exclude=Sad, Graphic Depictions Of Violence, Filler');
    expect(shown).not.toContain('Stormy');
    expect(shown).not.toContain('Quiet');
    expect(shown).not.toContain('Night');
    expect(shown).toContain('Sunny');
    expect(shown).toEqual(['Sunny']);
  });

  it('narrows by ratings, warnings and categories (any of each), status and length', async () => {
    expect(await list('rating=explicit&rating=everyone&exclude=filler')).toEqual(['Night', 'Sunny']);
    expect(await list('warning=Major Character Death&warning=Graphic Depictions Of Violence')).toEqual(['Night', 'Stormy']);
    expect(await list('category=Gen')).toEqual(['Quiet', 'Sunny']);
    expect(await list('complete=complete')).toEqual(['Quiet', 'Sunny']);
    expect(await list('words_from=500&words_to=2000')).toEqual(['Quiet', 'Night']);
  });

  it('sorts by length, and pages through a filtered list keeping its filters in every link', async () => {
    expect((await list('sort=words')).slice(0, 3)).toEqual(['Stormy', 'Night', 'Quiet']);
    const first = (await h.agent().get('/?include=filler')).body;
    expect(titles(first)).toHaveLength(20);
    const next = /href="([^"]+)" rel="next"/.exec(first)?.[1]?.replaceAll('&amp;', '&') ?? '';
    expect(next).toMatch(/^\/\?include=filler&after=/);
    const second = (await h.agent().get(next)).body;
    expect(titles(second)).toEqual(['Filler 2', 'Filler 1', 'Crossing']);
    expect(/href="([^"]+)" rel="prev"/.exec(second)?.[1]).toMatch(/^\/\?include=filler&amp;before=/);
  });

  it('ignores what it cannot read, says when nothing matches, and keeps the form filled in', async () => {
    const odd = await h.agent().get('/?rating=purple&sort=sideways&words_from=lots&complete=maybe&category=X');
    expect(odd.statusCode).toBe(200);
    expect(titles(odd.body)).toHaveLength(20);
    const none = await h.agent().get('/?include=no such tag');
    expect(none.body).toContain('No stories match these filters.');
    expect(none.body).toContain('<details class="filters" open>');
    expect(none.body).toContain('value="no such tag"');
    expect(none.body).toContain('<form method="get" action="/" class="filter-form">');
  });

  it('shows the list’s most used tags with counts, each a link that includes or excludes it in one click', async () => {
    const page = (await h.agent().get('/?exclude=filler')).body;
    const facets = /<aside class="facets"[^>]*>(.*?)<\/aside>/.exec(page)?.[1] ?? '';
    const characters = /<h3>Characters<\/h3><ul>(.*?)<\/ul>/.exec(facets)?.[1] ?? '';
    const counted = [...characters.matchAll(/<span class="facet-name">([^<]+)<\/span> <span class="muted">(\d+)<\/span>/g)].map((m) => [
      m[1],
      Number(m[2]),
    ]);
    expect(counted).toEqual([
      ['Spike', 2],
      ['Twilight Sparkle', 2],
    ]);
    const include = /<a class="facet-add" href="([^"]+)" aria-label="Include Spike">/.exec(facets)?.[1]?.replaceAll('&amp;', '&') ?? '';
    expect(include).toBe('/?include=spike&exclude=filler');
    expect(titles((await h.agent().get(include)).body)).toEqual(['Quiet', 'Stormy']);
    const exclude = /<a class="facet-add" href="([^"]+)" aria-label="Exclude Spike">/.exec(facets)?.[1]?.replaceAll('&amp;', '&') ?? '';
    expect(titles((await h.agent().get(exclude)).body)).toEqual(['Night', 'Sunny']);
  });

  it('keeps or leaves out crossovers (two fandoms or more), and keeps recent updates only', async () => {
    expect(await list('crossovers=only')).toEqual(['Crossing']);
    expect(await list('include=bridge')).toEqual(['Crossing']);
    expect(await list('crossovers=exclude&include=bridge')).toEqual([]);
    expect(await list('include=filler&updated_within=7')).toHaveLength(20);
    expect(await list('exclude=filler&updated_within=7')).toEqual([]);
    expect(await list('exclude=filler&updated_within=30')).toHaveLength(4);
    // Only the offered windows count; anything else means any time.
    expect(await list('exclude=filler&updated_within=9')).toHaveLength(4);
  });

  it('filters an author’s page the same way', async () => {
    const page = (await h.agent().get('/users/shelver?include=sad&sort=words')).body;
    expect(titles(page)).toEqual(['Stormy', 'Quiet']);
  });
});
