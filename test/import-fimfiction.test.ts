import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from './agent.ts';
import { createHarness, dialects, type Harness, testClock } from './harness.ts';
import { epubOf, importThroughForm } from './import.helpers.ts';

// Fixtures written from the structure FimFiction publishes: the HTML download marks each chapter
// heading with a numbered anchor (`<h1><a name='1'></a>…`, what Fimfarchive's fetcher checks for);
// the text download frames each chapter title in `//---//` rules; the EPUB keeps each chapter in a
// file of its own with the text in #content and the author's note in #authors-note.
const HTML = `<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8" /><title>The Lantern Keeper</title></head><body>
<h1><a href='https://www.fimfiction.net/story/4242/the-lantern-keeper'>The Lantern Keeper</a></h1>
<h2>by <a href='https://www.fimfiction.net/user/77/Quill+Pen'>Quill Pen</a></h2>
<hr/>
<p>A pony keeps the <b>lanterns</b> lit.</p>
<hr/>
<h1><a name='1'></a>First Light</h1>
<p>She climbed the <i>tower</i>.</p><script>alert(1)</script>
<hr/><h3>Author's Note</h3><p>Thanks to my editor.</p>
<h1><a name='2'></a>Second Light</h1>
<p>The storm came.</p>
</body></html>`;

const TXT = `The Lantern Keeper
by Quill Pen

A pony keeps the lanterns lit.

//------------------------------//
// First Light
//------------------------------//

She climbed the tower.
It was *tall*.

# not a heading

//------------------------------//
// Second Light
//------------------------------//

The storm came.
`;

function epub(): Buffer {
  const chapter = (title: string, body: string, note: string, top: boolean) => {
    const noteHtml = `<h1>Author's Note</h1><div id='authors-note'><p>${note}</p></div>`;
    return `<?xml version="1.0" encoding="UTF-8"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>${title}</title></head><body>${top ? `${noteHtml}<hr/>` : ''}<h1>${title}</h1><div id='content'>${body}</div>${top ? '' : `<hr/>${noteHtml}`}</body></html>`;
  };
  return epubOf(
    {
      'Chapter1.html': chapter('First Light', '<p>She climbed the <i>tower</i>.</p>', 'Thanks to my editor.', true),
      'Chapter2.html': chapter('Second Light', '<p>The storm came.</p>', 'More soon.', false),
    },
    '<dc:title>The Lantern Keeper</dc:title><dc:language>en</dc:language><dc:description>A pony keeps the lanterns lit.</dc:description><dc:publisher>Fimfiction</dc:publisher><dc:creator>Quill Pen</dc:creator><dc:source>https://www.fimfiction.net/story/4242/the-lantern-keeper</dc:source>',
    'book.opf',
  );
}

describe.each(dialects)('FimFiction downloads on %s', (dialect) => {
  let h: Harness;
  let importer: Agent;
  beforeAll(async () => {
    h = await createHarness(dialect, testClock());
    importer = await h.login('importer');
  });
  afterAll(() => h.close());

  const imported = (filename: string, contentType: string, bytes: Buffer) => importThroughForm(h, importer, filename, contentType, bytes);

  it('reads the HTML download: title, author, source, description, chapters and the author’s note', async () => {
    const { story, chapters } = await imported('the-lantern-keeper.html', 'text/html', Buffer.from(HTML));
    expect(story).toMatchObject({
      title: 'The Lantern Keeper',
      original_author: 'Quill Pen',
      source_url: 'https://www.fimfiction.net/story/4242',
      summary: 'A pony keeps the lanterns lit.',
      chapter_count: 2,
    });
    expect(story.description_html).toBe('<p>A pony keeps the <strong>lanterns</strong> lit.</p>\n');
    expect(chapters).toEqual([
      {
        title: 'First Light',
        body_html: '<p>She climbed the <em>tower</em>.</p>\n',
        note_before_html: '',
        note_after_html: '<p>Thanks to my editor.</p>\n',
      },
      { title: 'Second Light', body_html: '<p>The storm came.</p>\n', note_before_html: '', note_after_html: '' },
    ]);
  });

  it('reads the text download: chapters between rules, line breaks kept, nothing read as Markdown', async () => {
    const { story, chapters } = await imported('the-lantern-keeper.txt', 'text/plain', Buffer.from(TXT));
    expect(story).toMatchObject({ title: 'The Lantern Keeper', original_author: 'Quill Pen', chapter_count: 2 });
    expect(story.description_html).toBe('<p>A pony keeps the lanterns lit.</p>\n');
    expect(chapters.map((c) => c.title)).toEqual(['First Light', 'Second Light']);
    expect(chapters[0]?.body_html).toBe('<p>She climbed the tower.<br />\nIt was *tall*.</p>\n<p># not a heading</p>\n');
  });

  it('reads FimFiction’s EPUB: each chapter’s title, text, and author’s note above or below', async () => {
    const { story, chapters } = await imported('the-lantern-keeper.epub', 'application/epub+zip', epub());
    expect(story).toMatchObject({
      title: 'The Lantern Keeper',
      original_author: 'Quill Pen',
      summary: 'A pony keeps the lanterns lit.',
      source_url: 'https://www.fimfiction.net/story/4242/the-lantern-keeper',
    });
    expect(chapters).toEqual([
      {
        title: 'First Light',
        body_html: '<p>She climbed the <em>tower</em>.</p>\n',
        note_before_html: '<p>Thanks to my editor.</p>\n',
        note_after_html: '',
      },
      { title: 'Second Light', body_html: '<p>The storm came.</p>\n', note_before_html: '', note_after_html: '<p>More soon.</p>\n' },
    ]);
  });

  it('refuses a FimFiction page without chapters, or with more than a story may have, writing nothing', async () => {
    const before = (await h.ctx.db.selectFrom('stories').select('id').execute()).length;
    const empty = await importer.submit('/import', '/import', {
      file: { filename: 'x.html', contentType: 'text/html', bytes: Buffer.from(HTML.replace(/<p>[^<]*<\/p>|<p>.*?<\/p>/g, '')) },
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('no chapter text');
    const many = `T\nby A\n${'//----------//\n// c\n//----------//\n\nx\n\n'.repeat(1001)}`;
    const refused = await importer.submit('/import', '/import', {
      file: { filename: 'x.txt', contentType: 'text/plain', bytes: Buffer.from(many) },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('more than 1000 chapters');
    expect((await h.ctx.db.selectFrom('stories').select('id').execute()).length).toBe(before);
  });
});
