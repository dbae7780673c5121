import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from './agent.ts';
import { createHarness, dialects, type Harness, testClock } from './harness.ts';
import { epubOf, importThroughForm } from './import.helpers.ts';

/** An AO3 HTML download, written from the structure AO3 publishes (preface, chapters, afterword). */
const AO3_WORK = `<!DOCTYPE html>
<html>
<head><meta charset="UTF-8"/><title>The Long Way Home - Wren - My Little Pony [Archive of Our Own]</title></head>
<body>
<div id="preface">
  <p class="message"><b>The Long Way Home</b><br/>Posted originally on the <a href="http://archiveofourown.org/">Archive of Our Own</a> at <a href="http://archiveofourown.org/works/123456">http://archiveofourown.org/works/123456</a>.</p>
  <div class="meta">
    <dl class="tags">
      <dt>Rating:</dt><dd><a class="tag" href="http://archiveofourown.org/tags/Teen%20And%20Up%20Audiences">Teen And Up Audiences</a></dd>
      <dt>Archive Warning:</dt><dd><a class="tag" href="#">No Archive Warnings Apply</a></dd>
      <dt>Category:</dt><dd><a class="tag" href="#">Gen</a></dd>
      <dt>Fandom:</dt><dd><a class="tag" href="#">My Little Pony: Friendship is Magic</a></dd>
      <dt>Relationship:</dt><dd><a class="tag" href="#">Spike &amp; Twilight Sparkle</a></dd>
      <dt>Characters:</dt><dd><a class="tag" href="#">Spike</a>, <a class="tag" href="#">Twilight Sparkle</a></dd>
      <dt>Additional Tags:</dt><dd><a class="tag" href="#">Found Family</a>, <a class="tag" href="#">Hurt/Comfort</a></dd>
      <dt>Language:</dt><dd>English</dd>
      <dt>Stats:</dt><dd>Published: 2024-01-01 Completed: 2024-02-01 Words: 40 Chapters: 2/2</dd>
    </dl>
    <h1>The Long Way Home</h1>
    <div class="byline">by <a rel="author" href="http://archiveofourown.org/users/Wren/pseuds/Wren">Wren</a></div>
    <p>Summary</p>
    <blockquote class="userstuff"><p>A dragon walks <em>home</em>.</p></blockquote>
    <p>Notes</p>
    <blockquote class="userstuff"><p>Written for a friend.</p></blockquote>
  </div>
</div>
<div id="chapters" class="userstuff">
  <div class="meta group">
    <h2 class="heading">Chapter 1: Leaving</h2>
    <p>Chapter Notes</p>
    <blockquote class="userstuff"><p>The first part.</p></blockquote>
  </div>
  <div class="userstuff"><p>He left at <strong>dawn</strong>.</p><script>alert(1)</script><p>The road was long.</p></div>
  <div class="meta group"><p>Chapter End Notes</p><blockquote class="userstuff"><p>More soon!</p></blockquote></div>
  <div class="meta group"><h2 class="heading">Chapter 2: Arriving</h2></div>
  <div class="userstuff"><p>He came home at dusk.</p></div>
</div>
<div id="afterword">
  <div class="meta group">
    <h2 class="heading">Afterword</h2>
    <div class="endnotes"><p>End Notes</p><blockquote class="userstuff"><p>Thank you for reading.</p></blockquote></div>
  </div>
</div>
</body>
</html>`;

/**
 * AO3's EPUB: calibre's conversion of the same download, split into files at each chapter, each
 * file repeating the #chapters wrapper (as calibre's splitter keeps a split element's ancestors).
 */
function ao3Epub(): Buffer {
  const [head = '', rest = ''] = AO3_WORK.split('<div id="chapters" class="userstuff">');
  const preface = head.slice(head.indexOf('<div id="preface">'));
  const [first = '', second = ''] = rest.split('<div class="meta group"><h2 class="heading">Chapter 2');
  const xhtml = (body: string) =>
    `<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>The Long Way Home</title></head><body>${body}</body></html>`;
  const files = {
    'preface.xhtml': xhtml(preface),
    'split_001.xhtml': xhtml(`<div id="chapters" class="userstuff">${first}</div>`),
    'split_002.xhtml': xhtml(
      `<div id="chapters" class="userstuff"><div class="meta group"><h2 class="heading">Chapter 2${second.replace('</body>\n</html>', '')}`,
    ),
  };
  return epubOf(files, '<dc:title>The Long Way Home</dc:title><dc:creator>Wren</dc:creator>');
}

describe.each(dialects)('AO3 imports on %s', (dialect) => {
  let h: Harness;
  let importer: Agent;
  beforeAll(async () => {
    h = await createHarness(dialect, testClock());
    importer = await h.login('importer');
  });
  afterAll(() => h.close());

  const imported = (filename: string, contentType: string, bytes: Buffer) => importThroughForm(h, importer, filename, contentType, bytes);

  it('maps the preface onto typed tags, rating, language and status, with every chapter, its notes and the end notes', async () => {
    const { story, tags, chapters } = await imported('the-long-way-home.html', 'text/html', Buffer.from(AO3_WORK));
    expect(story).toMatchObject({
      title: 'The Long Way Home',
      original_author: 'Wren',
      source_url: 'https://archiveofourown.org/works/123456',
      rating: 'teen',
      status: 'complete',
      language: 'en',
      summary: 'A dragon walks home.',
      chapter_count: 2,
    });
    expect(story.description_html).toContain('Written for a friend.');
    expect(tags).toEqual([
      'category:Gen',
      'character:Spike',
      'character:Twilight Sparkle',
      'fandom:My Little Pony: Friendship is Magic',
      'freeform:Found Family',
      'freeform:Hurt/Comfort',
      'relationship:Spike & Twilight Sparkle',
      'warning:No Archive Warnings Apply',
    ]);
    expect(chapters.map((c) => c.title)).toEqual(['Leaving', 'Arriving']);
    expect(chapters[0]?.body_html).toBe('<p>He left at <strong>dawn</strong>.</p>\n<p>The road was long.</p>\n');
    expect(chapters[0]?.note_before_html).toContain('The first part.');
    expect(chapters[0]?.note_after_html).toContain('More soon!');
    expect(chapters[1]?.note_after_html).toContain('Thank you for reading.');
    expect(JSON.stringify(chapters)).not.toContain('alert');
  });

  it('reads AO3’s EPUB as it reads the HTML download: the same story, tags, chapters and notes', async () => {
    const fromHtml = await imported('a.html', 'text/html', Buffer.from(AO3_WORK));
    const fromEpub = await imported('a.epub', 'application/epub+zip', ao3Epub());
    const facts = [
      'title',
      'original_author',
      'source_url',
      'rating',
      'status',
      'language',
      'summary',
      'chapter_count',
      'description_html',
    ] as const;
    const pick = (story: typeof fromHtml.story) => Object.fromEntries(facts.map((key) => [key, story[key]]));
    expect(pick(fromEpub.story)).toEqual(pick(fromHtml.story));
    expect(fromEpub.tags).toEqual(fromHtml.tags);
    expect(fromEpub.chapters).toEqual(fromHtml.chapters);
    expect(fromEpub.chapters).toHaveLength(2);
  });

  it('refuses an HTML page that is not an AO3 download, writing nothing', async () => {
    const before = (await h.ctx.db.selectFrom('stories').select('id').execute()).length;
    const page = AO3_WORK.replace('<div id="chapters" class="userstuff">', '<div id="elsewhere">');
    const refused = await importer.submit('/import', '/import', {
      file: { filename: 'x.html', contentType: 'text/html', bytes: Buffer.from(page) },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('no chapter text');
    expect((await h.ctx.db.selectFrom('stories').select('id').execute()).length).toBe(before);
  });
});
