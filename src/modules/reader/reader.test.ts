import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from '../../../test/agent.ts';
import { createHarness, dialects, type Harness } from '../../../test/harness.ts';
import { addChapter, createStory } from '../../../test/stories.helpers.ts';

describe.each(dialects)('the chapter reader on %s', (dialect) => {
  let h: Harness;
  let author: Agent;
  let storyId: number;
  let chapters: number[];
  beforeAll(async () => {
    h = await createHarness(dialect);
    author = await h.login('novelist');
    storyId = await createStory(author, { title: 'Three Parts', status: 'complete' });
    chapters = [
      await addChapter(author, storyId, { title: 'Beginning', note_before: 'Thanks for *reading*!', note_after: 'More soon.' }),
      await addChapter(author, storyId, { title: 'Middle', action: 'draft' }),
      await addChapter(author, storyId, { title: 'Middle Proper' }),
      await addChapter(author, storyId, { title: 'End' }),
    ];
  });
  afterAll(() => h.close());

  it("sets the author's notes apart from the story text, before and after", async () => {
    const body = (await h.agent().get(`/stories/${storyId}/chapters/${chapters[0]}`)).body;
    const before = body.indexOf('note-before');
    const text = body.indexOf('chapter-text');
    const after = body.indexOf('note-after');
    expect(before).toBeGreaterThan(0);
    expect(text).toBeGreaterThan(before);
    expect(after).toBeGreaterThan(text);
    expect(body).toContain("<summary>Author's note</summary>");
    expect(body).toContain('<em>reading</em>');
  });

  it('links previous, contents and next (named), skipping drafts for readers', async () => {
    const [first, , third, last] = chapters;
    const story = `/stories/${storyId}-three-parts`;
    const start = (await h.agent().get(`/stories/${storyId}/chapters/${first}`)).body;
    expect(start).toContain(
      `href="${story}/chapters/${third}-middle-proper" rel="next" class="nav-next"><span class="next-label">Next: Middle Proper</span> ›</a>`,
    );
    expect(start).not.toContain('rel="prev"');
    expect(start).toContain('Chapter 1 of 3');
    const middle = (await h.agent().get(`/stories/${storyId}/chapters/${third}`)).body;
    expect(middle).toContain(`href="${story}/chapters/${first}-beginning" rel="prev"`);
    expect(middle).toContain(`href="${story}/chapters/${last}-end" rel="next"`);
    expect(middle).toContain(`href="${story}#contents"`);
    // A jump list of the three readable chapters, the current one marked; the draft is not in it.
    const jump = /<details class="jump-list">(.*?)<\/details>/.exec(middle)?.[1] ?? '';
    expect(jump).toContain('<summary>All 3 chapters</summary>');
    expect(jump).toContain('<span aria-current="page">Middle Proper</span>');
    expect(jump).not.toContain('>Middle<');
    const end = (await h.agent().get(`/stories/${storyId}/chapters/${last}`)).body;
    expect(end).not.toContain('rel="next"');
    expect(end).toContain('The End');
  });

  it('remembers reader settings in a cookie and renders them server-side, without script', async () => {
    const reader = h.agent();
    const url = `/stories/${storyId}/chapters/${chapters[0]}`;
    const response = await reader.submit(url, '/settings/reading', {
      theme: 'dark',
      size: '5',
      width: 'narrow',
      font: 'sans',
      return: url,
    });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(url);
    const page = (await reader.get(url)).body;
    expect(page).toContain('<html lang="en" data-theme="dark">');
    expect(page).toContain('<body class="font-sans size-5 width-narrow">');
    // One script, which only keeps the reader's place when settings are applied: the page works without it.
    expect([...page.matchAll(/<script[^>]*>/g)].map((m) => m[0])).toEqual([
      expect.stringMatching(/^<script src="\/static\/reader\.js\?v=[0-9a-f]{12}" defer>$/),
    ]);
    const junk = await reader.submit(url, '/settings/reading', { theme: 'neon', size: '99', return: 'https://evil.example/' });
    expect(junk.headers.location).toBe('/settings/reading');
    expect((await reader.get(url)).body).toContain('data-theme="auto"');
  });

  it('a story page lists the contents and starts reading at chapter one', async () => {
    const page = (await h.agent().get(`/stories/${storyId}`)).body;
    expect(page).toContain(`href="/stories/${storyId}-three-parts/chapters/${chapters[0]}-beginning">Start reading`);
    expect(page.indexOf('Beginning')).toBeLessThan(page.indexOf('Middle Proper'));
    expect(page).not.toContain('>Middle<');
  });
});
