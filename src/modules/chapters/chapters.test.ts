import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from '../../../test/agent.ts';
import { createHarness, dialects, type Harness } from '../../../test/harness.ts';
import { addChapter, chapterFields, createStory } from '../../../test/stories.helpers.ts';

describe.each(dialects)('chapters on %s', (dialect) => {
  let h: Harness;
  let author: Agent;
  let reader: Agent;
  beforeAll(async () => {
    h = await createHarness(dialect);
    author = await h.login('writer');
    reader = await h.login('reader');
  });
  afterAll(() => h.close());

  const positions = async (storyId: number) =>
    (await h.ctx.db.selectFrom('chapters').select(['title', 'position']).where('story_id', '=', storyId).orderBy('position').execute()).map(
      (c) => `${c.position}:${c.title}`,
    );
  const counts = (storyId: number) =>
    h.ctx.db.selectFrom('stories').select(['word_count', 'chapter_count']).where('id', '=', storyId).executeTakeFirstOrThrow();

  it('a draft chapter is visible only to its author and does not count', async () => {
    const storyId = await createStory(author);
    const published = await addChapter(author, storyId, { title: 'Out', body: 'one two three' });
    const draft = await addChapter(author, storyId, { title: 'Hidden', body: 'four five', action: 'draft' });
    expect((await reader.get(`/stories/${storyId}/chapters/${published}`)).statusCode).toBe(200);
    expect((await reader.get(`/stories/${storyId}/chapters/${draft}`)).statusCode).toBe(404);
    expect((await h.agent().get(`/stories/${storyId}/chapters/${draft}`)).statusCode).toBe(404);
    const own = await author.get(`/stories/${storyId}/chapters/${draft}`);
    expect(own.statusCode).toBe(200);
    expect(own.body).toContain('Draft');
    expect((await reader.get(`/stories/${storyId}`)).body).not.toContain('Hidden');
    expect(await counts(storyId)).toEqual({ word_count: 3, chapter_count: 1 });
  });

  it('publishing and unpublishing a chapter updates the counts', async () => {
    const storyId = await createStory(author);
    const id = await addChapter(author, storyId, { body: 'alpha beta', action: 'draft' });
    expect(await counts(storyId)).toEqual({ word_count: 0, chapter_count: 0 });
    await author.submit(
      `/stories/${storyId}/chapters/${id}/edit`,
      `/stories/${storyId}/chapters/${id}`,
      chapterFields({ body: 'alpha beta gamma', action: 'publish' }),
    );
    expect(await counts(storyId)).toEqual({ word_count: 3, chapter_count: 1 });
    await author.submit(
      `/stories/${storyId}/chapters/${id}/edit`,
      `/stories/${storyId}/chapters/${id}`,
      chapterFields({ body: 'alpha beta gamma', action: 'draft' }),
    );
    expect(await counts(storyId)).toEqual({ word_count: 0, chapter_count: 0 });
    const story = await h.ctx.db.selectFrom('stories').select('published_at').where('id', '=', storyId).executeTakeFirstOrThrow();
    expect(story.published_at).toBeNull();
  });

  it('chapters can be reordered and deleted, and the order closes up', async () => {
    const storyId = await createStory(author);
    const a = await addChapter(author, storyId, { title: 'A' });
    const b = await addChapter(author, storyId, { title: 'B' });
    await addChapter(author, storyId, { title: 'C' });
    expect(await positions(storyId)).toEqual(['1:A', '2:B', '3:C']);
    await author.submit(`/stories/${storyId}`, `/stories/${storyId}/chapters/${b}/move`, { direction: 'up' });
    expect(await positions(storyId)).toEqual(['1:B', '2:A', '3:C']);
    await author.submit(`/stories/${storyId}`, `/stories/${storyId}/chapters/${b}/move`, { direction: 'up' });
    expect(await positions(storyId)).toEqual(['1:B', '2:A', '3:C']);
    await author.submit(`/stories/${storyId}`, `/stories/${storyId}/chapters/${a}/move`, { direction: 'down' });
    expect(await positions(storyId)).toEqual(['1:B', '2:C', '3:A']);
    await author.submit(`/stories/${storyId}/chapters/${b}/delete`, `/stories/${storyId}/chapters/${b}/delete`, {});
    expect(await positions(storyId)).toEqual(['1:C', '2:A']);
    const bad = await author.submit(`/stories/${storyId}`, `/stories/${storyId}/chapters/${a}/move`, { direction: 'sideways' });
    expect(bad.statusCode).toBe(400);
  });

  it('nobody but the author may add, edit, move or delete a chapter', async () => {
    const storyId = await createStory(author);
    const id = await addChapter(author, storyId, { title: 'Original' });
    const attempts = [
      await reader.submit(`/stories/${storyId}`, `/stories/${storyId}/chapters`, chapterFields({ title: 'Intruder' })),
      await reader.submit(`/stories/${storyId}`, `/stories/${storyId}/chapters/${id}`, chapterFields({ title: 'Defaced' })),
      await reader.submit(`/stories/${storyId}`, `/stories/${storyId}/chapters/${id}/move`, { direction: 'down' }),
      await reader.submit(`/stories/${storyId}`, `/stories/${storyId}/chapters/${id}/delete`, {}),
    ];
    expect(attempts.map((r) => r.statusCode)).toEqual([403, 403, 403, 403]);
    expect((await reader.get(`/stories/${storyId}/chapters/${id}/edit`)).statusCode).toBe(403);
    expect(await positions(storyId)).toEqual(['1:Original']);
  });

  it('a chapter of another story is not found through this one', async () => {
    const mine = await createStory(author);
    const other = await createStory(author);
    const chapter = await addChapter(author, other);
    expect((await author.get(`/stories/${mine}/chapters/${chapter}`)).statusCode).toBe(404);
    expect((await author.get(`/stories/${mine}/chapters/${chapter}/edit`)).statusCode).toBe(404);
  });

  it('an empty chapter is refused with the text kept', async () => {
    const storyId = await createStory(author);
    const response = await author.submit(
      `/stories/${storyId}/chapters/new`,
      `/stories/${storyId}/chapters`,
      chapterFields({ title: 'Kept title', body: '   ' }),
    );
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Write something before saving.');
    expect(response.body).toContain('value="Kept title"');
    expect(await positions(storyId)).toEqual([]);
  });

  it('BBCode chapters render FimFiction tags, one paragraph per line', async () => {
    const storyId = await createStory(author);
    const body =
      '[b]Bold[/b] and [i]italic[/i] and [u]under[/u] and [s]struck[/s]\n[center]Centred[/center]\n[hr]\n[quote]Quoted[/quote]\n[size=2em]Big[/size] [color=#ff0000]Red[/color] [spoiler]Twist[/spoiler] [url=https://example.org/x]link[/url]';
    const id = await addChapter(author, storyId, { format: 'bbcode', body });
    const page = (await reader.get(`/stories/${storyId}/chapters/${id}`)).body;
    for (const html of [
      '<strong>Bold</strong>',
      '<em>italic</em>',
      '<u>under</u>',
      '<s>struck</s>',
      '<div class="bb-center"><p>Centred</p></div>',
      '<hr />',
      '<blockquote><p>Quoted</p></blockquote>',
      '<span class="bb-size-xl">Big</span>',
      '<span class="bb-color-red">Red</span>',
      '<span class="spoiler" tabindex="0">Twist</span>',
      '<a href="https://example.org/x" rel="nofollow ugc noopener noreferrer">link</a>',
    ]) {
      expect(page).toContain(html);
    }
  });
});
