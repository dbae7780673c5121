import { describe, expect, it } from 'vitest';
import { AppError } from '../../kernel/errors.ts';
import { htmlToText, searchTokens } from '../../kernel/text/search-text.ts';
import { snippet } from '../../kernel/text/snippet.ts';
import { fts5Query, parseSearch, tsQuery } from './query.ts';

const refused = (q: string) => {
  try {
    parseSearch(q);
  } catch (error) {
    if (error instanceof AppError && error.status === 400) return error.message;
    throw error;
  }
  return null;
};

describe('search tokens', () => {
  it('folds case and accents, and splits on anything but letters and digits', () => {
    expect(searchTokens('Café au LAIT, naïve—résumé 42nd')).toEqual(['cafe', 'au', 'lait', 'naive', 'resume', '42nd']);
    expect(searchTokens("don't")).toEqual(['don', 't']);
  });
  it('cuts Chinese and Japanese runs into words, keeping Latin words beside them whole', () => {
    const japanese = searchTokens('吾輩は猫である');
    expect(japanese).toContain('猫');
    // Every character is kept (voicing marks fold away like accents: で is found as て).
    expect(japanese.join('')).toBe('吾輩は猫てある');
    expect(searchTokens('我喜欢Twilight的书')).toEqual(expect.arrayContaining(['twilight', '喜欢']));
  });
  it('turns stored HTML into the words a reader sees', () => {
    expect(htmlToText('<p>Fish &amp; chips&#33; <em>really</em>&nbsp;good &unknown;</p>')).toBe(' Fish & chips!  really  good &unknown; ');
  });
  it('is linear on hostile text', () => {
    const hostile = `${'<'.repeat(500_000)}${'a'.repeat(500_000)}${'漢'.repeat(300_000)}${'&#'.repeat(300_000)}`;
    const started = performance.now();
    htmlToText(hostile);
    searchTokens(hostile);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});

describe('search query parser', () => {
  it('reads words, phrases, exclusions and OR', () => {
    const q = parseSearch('dragon "the last  Library" -death -"bad end" tea OR coffee');
    expect(q.groups).toEqual([[['dragon']], [['the', 'last', 'library']], [['tea'], ['coffee']]]);
    expect(q.excluded).toEqual([['death'], ['bad', 'end']]);
    expect(fts5Query(q.groups)).toBe('("dragon") AND ("the last library") AND ("tea" OR "coffee")');
    expect(tsQuery(q.groups)).toBe("('dragon') & ('the' <-> 'last' <-> 'library') & ('tea' | 'coffee')");
  });
  it('reads the field operators into filters', () => {
    const q = parseSearch('author:Keeper tag:"Slice of Life" -tag:angst words>5000 words<=20000 updated<2w sort:words lantern');
    expect(q).toMatchObject({
      authors: ['keeper'],
      tags: ['slice of life'],
      excludedTags: ['angst'],
      wordsFrom: 5001,
      wordsTo: 20000,
      updatedWithinDays: 14,
      sort: 'words',
    });
    expect(parseSearch('tag:angst').groups).toEqual([]);
  });
  it('treats FTS and SQL syntax as words, and an unclosed quote as closed', () => {
    expect(parseSearch('NEAR(a b) title:x* "; drop table stories; --').groups).toEqual([
      [['near', 'a']],
      [['b']],
      [['title', 'x']],
      [['drop', 'table', 'stories']],
    ]);
    expect(fts5Query(parseSearch('"a" "b').groups)).toBe('("a") AND ("b")');
  });
  it('says what is wrong with a query it cannot use', () => {
    expect(refused('')).toBe('Type a word to search for.');
    expect(refused('OR OR - " "')).toBe('Type a word to search for.');
    expect(refused('-death')).toContain('cannot only leave words out');
    expect(refused(Array.from({ length: 10_000 }, (_, i) => `w${i}`).join(' '))).toContain('at most 1000 characters');
    expect(refused(Array.from({ length: 40 }, (_, i) => `w${i}`).join(' '))).toBe('Search for at most 32 words at a time.');
    expect(refused('sort:hugs x')).toContain('sort: can be');
    expect(refused('words>lots')).toContain('needs a whole number');
    expect(refused('updated<soon')).toContain('updated<30d');
    expect(refused('author<5 x')).toContain('not something a search can compare');
  });
});

describe('snippets', () => {
  it('marks the matching words in an escaped passage around the first match', () => {
    const text = `${'Lorem ipsum dolor sit amet. '.repeat(20)}The <dragon> slept by the Dragon's hoard. ${'Tail words here. '.repeat(20)}`;
    const found = snippet(text, new Set(['dragon']));
    expect(found?.word).toBe('dragon');
    expect(found?.html).toContain('The &lt;<mark>dragon</mark>&gt; slept by the <mark>Dragon</mark>&#39;s hoard.');
    expect(found?.html.startsWith('…')).toBe(true);
    expect(snippet(text, new Set(['wyvern']))).toBeNull();
  });
});
