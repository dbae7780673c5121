import { describe, expect, it } from 'vitest';
import { MAX_STORY_PAGE_BYTES, parseStoryPage, StoryPageError } from '../features/import/storypage.parser.ts';
import { bbcodeToHtml, MAX_BBCODE_DEPTH } from './bbcode.ts';
import { markdownNotices, markdownToHtml } from './markdown.ts';
import { plainTextToHtml } from './plain.ts';
import { sanitize } from './sanitize.ts';
import { slugify } from './slug.ts';
import { urlsIn } from './urls.ts';
import { countWords } from './words.ts';

const MB = 1024 * 1024;
/** 2 MB of one adversarial shape (a little less, for files that must fit the 2 MB import limit). */
const twoMb = (unit: string, size = 2 * MB) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
/** Parses a story page cut to the import limit; a refusal is an answer too, as long as it comes quickly. */
function parsePage(text: string) {
  try {
    parseStoryPage(Buffer.from(text.slice(0, MAX_STORY_PAGE_BYTES - 100)));
  } catch (error) {
    if (!(error instanceof StoryPageError)) throw error;
  }
}

/**
 * A linear pass over 2 MB takes tens of milliseconds here; the quadratic versions these replace took
 * minutes to hours. The bound is wide so a busy machine does not fail it, and tight enough to catch n².
 */
const BOUND_MS = 1500;
function timed(run: () => unknown): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

describe('every text path is linear in its input (2 MB adversarial shapes)', () => {
  it.each([
    ['a link followed by dots', () => urlsIn(`https://${twoMb('.')}a`)],
    ['a link of commas and colons', () => urlsIn(`http://x${twoMb(',:;')}b`)],
    ['unclosed angle brackets', () => countWords(twoMb('<'))],
    ['unterminated entities', () => countWords(twoMb('&a'))],
    ['hyphenated runs', () => countWords(twoMb("a-'"))],
    ['a title of dashes and accents', () => slugify(twoMb('-é '))],
    ['plain text of one line', () => plainTextToHtml(twoMb('word '))],
    ['BBCode brackets', () => bbcodeToHtml(twoMb('['))],
    ['BBCode unclosed links', () => bbcodeToHtml(twoMb('[url='))],
    ['BBCode unclosed bold', () => bbcodeToHtml(twoMb('[b]'))],
    ['BBCode stray closers', () => bbcodeToHtml(twoMb('[/quote]'))],
    ['sanitiser on open tags', () => sanitize(twoMb('<a '))],
    ['sanitiser on nested divs', () => sanitize(twoMb('<div>'))],
    ['sanitiser on unclosed nesting', () => sanitize(twoMb('<p><b>'))],
    ['story page of one long line', () => parsePage(`Description\n\nbody\n${'https://'}${twoMb('.')}`)],
    ['story page of note headers', () => parsePage(`body\n${twoMb("Author's notes:\n")}`)],
    ['story page of spaces', () => parsePage(`Description:\nbody${twoMb(' \t')}`)],
    ['story page signed with a long line', () => parsePage(`body\nAuthor's Notes:\nCheers,\n${twoMb('name ')}`)],
    ['Markdown notices on typed tags', () => markdownNotices(twoMb('<a'))],
    ['Markdown notices on images', () => markdownNotices(twoMb('![x]('))],
  ])('%s', (_name, run) => {
    expect(timed(run)).toBeLessThan(BOUND_MS);
  });

  it('Markdown is linear on the shapes that used to hang it (timed at 1 and 2 MB)', () => {
    for (const unit of ['*a', '[', '_a', '`', '|a|\n']) {
      const measure = () => ({ one: timed(() => markdownToHtml(twoMb(unit).slice(0, MB))), two: timed(() => markdownToHtml(twoMb(unit))) });
      // Linear doubles; quadratic quadruples. Small absolute times are noise, so only large ones are compared.
      const holds = ({ one, two }: { one: number; two: number }) => two < Math.max(4 * one, 600);
      // Other test files share the two cores: a pause in one timing is noise, so a miss is timed once more.
      let times = measure();
      if (!holds(times)) {
        const again = measure();
        times = { one: Math.min(times.one, again.one), two: Math.min(times.two, again.two) };
      }
      expect(times.two, unit).toBeLessThan(Math.max(4 * times.one, 600));
    }
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
