import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from './agent.ts';
import { createHarness, dialects, type Harness, testClock } from './harness.ts';
import { addChapter, createStory } from './stories.helpers.ts';

describe.each(dialects)('reading progress, read marks and history on %s', (dialect) => {
  let h: Harness;
  let author: Agent;
  let story: number;
  let chapters: number[];
  let other: number;
  const clock = testClock();
  beforeAll(async () => {
    h = await createHarness(dialect, clock);
    author = await h.login('author');
    story = await createStory(author, { title: 'Seven Bridges' });
    chapters = [];
    for (const title of ['One', 'Two', 'Three']) chapters.push(await addChapter(author, story, { title }));
    other = await createStory(author, { title: 'Small Hours' });
    await addChapter(author, other, { title: 'Only' });
  });
  afterAll(() => h.close());

  /** The reading script's report, as a browser on the chapter page sends it. */
  const report = (agent: Agent, body: Record<string, unknown>, site = 'same-origin') =>
    h.app.inject({
      method: 'POST',
      url: '/progress',
      headers: {
        cookie: [...agent.cookies].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; '),
        'content-type': 'application/json',
        'sec-fetch-site': site,
      },
      payload: JSON.stringify(body),
      remoteAddress: agent.remoteAddress,
    });
  const chapterUrl = (id: number) => `/stories/${story}/chapters/${id}`;

  it('records a visit without the script, then the position the script reports, and shows where to continue', async () => {
    const reader = await h.login('reader');
    await reader.get(chapterUrl(chapters[1] as number));
    let page = (await reader.get(`/stories/${story}`)).body;
    expect(page).toContain('Continue: chapter 2, 0%');
    expect((await report(reader, { story, chapter: chapters[1], position: 400 })).statusCode).toBe(204);
    page = (await reader.get(`/stories/${story}`)).body;
    expect(page).toContain('Continue: chapter 2, 40%');
    // Reopening the same chapter keeps the place; another device (a second session) sees it too.
    await reader.get(chapterUrl(chapters[1] as number));
    const phone = h.agent();
    await phone.submit('/login', '/login', { username: 'reader', password: 'reader-password' });
    const saved = await phone.get(`/progress/${story}`, { accept: 'application/json' });
    expect(JSON.parse(saved.body)).toEqual({ chapter: chapters[1], position: 400 });
    expect((await phone.get('/')).body).toMatch(/Continue reading[\s\S]*Seven Bridges[\s\S]*Continue: chapter 2, 40%/);
    // Someone else's page is untouched: anonymous and other readers see "Start reading".
    expect((await h.agent().get(`/stories/${story}`)).body).toContain('Start reading');
    expect((await h.agent().get('/')).body).not.toContain('Continue reading');
  });

  it('marks a chapter read near its end, and a whole story read or unread', async () => {
    const reader = await h.login('marker');
    await report(reader, { story, chapter: chapters[0], position: 980 });
    let page = (await reader.get(`/stories/${story}`)).body;
    expect(page.match(/class="read-mark"/g)).toHaveLength(1);
    reader.headers = { 'sec-fetch-site': 'same-origin' };
    await reader.post(`/stories/${story}/read`, { action: 'read' });
    page = (await reader.get(`/stories/${story}`)).body;
    expect(page.match(/class="read-mark"/g)).toHaveLength(3);
    expect(page).toContain('Mark as unread');
    await reader.post(`/stories/${story}/read`, { action: 'unread' });
    reader.headers = {};
    expect((await reader.get(`/stories/${story}`)).body).not.toContain('class="read-mark"');
    // From another site, the button does nothing.
    const forged = h.agent();
    forged.cookies.set('oak_session', reader.cookies.get('oak_session') ?? '');
    forged.headers = { 'sec-fetch-site': 'cross-site' };
    expect((await forged.post(`/stories/${story}/read`, { action: 'read' })).statusCode).toBe(403);
  });

  it('refuses a bad report: anonymous, from another site, a wrong chapter, a draft, an absurd position', async () => {
    const reader = await h.login('careful');
    expect((await report(h.agent(), { story, chapter: chapters[0], position: 1 })).statusCode).toBe(401);
    expect((await report(reader, { story, chapter: chapters[0], position: 1 }, 'cross-site')).statusCode).toBe(403);
    expect((await report(reader, { story: other, chapter: chapters[0], position: 1 })).statusCode).toBe(404);
    expect((await report(reader, { story, chapter: 99_999_999, position: 1 })).statusCode).toBe(404);
    expect((await report(reader, { story, chapter: chapters[0], position: 1001 })).statusCode).toBe(400);
    expect((await report(reader, { story, chapter: chapters[0], position: '5' })).statusCode).toBe(400);
    expect((await report(reader, { story: 2 ** 60, chapter: chapters[0], position: 1 })).statusCode).toBe(400);
    const draft = await addChapter(author, story, { title: 'Draft', action: 'draft' });
    expect((await report(reader, { story, chapter: draft, position: 1 })).statusCode).toBe(404);
    expect(await h.ctx.db.selectFrom('reading_progress').selectAll().execute()).not.toContainEqual(
      expect.objectContaining({ chapter_id: draft }),
    );
  });

  it('keeps a history the reader can search, trim and clear', async () => {
    const reader = await h.login('historian');
    await reader.get(chapterUrl(chapters[0] as number));
    clock.advance(1000);
    await reader.get(
      `/stories/${other}/chapters/${(await h.ctx.db.selectFrom('chapters').select('id').where('story_id', '=', other).executeTakeFirstOrThrow()).id}`,
    );
    let library = (await reader.get('/library')).body;
    expect(library.indexOf('Small Hours')).toBeLessThan(library.indexOf('Seven Bridges'));
    library = (await reader.get('/library?q=BRIDGES')).body;
    expect(library).toContain('Seven Bridges');
    expect(library).not.toContain('Small Hours');
    expect((await reader.get('/library?q=%25')).body).toContain('No story in your history');
    await reader.submit('/library', `/library/forget/${other}`, {});
    library = (await reader.get('/library')).body;
    expect(library).not.toContain('Small Hours');
    await reader.submit('/library', '/library/forget', {});
    expect((await reader.get('/library')).body).toContain('Stories you read appear here');
    expect((await h.agent().get('/library')).statusCode).toBe(303);
  });
});
