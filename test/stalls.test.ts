import { monitorEventLoopDelay } from 'node:perf_hooks';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from './agent.ts';
import { createHarness, dialects, type Harness, testClock } from './harness.ts';
import { addChapter, chapterFields, createStory } from './stories.helpers.ts';

const markdownTable = (rows: number) => `|a|b|\n|-|-|\n${'|x|y|\n'.repeat(rows)}`;

describe.each(dialects)('one request never freezes the archive, on %s', (dialect) => {
  let h: Harness;
  let author: Agent;
  let storyId: number;
  beforeAll(async () => {
    h = await createHarness(dialect);
    author = await h.login('tabler');
    storyId = await createStory(author);
  });
  afterAll(() => h.close());

  it('formats a slow chapter off the main thread while other requests are answered', async () => {
    const csrf = await author.csrfFrom(`/stories/${storyId}/chapters/new`);
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const saving = author.post(`/stories/${storyId}/chapters`, { _csrf: csrf, ...chapterFields({ body: markdownTable(60_000) }) });
    const health: number[] = [];
    for (let i = 0; i < 5; i++) {
      const start = performance.now();
      expect((await h.agent().get('/healthz')).statusCode).toBe(200);
      health.push(performance.now() - start);
    }
    const saved = await saving;
    delay.disable();
    expect(saved.statusCode).toBe(303);
    // On the main thread this table blocked the loop for about a second.
    expect(delay.max / 1e6).toBeLessThan(250);
    expect(Math.max(...health)).toBeLessThan(250);
  });

  it('reads a large EPUB off the main thread while other requests are answered', async () => {
    // Two chapters of 1.2 MB of short paragraphs (under the chapter limit): a second or more of parsing, if it were done here.
    const chapter = (n: number) => strToU8(`<html><body><h1>Part ${n}</h1>${'<p>A line of a long book.</p>'.repeat(35_000)}</body></html>`);
    const epub = zipSync({
      mimetype: strToU8('application/epub+zip'),
      'META-INF/container.xml': strToU8('<container><rootfiles><rootfile full-path="c.opf"/></rootfiles></container>'),
      'c.opf': strToU8(
        '<package><metadata><dc:title>Long</dc:title></metadata><manifest><item id="a" href="a.xhtml" media-type="application/xhtml+xml"/><item id="b" href="b.xhtml" media-type="application/xhtml+xml"/></manifest><spine><itemref idref="a"/><itemref idref="b"/></spine></package>',
      ),
      'a.xhtml': chapter(1),
      'b.xhtml': chapter(2),
    });
    const csrf = await author.csrfFrom('/import');
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const importing = author.post('/import', {
      _csrf: csrf,
      file: { filename: 'long.epub', contentType: 'application/epub+zip', bytes: Buffer.from(epub) },
    });
    const health: number[] = [];
    for (let i = 0; i < 5; i++) {
      const start = performance.now();
      expect((await h.agent().get('/healthz')).statusCode).toBe(200);
      health.push(performance.now() - start);
    }
    const imported = await importing;
    delay.disable();
    expect(imported.statusCode, /field-error[^>]*>([^<]*)/.exec(imported.body)?.[1]).toBe(303);
    expect(delay.max / 1e6).toBeLessThan(400);
    expect(Math.max(...health)).toBeLessThan(400);
  });

  it('nests BBCode twenty thousand deep without a stack overflow', async () => {
    const body = `${'[quote]'.repeat(20_000)}deep${'[/quote]'.repeat(20_000)}\n${'[b]'.repeat(50_000)}bold${'[/b]'.repeat(50_000)}`;
    const chapterId = await addChapter(author, storyId, { format: 'bbcode', body });
    const page = await author.get(`/stories/${storyId}/chapters/${chapterId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('deep');
  });
});

describe('a render over its time budget', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness('sqlite', testClock(), {}, { renderBudgetMs: 500 });
    // Setup, not what is tested: a started worker, so the story's own short description is not
    // timed together with a thread starting on a machine busy with other test files.
    for (let tries = 0; tries < 5; tries++) {
      if (
        await h.ctx.renderer.render([{ source: 'warm', format: 'markdown' }]).then(
          () => true,
          () => false,
        )
      )
        break;
    }
  });
  afterAll(() => h.close());

  it('refuses the save with a clear message and writes nothing', async () => {
    const author = await h.login('slowpoke');
    const storyId = await createStory(author);
    const response = await author.submit(`/stories/${storyId}/chapters/new`, `/stories/${storyId}/chapters`, {
      ...chapterFields({ title: 'Too slow', body: '*a'.repeat(490_000) }),
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('took longer than 0.5 seconds to format, so it was not saved');
    // The author's text comes back in the form.
    expect(response.body).toContain('*a*a*a');
    const chapters = await h.ctx.db.selectFrom('chapters').select('id').where('story_id', '=', storyId).execute();
    expect(chapters).toEqual([]);
    // The pool recovers: the next ordinary save works.
    await addChapter(author, storyId, { body: 'A short chapter.' });
  });
});

describe('rate limits on edits and password changes', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness('sqlite');
  });
  afterAll(() => h.close());

  it('limits chapter edits per account like creation', async () => {
    const author = await h.login('editor');
    const storyId = await createStory(author);
    const chapterId = await addChapter(author, storyId);
    const csrf = await author.csrfFrom(`/stories/${storyId}/chapters/${chapterId}/edit`);
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++) {
      statuses.push(
        (await author.post(`/stories/${storyId}/chapters/${chapterId}`, { _csrf: csrf, ...chapterFields({ body: `v${i}` }) })).statusCode,
      );
    }
    expect(statuses.slice(0, 60).every((status) => status === 303)).toBe(true);
    expect(statuses[60]).toBe(429);
  });

  it('limits password guesses on the settings form like log-in', async () => {
    const thief = await h.login('victim');
    const csrf = await thief.csrfFrom('/settings/account');
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const guess = { _csrf: csrf, current_password: `guess ${i}`, password: 'new password!', password_confirmation: 'new password!' };
      statuses.push((await thief.post('/settings/password', guess)).statusCode);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(400));
    expect(statuses[10]).toBe(429);
  });
});
