import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from '../../../test/agent.ts';
import { fixtureProseLines, storyPageFixture } from '../../../test/fixtures.ts';
import { createHarness, dialects, type Harness } from '../../../test/harness.ts';

describe.each(dialects)('importing a story page on %s', (dialect) => {
  let h: Harness;
  let author: Agent;
  beforeAll(async () => {
    h = await createHarness(dialect);
    author = await h.login('importer');
  });
  afterAll(() => h.close());

  const upload = (bytes: Buffer, fields: Record<string, string> = {}, filename = 'fimfiction-story-page.txt') =>
    author.submit('/import', '/import', { ...fields, file: { filename, contentType: 'text/plain', bytes } });
  const rows = async () => ({
    stories: (await h.ctx.db.selectFrom('stories').select('id').execute()).length,
    chapters: (await h.ctx.db.selectFrom('chapters').select('id').execute()).length,
  });

  it('keeps everything: description, cover credit, every paragraph, and the note after', async () => {
    const response = await upload(storyPageFixture(), { title: 'Goodbye', publish: 'on' });
    expect(response.statusCode).toBe(303);
    const storyUrl = response.headers.location as string;

    // Imports are "Not rated" until the importer chooses: a visitor passes the adult-content notice first.
    const reader = h.agent();
    await reader.get('/adult-content');
    const storyPage = (await reader.get(storyUrl)).body;
    expect(storyPage).toContain('<h1>Goodbye</h1>');
    expect(storyPage).toContain('<p>Twilight never saw Spike again. Their goodbyes had been said.</p>');
    expect(storyPage).toContain('<p>But Twilight knew he kept his promise.</p>');
    expect(storyPage).toContain('<a href="http://erosplosion.deviantart.com/" rel="nofollow ugc noopener noreferrer">erosplosion</a>');
    expect(storyPage).toContain(
      '<a href="http://erosplosion.deviantart.com/art/Goodbye-395005722" rel="nofollow ugc noopener noreferrer">original artwork</a>',
    );

    const chapterUrl = /href="(\/stories\/\d+-[^/]*\/chapters\/\d+-[^/"]*)">Start reading/.exec(storyPage)?.[1] ?? '';
    const chapter = (await reader.get(chapterUrl)).body;
    const text = chapter.slice(chapter.indexOf('chapter-text'), chapter.indexOf('note-after'));
    const paragraphs = [...text.matchAll(/<p>(.*?)<\/p>/g)].map((m) => m[1]);
    expect(paragraphs).toHaveLength(fixtureProseLines().length);
    expect(paragraphs[0]).toContain('I could not bear to watch my own assistant');
    expect(paragraphs.at(-1)).toBe('"My number one assistant."');
    const note = chapter.slice(chapter.indexOf('note-after'));
    expect(note).toContain('Tell me what you guys think of it in the comments!');
    expect(note).toContain('<p>Stay cool,</p>');
    expect(note).toContain('<p>Enthereta Buzzpone</p>');
    expect(chapter.indexOf('note-after')).toBeGreaterThan(chapter.indexOf('My number one assistant'));
  });

  it('takes the title from the file name when none is given, and keeps drafts private', async () => {
    const response = await upload(storyPageFixture());
    const storyUrl = response.headers.location as string;
    expect((await author.get(storyUrl)).body).toContain('<h1>Fimfiction story page</h1>');
    expect((await h.agent().get(storyUrl)).statusCode).toBe(404);
  });

  it.each([
    ['empty', Buffer.alloc(0), 'The file is empty.'],
    ['binary', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3, 0xff, 0xfe]), 'looks binary'],
    ['not UTF-8 text', Buffer.from('caf\xe9 au lait\n', 'latin1'), 'not UTF-8 text'],
    ['without a body', Buffer.from('Description\n\nOnly a blurb.\n'), 'No story text was found'],
  ])('refuses a file that is %s, clearly, writing nothing', async (_name, bytes, message) => {
    const before = await rows();
    const response = await upload(bytes, { title: 'Should not exist' });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain(message);
    expect(response.body).toContain('value="Should not exist"');
    expect(await rows()).toEqual(before);
  });

  it('refuses a file over the limit before reading it, writing nothing', async () => {
    const before = await rows();
    const response = await upload(Buffer.alloc(17 * 1024 * 1024, 'word '), { title: 'Should not exist' });
    expect(response.statusCode).toBe(413);
    expect(response.body).toContain('This form may send at most 16 MB');
    // A story page over its own 2 MB limit is read (an EPUB may be larger) and refused in the parser's words.
    const page = await upload(Buffer.alloc(3 * 1024 * 1024, 'word '), { title: 'Should not exist' });
    expect(page.statusCode).toBe(400);
    expect(page.body).toMatch(/too large|at most 2 MB/);
    expect(await rows()).toEqual(before);
  });

  it('requires a file and a signed-in author', async () => {
    const none = await author.submit('/import', '/import', { title: 'x' });
    expect(none.statusCode).toBe(400);
    // One error, said once: a summary linking to the file field, and the same words beside the field.
    const message = 'Choose the story page to import: a .txt file saved from the story’s page.';
    expect(none.body).toContain(
      `<p class="error-summary-title">One thing needs fixing before this can be saved:</p><ul><li><a href="#file">${message}</a></li></ul>`,
    );
    expect(none.body.split(message)).toHaveLength(3);
    expect((await h.agent().get('/import')).statusCode).toBe(303);
  });
});
