import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, dialects, type Harness, testClock } from '../../../../test/harness.ts';
import { addChapter as addChapterThroughForm } from '../../../../test/stories.helpers.ts';
import { ChapterFormSchema } from '../../../modules/chapters/chapters.schema.ts';
import { addChapter } from '../../../modules/chapters/chapters.service.ts';
import { StoryFormSchema } from '../../../modules/stories/stories.schema.ts';
import { createStory, storyToEdit } from '../../../modules/stories/stories.service.ts';

describe.each(dialects)('browsing on %s', (dialect) => {
  let h: Harness;
  const clock = testClock();
  beforeAll(async () => {
    h = await createHarness(dialect, clock);
    // Seeded through the services: this file is about listing, not writing, and 90 posts would trip the write limit.
    await h.login('prolific');
    const user = await h.ctx.db.selectFrom('users').selectAll().where('username', '=', 'prolific').executeTakeFirstOrThrow();
    const viewer = { id: user.id, username: user.username, displayName: user.display_name, role: user.role };
    for (let i = 1; i <= 45; i++) {
      clock.advance(1000);
      const { id } = await createStory(
        h.ctx,
        viewer,
        StoryFormSchema.parse({ title: `Story number ${i}`, rating: 'teen', status: 'incomplete', warnings: 'No Archive Warnings Apply' }),
      );
      await addChapter(
        h.ctx,
        await storyToEdit(h.ctx, viewer, id),
        ChapterFormSchema.parse({ title: 'One', format: 'markdown', body: 'Words here.', action: 'publish' }),
      );
    }
  });
  afterAll(() => h.close());

  const titles = (html: string) => [...html.matchAll(/>Story number (\d+)</g)].map((m) => Number(m[1]));

  it('the home page walks all published stories newest first, by keyset cursor', async () => {
    const seen: number[] = [];
    let url = '/';
    for (let page = 0; page < 5 && url; page++) {
      const html = (await h.agent().get(url)).body;
      seen.push(...titles(html));
      const next = /href="(\/\?after=[^"]+)" rel="next"/.exec(html)?.[1];
      url = next ? next.replaceAll('&amp;', '&') : '';
    }
    expect(seen).toEqual(Array.from({ length: 45 }, (_, i) => 45 - i));
  });

  it('walks back up with "Newer", to the same pages, and the first page offers no Newer link', async () => {
    const link = (html: string, rel: string) =>
      [...html.matchAll(/href="([^"]+)" rel="(\w+)"/g)].find((m) => m[2] === rel)?.[1]?.replaceAll('&amp;', '&');
    const first = (await h.agent().get('/')).body;
    expect(link(first, 'prev')).toBeUndefined();
    const second = (await h.agent().get(link(first, 'next') ?? '')).body;
    const third = (await h.agent().get(link(second, 'next') ?? '')).body;
    expect(titles(third)).toEqual([5, 4, 3, 2, 1]);
    const back = (await h.agent().get(link(third, 'prev') ?? '')).body;
    expect(titles(back)).toEqual(titles(second));
    const top = (await h.agent().get(link(back, 'prev') ?? '')).body;
    expect(titles(top)).toEqual(titles(first));
    expect(link(top, 'prev')).toBeUndefined();
  });

  it('a new chapter brings a story back to the top', async () => {
    const story = await h.ctx.db.selectFrom('stories').select('id').where('title', '=', 'Story number 3').executeTakeFirstOrThrow();
    clock.advance(1000);
    const author = h.agent();
    const login = await author.submit('/login', '/login', { username: 'prolific', password: 'prolific-password' });
    expect(login.statusCode).toBe(303);
    await addChapterThroughForm(author, story.id, { title: 'Sequel' });
    expect(titles((await h.agent().get('/')).body)[0]).toBe(3);
  });

  it('a garbled cursor shows the first page rather than an error', async () => {
    const response = await h.agent().get('/?after=garbage');
    expect(response.statusCode).toBe(200);
    expect(titles(response.body)).toHaveLength(20);
  });

  it('the author page pages through their stories too', async () => {
    const first = (await h.agent().get('/users/prolific')).body;
    expect(titles(first)).toHaveLength(20);
    expect(first).toMatch(/href="\/users\/prolific\?after=/);
  });
});
