import { describe, expect, it } from 'vitest';
import { fixtureProseLines, storyPageFixture } from '../../../../test/fixtures.ts';
import { parseStoryPage, StoryPageError } from './storypage.parser.ts';

describe('parsing a FimFiction story page', () => {
  const page = parseStoryPage(storyPageFixture());

  it('takes the Description section as the description, without the artwork lines', () => {
    expect(page.description).toBe('Twilight never saw Spike again. Their goodbyes had been said.\nBut Twilight knew he kept his promise.');
  });

  it('turns the artwork lines into the cover credit', () => {
    expect(page.cover).toEqual({
      artistName: 'erosplosion',
      artistUrl: 'http://erosplosion.deviantart.com/',
      sourceUrl: 'http://erosplosion.deviantart.com/art/Goodbye-395005722',
    });
  });

  it('keeps every paragraph of the prose, in order, one per line', () => {
    const expected = fixtureProseLines();
    expect(expected.length).toBeGreaterThan(20);
    expect(page.body.split('\n')).toEqual(expected);
    expect(page.body.startsWith('I could not bear to watch my own assistant')).toBe(true);
    expect(page.body.endsWith('"My number one assistant."')).toBe(true);
  });

  it("keeps the author's notes, sign-off included, as the note after, and takes the signature for the author", () => {
    expect(page.signature).toBe('Enthereta Buzzpone');
    expect(page.noteAfter.split('\n')).toEqual([
      'Well, this is one I came up with after seeing a great piece of art by erosplosion on DA. I guess I liked how the story came out. Tell me what you guys think of it in the comments!',
      'Stay cool,',
      'Enthereta Buzzpone',
    ]);
  });

  it('reads Windows line endings and a byte-order mark the same way', () => {
    const windows = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(storyPageFixture().toString('utf8').replace(/\n/g, '\r\n')),
    ]);
    expect(parseStoryPage(windows)).toEqual(page);
  });

  it('treats a page without a Description heading as all story, and notes as optional', () => {
    const plain = parseStoryPage(Buffer.from('First line.\nSecond line.\n'));
    expect(plain).toEqual({ description: '', cover: null, body: 'First line.\nSecond line.', noteAfter: '', signature: '' });
  });

  it('takes the name a note is signed with after a closing line, and nothing that is not a name', () => {
    const signed = (note: string) => parseStoryPage(Buffer.from(`Text.\nAuthor's Notes:\n${note}`)).signature;
    expect(signed('Thanks for reading!\nStay cool,\nEnthereta Buzzpone\n ')).toBe('Enthereta Buzzpone');
    expect(signed('Cheers,\n— Ada Wren')).toBe('Ada Wren');
    expect(signed('Thanks for reading!\nSee you next time.')).toBe('');
    expect(signed('So,\nthis is where the story ends for now.')).toBe('');
    expect(signed('Art by,\nhttps://example.org/artist')).toBe('');
    expect(signed('Yours,\nA name far too long to be anyone’s signature, surely, at all')).toBe('');
  });

  it('finds the chapter after a description with no artwork links by the blank line', () => {
    const parsed = parseStoryPage(Buffer.from('Description\n\nA short blurb.\n\nThe story starts here.\nAnd goes on.\n'));
    expect(parsed.description).toBe('A short blurb.');
    expect(parsed.body).toBe('The story starts here.\nAnd goes on.');
  });

  it.each([
    ['empty', Buffer.alloc(0), 'The file is empty.'],
    ['only whitespace', Buffer.from(' \n\t\n'), 'The file is empty.'],
    ['binary', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), 'The file looks binary'],
    ['not UTF-8', Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]), 'not UTF-8 text'],
    ['huge', Buffer.alloc(3 * 1024 * 1024, 'a'), 'too large'],
    ['without a body', Buffer.from("Description\n\nJust a blurb.\n\nAuthor's Notes:\nThanks!"), 'No story text'],
  ])('refuses a file that is %s', (_name, input, message) => {
    expect(() => parseStoryPage(input)).toThrow(StoryPageError);
    expect(() => parseStoryPage(input)).toThrow(message);
  });
});
