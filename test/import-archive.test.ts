import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../src/modules/accounts/accounts.service.ts';
import { importArchive, MAX_INDEX_LINE_BYTES } from '../src/modules/import/fimfarchive.ts';
import { createHarness, dialects, type Harness, testClock } from './harness.ts';

/** A FimFiction-style EPUB: one XHTML file per chapter, titled by its heading. */
function epub(title: string, chapters: string[]): Uint8Array {
  const items = chapters.map((_, i) => `<item id="c${i}" href="chapter-${i}.html" media-type="application/xhtml+xml"/>`).join('');
  const spine = chapters.map((_, i) => `<itemref idref="c${i}"/>`).join('');
  return zipSync({
    mimetype: strToU8('application/epub+zip'),
    'META-INF/container.xml': strToU8('<container><rootfiles><rootfile full-path="book.opf"/></rootfiles></container>'),
    'book.opf': strToU8(
      `<package><metadata><dc:title>${title}</dc:title></metadata><manifest>${items}</manifest><spine>${spine}</spine></package>`,
    ),
    ...Object.fromEntries(
      chapters.map((text, i) => [`chapter-${i}.html`, strToU8(`<html><body><h1>Part ${i + 1}</h1><p>${text}</p></body></html>`)]),
    ),
  });
}

describe.each(dialects)('a Fimfarchive-style bulk import on %s', (dialect) => {
  let h: Harness;
  let dir: string;
  let importerId: number;
  beforeAll(async () => {
    h = await createHarness(dialect, testClock());
    importerId = (await signUp(h.ctx, { username: 'archivist', display_name: '', password: 'long password' }, 'admin')).id;
    dir = mkdtempSync(join(tmpdir(), 'oak-fimfarchive-'));
    mkdirSync(join(dir, 'epub', 'a'), { recursive: true });
    const story = (id: number, title: string, extra: object = {}) =>
      `"${id}": ${JSON.stringify({
        id,
        title,
        author: { name: 'Ada Wren' },
        short_description: `About ${title}.`,
        description_html: '<p>A <b>long</b> description.</p>',
        completion_status: 'complete',
        content_rating: 'teen',
        url: `https://www.fimfiction.net/story/${id}`,
        tags: [
          { name: 'Slice of Life', type: 'genre' },
          { name: 'Twilight Sparkle', type: 'character' },
          { name: 'My Little Pony: Friendship is Magic', type: 'series' },
        ],
        archive: { path: `epub/a/${id}.epub` },
        ...extra,
      })},`;
    for (const id of [1, 2, 3])
      writeFileSync(join(dir, 'epub', 'a', `${id}.epub`), epub(`Story ${id}`, [`First of ${id}.`, `Second of ${id}.`]));
    const lines = [
      '{',
      story(1, 'Lantern Light'),
      // A line of 5 MB, more than any story's metadata: skipped in bounded memory.
      `"99": {"title": "${'x'.repeat(MAX_INDEX_LINE_BYTES + 1024)}"},`,
      story(2, 'Harbour Song'),
      story(4, 'Escape', { archive: { path: '../../etc/passwd' } }),
      story(5, 'Missing', { archive: { path: 'epub/a/5.epub' } }),
      story(3, 'Canal Days'),
      '}',
    ];
    writeFileSync(join(dir, 'index.json'), lines.join('\n'));
  });
  afterAll(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports each story with the index’s metadata, reports what it could not, and skips what it has on a second run', async () => {
    const progress: number[] = [];
    const summary = await importArchive(h.ctx, importerId, dir, {
      publish: true,
      onProgress: (done, total) => progress.push(done / total),
    });
    expect(summary.imported).toBe(3);
    expect(summary.failed.map((f) => f.id)).toEqual(['line 3', '4', '5']);
    expect(summary.failed[1]?.reason).toContain('outside the archive');
    expect(progress.at(-1)).toBe(1);
    const story = await h.ctx.db.selectFrom('stories').selectAll().where('title', '=', 'Harbour Song').executeTakeFirstOrThrow();
    expect(story).toMatchObject({
      original_author: 'Ada Wren',
      rating: 'teen',
      status: 'complete',
      summary: 'About Harbour Song.',
      source_url: 'https://www.fimfiction.net/story/2',
      chapter_count: 2,
    });
    const tags = await h.ctx.db
      .selectFrom('story_tags')
      .innerJoin('tags', 'tags.id', 'story_tags.tag_id')
      .select(['tags.type', 'tags.name'])
      .where('story_tags.story_id', '=', story.id)
      .execute();
    expect(tags.map((t) => `${t.type}:${t.name}`).sort()).toEqual([
      'character:Twilight Sparkle',
      'fandom:My Little Pony: Friendship is Magic',
      'freeform:Slice of Life',
      'warning:Creator Chose Not To Use Archive Warnings',
    ]);
    const again = await importArchive(h.ctx, importerId, dir, { publish: true });
    expect(again).toMatchObject({ imported: 0, skipped: 3 });
    expect((await h.ctx.db.selectFrom('stories').select('id').execute()).length).toBe(3);
  });
});

describe('an archive folder that is not what it seems', () => {
  let h: Harness;
  let dir: string;
  let outside: string;
  let importerId: number;
  beforeAll(async () => {
    h = await createHarness('sqlite', testClock());
    importerId = (await signUp(h.ctx, { username: 'archivist', display_name: '', password: 'long password' }, 'admin')).id;
    dir = mkdtempSync(join(tmpdir(), 'oak-hostile-archive-'));
    outside = mkdtempSync(join(tmpdir(), 'oak-outside-'));
    mkdirSync(join(dir, 'epub'), { recursive: true });
    writeFileSync(join(outside, 'secret.epub'), epub('Not Yours', ['Kept outside the folder.']));
    writeFileSync(join(dir, 'epub', 'good.epub'), epub('Inside', ['A story that belongs here.']));
    symlinkSync(join(outside, 'secret.epub'), join(dir, 'epub', 'link.epub'));
    symlinkSync(outside, join(dir, 'epub', 'elsewhere'));
    symlinkSync('/etc/passwd', join(dir, 'epub', 'passwd.epub'));
    symlinkSync('/dev/zero', join(dir, 'epub', 'zero.epub'));
    execFileSync('mkfifo', [join(dir, 'epub', 'fifo.epub')]);
    const line = (id: number, path: string) => `"${id}": ${JSON.stringify({ id, title: `Story ${id}`, archive: { path } })},`;
    writeFileSync(
      join(dir, 'index.json'),
      [
        '{',
        line(1, 'epub/link.epub'),
        line(2, 'epub/elsewhere/secret.epub'),
        line(3, 'epub/passwd.epub'),
        line(4, 'epub/zero.epub'),
        line(5, 'epub/fifo.epub'),
        // The audit's line: an empty story and a long run of spaces (38 s with the old pattern).
        `"6": {}${' '.repeat(200_000)}`,
        line(7, 'epub/good.epub'),
        '}',
      ].join('\n'),
    );
  });
  afterAll(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it('reads only regular files inside the folder, never hangs, and reads an index line in one pass', async () => {
    const summary = await importArchive(h.ctx, importerId, dir, { publish: true });
    expect(summary.imported).toBe(1);
    const reasons = Object.fromEntries(summary.failed.map((f) => [f.id, f.reason]));
    expect(reasons['1']).toContain('outside the archive folder');
    expect(reasons['2']).toContain('outside the archive folder');
    expect(reasons['3']).toContain('outside the archive folder');
    expect(reasons['4']).toContain('outside the archive folder');
    expect(reasons['5']).toContain('not a regular file');
    expect(reasons['6']).toContain('EPUB path is missing');
    const titles = (await h.ctx.db.selectFrom('stories').select('title').execute()).map((row) => row.title);
    expect(titles).toEqual(['Story 7']);
  });

  it('refuses an index.json that is a link out of the folder', async () => {
    const linked = mkdtempSync(join(tmpdir(), 'oak-linked-index-'));
    symlinkSync(join(dir, 'index.json'), join(linked, 'index.json'));
    try {
      await expect(importArchive(h.ctx, importerId, linked, { publish: true })).rejects.toThrow('index.json cannot be read');
    } finally {
      rmSync(linked, { recursive: true, force: true });
    }
  });
});
