import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from './agent.ts';
import { createHarness, dialects, type Harness, testClock } from './harness.ts';
import { storedChapters } from './import.helpers.ts';
import { addChapter, createStory } from './stories.helpers.ts';

const upload = (agent: Agent, bytes: Uint8Array, fields: Record<string, string> = {}) =>
  agent.submit('/import', '/import', {
    file: { filename: 'book.epub', contentType: 'application/epub+zip', bytes: Buffer.from(bytes) },
    publish: 'on',
    ...fields,
  });
const idOf = (location: unknown) => Number(/\/stories\/(\d+)/.exec(String(location))?.[1]);

/** A minimal EPUB as another archive might make it. */
function book(files: Record<string, string>, opf?: string): Uint8Array {
  return zipSync({
    mimetype: strToU8('application/epub+zip'),
    'META-INF/container.xml': strToU8('<container><rootfiles><rootfile full-path="content.opf"/></rootfiles></container>'),
    'content.opf': strToU8(
      opf ??
        `<package><metadata><dc:title>Borrowed</dc:title><dc:creator>Someone Else</dc:creator><dc:language>en</dc:language></metadata><manifest>${Object.keys(
          files,
        )
          .map((name, i) => `<item id="c${i}" href="${name}" media-type="application/xhtml+xml"/>`)
          .join('')}</manifest><spine>${Object.keys(files)
          .map((_, i) => `<itemref idref="c${i}"/>`)
          .join('')}</spine></package>`,
    ),
    ...Object.fromEntries(Object.entries(files).map(([name, text]) => [name, strToU8(text)])),
  });
}

describe.each(dialects)('EPUB imports on %s', (dialect) => {
  let h: Harness;
  let author: Agent;
  const clock = testClock();
  beforeAll(async () => {
    h = await createHarness(dialect, clock);
    author = await h.login('writer');
  });
  afterAll(() => h.close());

  it('gives back the same story from our own EPUB: details, tags by type, rating, chapters and notes', async () => {
    const original = await createStory(author, {
      title: 'Round Trip',
      summary: 'There and back.',
      description: 'A *circular* tale.',
      rating: 'teen',
      status: 'complete',
      warnings: 'No Archive Warnings Apply',
      fandoms: 'My Little Pony',
      characters: 'Spike, Twilight Sparkle',
      tags: 'Friendship',
    });
    await addChapter(author, original, {
      title: 'Out',
      body: 'She *left* at dawn & did not look back.\n\n> A letter.',
      note_before: 'Hello!',
    });
    await addChapter(author, original, { title: 'Back', body: 'And **returned**.\n\n- one\n- two', note_after: 'The end.' });
    const epub = (await author.get(`/stories/${original}/download/epub`)).rawPayload;
    const imported = await upload(author, epub);
    expect(imported.statusCode, imported.body.slice(0, 500)).toBe(303);
    const copy = idOf(imported.headers.location);
    const story = (id: number) => h.ctx.db.selectFrom('stories').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const [a, b] = [await story(original), await story(copy)];
    for (const field of ['title', 'summary', 'description_html', 'rating', 'status', 'language', 'word_count', 'chapter_count'] as const) {
      expect(b[field], field).toEqual(a[field]);
    }
    const tags = async (id: number) =>
      (
        await h.ctx.db
          .selectFrom('story_tags')
          .innerJoin('tags', 'tags.id', 'story_tags.tag_id')
          .select(['tags.type', 'tags.name'])
          .where('story_tags.story_id', '=', id)
          .orderBy('tags.type')
          .orderBy('tags.name')
          .execute()
      ).map((tag) => `${tag.type}:${tag.name}`);
    expect(await tags(copy)).toEqual(await tags(original));
    expect(await storedChapters(h, copy)).toEqual(await storedChapters(h, original));
  });

  it('imports another archive’s book chapter by chapter, and refuses broken or hostile ones writing nothing', async () => {
    const other = book({
      'one.xhtml':
        '<html><head><title>One</title></head><body><h2>Chapter One</h2><p>First <i>words</i>.</p><script>alert(1)</script></body></html>',
      'two.xhtml': '<html><body><h2>Chapter Two</h2><p>Second <a href="javascript:alert(1)">words</a>.</p></body></html>',
    });
    const imported = await upload(author, other);
    expect(imported.statusCode).toBe(303);
    const id = idOf(imported.headers.location);
    const rows = await h.ctx.db
      .selectFrom('chapters')
      .select(['title', 'body_html'])
      .where('story_id', '=', id)
      .orderBy('position')
      .execute();
    expect(rows.map((r) => r.title)).toEqual(['Chapter One', 'Chapter Two']);
    expect(rows[0]?.body_html).toBe('<p>First <em>words</em>.</p>\n');
    expect(rows.map((r) => r.body_html).join('')).not.toMatch(/script|javascript/);
    const story = await h.ctx.db.selectFrom('stories').select(['title', 'original_author']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(story).toEqual({ title: 'Borrowed', original_author: 'Someone Else' });

    const refusals = [
      [zipSync({ mimetype: strToU8('application/epub+zip') }), 'META-INF/container.xml, but it is not in the file'],
      [strToU8('PK\u0003\u0004 not really a zip'), 'not a readable EPUB'],
      [book({ 'a.xhtml': '<html><body></body></html>' }), 'no chapters with text'],
      [
        book(
          {},
          '<package><metadata></metadata><manifest><item id="x" href="../../../etc/passwd" media-type="application/xhtml+xml"/></manifest><spine><itemref idref="x"/></spine></package>',
        ),
        'is not in the file',
      ],
      // A zip bomb: 100 MB of zeros in a few hundred kilobytes.
      [
        zipSync({ mimetype: strToU8('application/epub+zip'), 'big.xhtml': new Uint8Array(100 * 1024 * 1024) }, { level: 9 }),
        'more than 64 MB',
      ],
    ] as const;
    // A malformed %-escape in an href (a URIError, and a 500, before) is read as written.
    const oddHref = book(
      { 'ch%E0%A4%A.xhtml': '<html><body><p>Odd but readable.</p></body></html>' },
      '<package><metadata><dc:title>Odd Href</dc:title></metadata><manifest><item id="x" href="ch%E0%A4%A.xhtml" media-type="application/xhtml+xml"/></manifest><spine><itemref idref="x"/></spine></package>',
    );
    expect((await upload(author, oddHref)).statusCode).toBe(303);
    const before = (await h.ctx.db.selectFrom('stories').select('id').execute()).length;
    for (const [bytes, message] of refusals) {
      const refused = await upload(author, bytes);
      expect(refused.statusCode, message).toBe(400);
      expect(refused.body, /field-error[^>]*>([^<]*)/.exec(refused.body)?.[1]).toContain(message);
    }
    expect((await h.ctx.db.selectFrom('stories').select('id').execute()).length).toBe(before);
  });
});
