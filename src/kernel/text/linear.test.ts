import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { bbcodeToHtml, MAX_BBCODE_DEPTH } from './bbcode.ts';
import { EpubError, parseEpub } from './books/epub.parser.ts';
import { parseFimfictionHtml, parseFimfictionTxt } from './books/fimfiction.parser.ts';
import { MAX_STORY_PAGE_BYTES, parseStoryPage, StoryPageError } from './books/storypage.parser.ts';
import { htmlToMarkdown } from './html-markdown.ts';
import { markdownNotices, markdownToHtml } from './markdown.ts';
import { plainTextToHtml } from './plain.ts';
import { sanitize } from './sanitize.ts';
import { slugify } from './slug.ts';
import { urlsIn } from './urls.ts';
import { countWords } from './words.ts';

const MB = 1024 * 1024;
/** 2 MB of one adversarial shape (a little less, for files that must fit the 2 MB import limit). */
const fill = (unit: string, size: number) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
/** Parses a story page cut to the import limit; a refusal is an answer too, as long as it comes quickly. */
function parsePage(text: string) {
  try {
    parseStoryPage(Buffer.from(text.slice(0, MAX_STORY_PAGE_BYTES - 100)));
  } catch (error) {
    if (!(error instanceof StoryPageError)) throw error;
  }
}

/** A FimFiction download parsed; refusing it is an answer too. */
function parseFimfiction(parse: (text: string) => unknown, text: string) {
  try {
    parse(text);
  } catch (error) {
    if (!(error instanceof EpubError)) throw error;
  }
}
const FIMFICTION_HEAD = '<h1><a href="https://www.fimfiction.net/story/1/x">T</a></h1>';

/**
 * A linear pass over 2 MB takes tens to hundreds of milliseconds here; the quadratic versions these
 * replace took minutes to hours. A fast answer passes at once. A slow one may be a busy machine (other
 * test files share the two cores), so it is timed again at 1 and 2 MB: linear roughly doubles,
 * quadratic quadruples, and a miss is timed again so a single pause does not decide.
 */
const FAST_MS = 1500;
function timed(run: () => unknown): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}
function expectLinear(time: (size: number) => number) {
  let two = time(2 * MB);
  if (two < FAST_MS) return;
  let one = time(MB);
  if (two >= 3 * one) {
    one = Math.min(one, time(MB));
    two = Math.min(two, time(2 * MB));
  }
  expect(two).toBeLessThan(3 * one);
  expect(two).toBeLessThan(10 * FAST_MS);
}

describe('every text path is linear in its input (2 MB adversarial shapes)', () => {
  it.each([
    ['a link followed by dots', (n: number) => urlsIn(`https://${fill('.', n)}a`)],
    ['a link of commas and colons', (n: number) => urlsIn(`http://x${fill(',:;', n)}b`)],
    ['unclosed angle brackets', (n: number) => countWords(fill('<', n))],
    ['unterminated entities', (n: number) => countWords(fill('&a', n))],
    ['hyphenated runs', (n: number) => countWords(fill("a-'", n))],
    ['a title of dashes and accents', (n: number) => slugify(fill('-é ', n))],
    ['plain text of one line', (n: number) => plainTextToHtml(fill('word ', n))],
    ['BBCode brackets', (n: number) => bbcodeToHtml(fill('[', n))],
    ['BBCode unclosed links', (n: number) => bbcodeToHtml(fill('[url=', n))],
    ['BBCode unclosed bold', (n: number) => bbcodeToHtml(fill('[b]', n))],
    ['BBCode stray closers', (n: number) => bbcodeToHtml(fill('[/quote]', n))],
    ['sanitiser on open tags', (n: number) => sanitize(fill('<a ', n))],
    ['sanitiser on nested divs', (n: number) => sanitize(fill('<div>', n))],
    ['sanitiser on unclosed nesting', (n: number) => sanitize(fill('<p><b>', n))],
    ['story page of one long line', (n: number) => parsePage(`Description\n\nbody\n${'https://'}${fill('.', n)}`)],
    ['story page of note headers', (n: number) => parsePage(`body\n${fill("Author's notes:\n", n)}`)],
    ['story page of spaces', (n: number) => parsePage(`Description:\nbody${fill(' \t', n)}`)],
    ['story page signed with a long line', (n: number) => parsePage(`body\nAuthor's Notes:\nCheers,\n${fill('name ', n)}`)],
    ['Markdown notices on typed tags', (n: number) => markdownNotices(fill('<a', n))],
    ['Markdown notices on images', (n: number) => markdownNotices(fill('![x](', n))],
    ['FimFiction text of rules and titles', (n: number) => parseFimfiction(parseFimfictionTxt, fill('//----------//\n// t\n', n))],
    [
      'FimFiction text of blank lines',
      (n: number) => parseFimfiction(parseFimfictionTxt, `T\n//----------//\n// a\n//----------//\n${fill('x\n\n', n)}`),
    ],
    [
      'FimFiction HTML of chapters',
      (n: number) => parseFimfiction(parseFimfictionHtml, FIMFICTION_HEAD + fill("<h1><a name='1'></a>x</h1><p>y</p>", n)),
    ],
    [
      'FimFiction HTML of unclosed headings',
      (n: number) => parseFimfiction(parseFimfictionHtml, FIMFICTION_HEAD + fill("<h1><a name='1'>", n)),
    ],
    [
      'FimFiction HTML of notes',
      (n: number) =>
        parseFimfiction(parseFimfictionHtml, `${FIMFICTION_HEAD}<h1><a name='1'></a>x</h1>${fill("<h3>Author's Note</h3><p>n</p>", n)}`),
    ],
  ])('%s', (_name, run) => {
    expectLinear((size) => timed(() => run(size)));
  });

  it.each(['*a', '[', '_a', '`', '|a|\n'])('Markdown on %j, the shapes that used to hang it', (unit) => {
    expectLinear((size) => timed(() => markdownToHtml(fill(unit, size))));
  });
});

describe('deep nesting is flattened, never a stack overflow', () => {
  it('drops HTML nested deeper than a hundred elements before the sanitiser parses it', () => {
    const html = sanitize(`${'<blockquote>'.repeat(5000)}deep${'</blockquote>'.repeat(5000)}`);
    expect(html).toContain('deep');
    expect(html.split('<blockquote>').length - 1).toBe(100);
    expect(html.split('</blockquote>').length - 1).toBe(100);
  });

  it.each([
    ['quotes', '[quote]', '[/quote]', 20_000, '<blockquote>'],
    ['bold', '[b]', '[/b]', 50_000, '<strong>'],
  ])('%s nested %#', (_name, open, close, depth, element) => {
    const html = bbcodeToHtml(`${open.repeat(depth)}deep${close.repeat(depth)}`);
    expect(html).toContain('deep');
    expect(html.split(element).length - 1).toBeLessThanOrEqual(MAX_BBCODE_DEPTH);
    // What is too deep stays visible as typed.
    expect(html).toContain(open);
  });
});

describe('imported books are read in time linear in their size', () => {
  it.each([
    ['HTML to Markdown on unclosed emphasis', (n: number) => htmlToMarkdown(fill('<em>a', n))],
    ['HTML to Markdown on unclosed quotes', (n: number) => htmlToMarkdown(fill('<blockquote>', n))],
    ['HTML to Markdown on many paragraphs', (n: number) => htmlToMarkdown(fill('<p>a *b* [c]</p>', n))],
    ['an EPUB chapter of nested sections', (n: number) => parseEpubOf(fill('<section><div>', n))],
    ['an EPUB chapter of paragraphs', (n: number) => parseEpubOf(fill('<p>word</p>', n))],
  ])('%s', (_name, run) => {
    expectLinear((size) => timed(() => run(size)));
  });
});

/** An EPUB whose one chapter is `body`. */
function parseEpubOf(body: string) {
  try {
    parseEpub(
      zipSync({
        mimetype: strToU8('application/epub+zip'),
        'META-INF/container.xml': strToU8('<container><rootfiles><rootfile full-path="c.opf"/></rootfiles></container>'),
        'c.opf': strToU8(
          '<package><metadata><dc:title>T</dc:title></metadata><manifest><item id="a" href="a.xhtml" media-type="application/xhtml+xml"/></manifest><spine><itemref idref="a"/></spine></package>',
        ),
        'a.xhtml': strToU8(`<html><body>${body}</body></html>`),
      }),
    );
  } catch (error) {
    if (!(error instanceof EpubError)) throw error;
  }
}
