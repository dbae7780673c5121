import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flushViews } from '../src/modules/views/views.counter.ts';
import { createHarness, dialects, type Harness, testClock } from './harness.ts';
import { addChapter, createStory } from './stories.helpers.ts';

const DAY = 24 * 60 * 60 * 1000;
const titles = (html: string) => [...html.matchAll(/<h2 class="card-title"><a href="[^"]*">([^<]*)<\/a>/g)].map((m) => m[1]);

describe.each(dialects)('views on %s', (dialect) => {
  let h: Harness;
  let popular: number;
  let popularChapter: number;
  let quiet: number;
  const clock = testClock();
  beforeAll(async () => {
    h = await createHarness(dialect, clock);
    const author = await h.login('writer');
    popular = await createStory(author, { title: 'Much Read' });
    popularChapter = await addChapter(author, popular);
    quiet = await createStory(author, { title: 'Seldom Read' });
    await addChapter(author, quiet);
  });
  afterAll(() => h.close());

  it('counts each reader once per chapter per day, hashed, in daily counts and a story total', async () => {
    const chapter = `/stories/${popular}/chapters/${popularChapter}`;
    const guest = h.agent();
    const reader = await h.login('reader');
    for (const agent of [guest, guest, reader, reader, h.agent()]) await agent.get(chapter);
    // A wrong chapter counts nothing (and breaks nothing).
    await guest.get(`/stories/${popular}/chapters/99999999`);
    await flushViews(h.ctx);
    const story = () => h.ctx.db.selectFrom('stories').select('view_count').where('id', '=', popular).executeTakeFirstOrThrow();
    expect((await story()).view_count).toBe(3);
    const marks = await h.ctx.db.selectFrom('view_marks').select('hash').execute();
    expect(marks).toHaveLength(3);
    for (const { hash } of marks) expect(hash).not.toContain(guest.remoteAddress);
    // The next day the same readers count again, in that day's row.
    clock.advance(DAY);
    await guest.get(chapter);
    await flushViews(h.ctx);
    expect((await story()).view_count).toBe(4);
    const days = await h.ctx.db
      .selectFrom('chapter_views')
      .select(['day', 'views'])
      .where('chapter_id', '=', popularChapter)
      .orderBy('day')
      .execute();
    expect(days.map((d) => d.views)).toEqual([3, 1]);
    // Marks older than yesterday are dropped.
    clock.advance(2 * DAY);
    await guest.get(chapter);
    await flushViews(h.ctx);
    expect((await h.ctx.db.selectFrom('view_marks').select('day').execute()).every((m) => m.day >= Math.floor(clock.now() / DAY) - 1)).toBe(
      true,
    );
  });

  it('sorts and filters by views, in lists and in search', async () => {
    expect(titles((await h.agent().get('/?sort=views')).body)).toEqual(['Much Read', 'Seldom Read']);
    expect((await h.agent().get('/?sort=views')).body).toMatch(/5 views/);
    const search = await h.agent().get('/search?q=views%3E2');
    expect(titles(search.body)).toEqual(['Much Read']);
    expect(titles((await h.agent().get('/search?q=sort%3Aviews%20read')).body)[0]).toBe('Much Read');
    expect(quiet).toBeGreaterThan(0);
  });
});
