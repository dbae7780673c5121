import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../src/modules/generate/generate.ts';
import type { Agent } from './agent.ts';
import { storyPageFixture } from './fixtures.ts';
import { createHarness, dialects, type Harness, testClock } from './harness.ts';
import { storedChapters } from './import.helpers.ts';
import { addChapter, createStory } from './stories.helpers.ts';

const EPUBCHECK = '/usr/share/java/epubcheck.jar';
/** epubcheck is required in CI (Debian's package; its wrapper script is broken, so the jar is run). */
const epubcheckAvailable = existsSync(EPUBCHECK);
if (process.env.CI === 'true' && !epubcheckAvailable) throw new Error(`CI=true requires epubcheck at ${EPUBCHECK}`);

/** Runs epubcheck on the bytes; returns its messages (nothing when the book is clean). */
function epubcheck(bytes: Buffer): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'oak-epubcheck-'));
  try {
    const file = join(dir, 'book.epub');
    writeFileSync(file, bytes);
    const result = spawnSync('java', ['-jar', EPUBCHECK, '--quiet', file], { encoding: 'utf8', timeout: 120_000 });
    return `${result.stdout}\n${result.stderr}`.split('\n').filter((line) => /^(FATAL|ERROR|WARNING)/.test(line));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.each(dialects)('downloads on %s', (dialect) => {
  let h: Harness;
  let author: Agent;
  let story: number;
  const clock = testClock();
  beforeAll(async () => {
    h = await createHarness(dialect, clock);
    author = await h.login('writer');
    story = await createStory(author, { title: 'The Long Road', tags: 'Friendship, Slice of Life', summary: 'A dragon leaves home.' });
    await addChapter(author, story, {
      title: 'Leaving',
      note_before: 'My *first* story.',
      body: 'It was a cold morning.\n\nShe waited & watched.',
    });
    await addChapter(author, story, { title: 'Arriving', body: 'The city was <b>loud</b>.', note_after: 'Comments welcome!' });
  });
  afterAll(() => h.close());

  const download = (agent: Agent, format: string) => agent.get(`/stories/${story}/download/${format}`);

  it('offers EPUB, HTML, plain text and Markdown from the story page, each with the whole story', async () => {
    const page = (await h.agent().get(`/stories/${story}`)).body;
    for (const format of ['epub', 'html', 'txt', 'md']) expect(page).toContain(`/stories/${story}/download/${format}`);
    const epub = await download(h.agent(), 'epub');
    expect(epub.headers['content-type']).toBe('application/epub+zip');
    expect(epub.headers['content-disposition']).toBe('attachment; filename="the-long-road.epub"');
    const files = unzipSync(epub.rawPayload);
    expect(Object.keys(files)[0]).toBe('mimetype');
    const opf = strFromU8(files['OEBPS/content.opf'] as Uint8Array);
    expect(opf).toContain('<dc:title>The Long Road</dc:title>');
    expect(opf).toContain('<dc:creator id="creator">writer</dc:creator>');
    expect(opf).toContain('<dc:subject>Friendship</dc:subject>');
    expect(opf).toMatch(/<meta property="dcterms:modified">\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ<\/meta>/);
    const first = strFromU8(files['OEBPS/chapter-1.xhtml'] as Uint8Array);
    expect(first).toMatch(/<aside class="note" epub:type="note"><h2>Author’s note<\/h2><p>My <em>first<\/em> story\.<\/p>\s*<\/aside>/);
    expect(first).toContain('She waited &amp; watched.');
    const text = (await download(h.agent(), 'txt')).body;
    expect(text).toMatch(/^The Long Road\n=============\n\nby writer/);
    expect(text).toContain("Author's note: My first story.");
    expect(text).toContain('The city was <b>loud</b>.');
    const markdown = (await download(h.agent(), 'md')).body;
    expect(markdown).toContain('## Arriving\n\nThe city was <b>loud</b>.\n\n> Comments welcome!');
    const html = (await download(h.agent(), 'html')).body;
    expect(html).toContain('<h2 id="chapter-2">Arriving</h2>');
    expect(html).not.toContain('<b>loud</b>');
  });

  it.skipIf(!epubcheckAvailable)(
    'passes epubcheck with no errors and no warnings: a short story and the example story page with its cover credit',
    async () => {
      expect(epubcheck((await download(h.agent(), 'epub')).rawPayload)).toEqual([]);
      const imported = await author.submit('/import', '/import', {
        file: { filename: 'goodbye.txt', contentType: 'text/plain', bytes: storyPageFixture() },
        title: 'Goodbye',
        publish: 'on',
      });
      const id = Number(/\/stories\/(\d+)/.exec(String(imported.headers.location))?.[1]);
      expect(id).toBeGreaterThan(0);
      expect(epubcheck((await h.agent().get(`/stories/${id}/download/epub`)).rawPayload)).toEqual([]);
    },
  );

  it.skipIf(!epubcheckAvailable)(
    'keeps characters XML forbids out of every field of the book, from forms and numeric references',
    async () => {
      const odd = '\u0001\u0008\u000B\u000C\u001F\uFFFE\uFFFF';
      const id = await createStory(author, {
        title: `Bell${odd} story`,
        summary: `Sum${odd}mary`,
        description: `De${odd}scribed`,
        tags: `Odd${odd}tag`,
      });
      await addChapter(author, id, {
        title: `Ch${odd}apter`,
        format: 'markdown',
        body: `Text${odd} and &#1;&#x1F;&#xFFFF; refs <b>&#2;</b>`,
        note_after: `N${odd}`,
      });
      await author.submit(`/stories/${id}`, `/stories/${id}/publish`, {});
      const stored = await h.ctx.db.selectFrom('stories').select(['title', 'summary']).where('id', '=', id).executeTakeFirstOrThrow();
      expect(stored).toEqual({ title: 'Bell story', summary: 'Summary' });
      const epub = await h.agent().get(`/stories/${id}/download/epub`);
      expect(epub.statusCode).toBe(200);
      expect(epubcheck(epub.rawPayload)).toEqual([]);
    },
  );

  it('builds a download once per version of the story and again when it changes', async () => {
    const first = await download(h.agent(), 'epub');
    const again = await download(h.agent(), 'epub');
    expect(again.headers.etag).toBe(first.headers.etag);
    expect((await h.agent().get(`/stories/${story}/download/epub`, { 'if-none-match': String(first.headers.etag) })).statusCode).toBe(304);
    await addChapter(author, story, { title: 'Staying' });
    const changed = await download(h.agent(), 'epub');
    expect(changed.headers.etag).not.toBe(first.headers.etag);
    expect(Object.keys(unzipSync(changed.rawPayload))).toContain('OEBPS/chapter-3.xhtml');
    // Older versions are removed from the cache.
    const cached = spawnSync('ls', [join(h.ctx.config.dataDir, 'cache', 'downloads')], { encoding: 'utf8' }).stdout.split('\n');
    expect(cached.filter((name) => name.startsWith(`${story}-`) && name.endsWith('.epub'))).toHaveLength(1);
  });

  it('offers nothing for a draft, a wrong format or a story that is not there', async () => {
    const draft = await createStory(author, { title: 'Unfinished' });
    expect((await h.agent().get(`/stories/${draft}/download/epub`)).statusCode).toBe(404);
    expect((await author.get(`/stories/${draft}/download/epub`)).statusCode).toBe(404);
    expect((await download(h.agent(), 'pdf')).statusCode).toBe(404);
    expect((await download(h.agent(), '..%2F..%2Fetc%2Fpasswd')).statusCode).toBe(404);
    expect((await h.agent().get('/stories/99999999/download/epub')).statusCode).toBe(404);
  });

  it('shows the entire story on one page', async () => {
    const page = (await h.agent().get(`/stories/${story}/full`)).body;
    expect(page.indexOf('Leaving')).toBeLessThan(page.indexOf('Arriving'));
    expect(page).toContain('It was a cold morning.');
    expect(page).toContain('Comments welcome!');
  });

  it.skipIf(!epubcheckAvailable)(
    'passes epubcheck on a generated story of fifty chapters, and imports back the same chapters',
    async () => {
      await generate(h.ctx, { stories: 1, seed: 50 });
      const row = await h.ctx.db.selectFrom('stories').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow();
      // The generator varies the length; this one is given fifty chapters of its prose.
      const chapter = await h.ctx.db.selectFrom('chapters').selectAll().where('story_id', '=', row.id).executeTakeFirstOrThrow();
      const { id: _, ...copy } = chapter;
      for (let position = 2; position <= 50; position++) {
        await h.ctx.db
          .insertInto('chapters')
          .values({ ...copy, position, title: `Part ${position}` })
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
      const epub = await h.agent().get(`/stories/${row.id}/download/epub`);
      const files = unzipSync(epub.rawPayload);
      expect(Object.keys(files).filter((name) => /^OEBPS\/chapter-\d+\.xhtml$/.test(name)).length).toBeGreaterThanOrEqual(50);
      expect(epubcheck(epub.rawPayload)).toEqual([]);
      // And it comes back whole: imported again, every chapter is as it was.
      const importer = await h.login('round-tripper');
      const back = await importer.submit('/import', '/import', {
        file: { filename: 'fifty.epub', contentType: 'application/epub+zip', bytes: epub.rawPayload },
        publish: 'on',
      });
      expect(back.statusCode).toBe(303);
      const copyId = Number(/\/stories\/(\d+)/.exec(String(back.headers.location))?.[1]);
      // The generator writes its HTML without the final newline the Markdown renderer ends with.
      const trimmed = async (id: number) =>
        (await storedChapters(h, id)).map((c) => ({
          ...c,
          body_html: c.body_html.trimEnd(),
          note_before_html: c.note_before_html.trimEnd(),
        }));
      const [original, imported] = [await trimmed(row.id), await trimmed(copyId)];
      expect(imported).toHaveLength(50);
      expect(imported).toEqual(original);
    },
  );
});
