import { describe, expect, it } from 'vitest';
import { colorClass, sizeClass } from './bbcode-styles.ts';
import { cleanStrings, cleanText } from './clean.ts';
import { renderUserText } from './render.ts';
import { safeHttpUrl, urlsIn } from './urls.ts';
import { countWords } from './words.ts';

describe('BBCode', () => {
  const bb = (source: string) => renderUserText(source, 'bbcode');

  it('makes each line a paragraph, like FimFiction', () => {
    expect(bb('One.\nTwo.\n\nThree.')).toBe('<p>One.</p>\n<p>Two.</p>\n<p>Three.</p>');
  });

  it('accepts upper-case tags and nests them', () => {
    expect(bb('[B]bold [i]both[/i][/B]')).toBe('<p><strong>bold <em>both</em></strong></p>');
  });

  it('shows unknown and unclosed tags as typed instead of eating the text', () => {
    expect(bb('[foo]bar[/foo] and [b]open')).toBe('<p>[foo]bar[/foo] and [b]open</p>');
  });

  it('links only http(s) addresses', () => {
    expect(bb('[url=javascript:alert(1)]x[/url]')).toBe('<p>x</p>');
    expect(bb('[url]data:text/html,hi[/url]')).toBe('<p>data:text/html,hi</p>');
    expect(bb('[url=https://a.example/?q=1&r=2]ok[/url]')).toBe(
      '<p><a href="https://a.example/?q=1&amp;r=2" rel="nofollow ugc noopener noreferrer">ok</a></p>',
    );
  });

  it('escapes HTML typed inside BBCode, attributes included', () => {
    const html = bb('<script>alert(1)</script>[color="><img src=x onerror=alert(1)>]x[/color][size=1" onmouseover="x]y[/size]');
    expect(html).not.toMatch(/<script|<img|onerror=|onmouseover=/);
  });

  it('maps sizes and colours to classes, never inline styles', () => {
    expect(sizeClass('2em')).toBe('bb-size-xl');
    expect(sizeClass('150%')).toBe('bb-size-l');
    expect(sizeClass('0.7em')).toBe('bb-size-s');
    expect(sizeClass('1em')).toBeNull();
    expect(sizeClass('huge')).toBeNull();
    expect(colorClass('#00f')).toBe('bb-color-blue');
    expect(colorClass('#2e8b57')).toBe('bb-color-green');
    expect(colorClass('Crimson')).toBe('bb-color-red');
    expect(colorClass('#777777')).toBe('bb-color-gray');
    expect(colorClass('expression(alert(1))')).toBeNull();
    expect(bb('[color=red]r[/color]')).not.toContain('style=');
  });
});

describe('Markdown', () => {
  const md = (source: string) => renderUserText(source, 'markdown');

  it('renders prose and keeps the one h1 for the page title', () => {
    expect(md('# Part One\n\nSome *emphasis*.')).toBe('<h2>Part One</h2>\n<p>Some <em>emphasis</em>.</p>\n');
  });

  it('shows raw HTML as text and drops unsafe links', () => {
    const html = md('<img src=x onerror=alert(1)> [x](javascript:alert(1)) [y](vbscript:z) <a href="javascript:1">a</a>');
    expect(html).not.toMatch(/<img|<a href="javascript|href="vbscript|<a href="javascript:1"/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('adds rel="nofollow ugc" to every link', () => {
    expect(md('<https://example.org>')).toContain('rel="nofollow ugc noopener noreferrer"');
  });
});

describe('plain text', () => {
  it('escapes everything and keeps lines as paragraphs', () => {
    expect(renderUserText('a < b & "c"\n\n  d  ', 'text')).toBe('<p>a &lt; b &amp; "c"</p>\n<p>d</p>');
  });

  it('renders empty input as nothing', () => {
    expect(renderUserText('  \n ', 'markdown')).toBe('');
  });
});

describe('word counts', () => {
  it.each([
    ['<p>One two three.</p>', 3],
    ["<p>Don't stop-me now, it's 2 o&#39;clock</p>", 6],
    ['<p>Ça va? Très bien — merci.</p>', 5],
    ['<p><strong>Bold</strong><em>join</em></p>', 2],
    ['', 0],
  ])('%s has %i words', (html, words) => {
    expect(countWords(html)).toBe(words);
  });
});

describe('URLs', () => {
  it('accepts only absolute http(s) URLs', () => {
    expect(safeHttpUrl('https://example.org/a b')).toBe('https://example.org/a%20b');
    expect(safeHttpUrl('javascript:alert(1)')).toBeNull();
    expect(safeHttpUrl('//example.org')).toBeNull();
    expect(safeHttpUrl('http://')).toBeNull();
  });

  it('finds links in a line of prose, without trailing punctuation', () => {
    expect(urlsIn('see http://a.example/x, and https://b.example.')).toEqual(['http://a.example/x', 'https://b.example/']);
  });
});

describe('the one rule for kept text', () => {
  it('drops every character XML 1.0 forbids, and nothing else, from every code unit', () => {
    const all = Array.from({ length: 0x10000 }, (_, code) => String.fromCharCode(code))
      .filter((ch) => !/[\uD800-\uDFFF]/.test(ch))
      .join('');
    const kept = cleanText(all);
    // The XML 1.0 Char production, for the Basic Multilingual Plane.
    const xmlChar = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD]*$/;
    expect(xmlChar.test(kept)).toBe(true);
    expect(all.length - kept.length).toBe(29 + 2);
    expect(cleanText(kept)).toBe(kept);
    expect(cleanText('a😀b')).toBe('a😀b');
  });

  it('cleans the strings of a parsed value at any depth and leaves the rest as it was', () => {
    expect(cleanStrings({ a: 'x\u0000y', list: ['\u0001', 2, { b: 'c\uFFFF' }], on: true, none: null })).toEqual({
      a: 'xy',
      list: ['', 2, { b: 'c' }],
      on: true,
      none: null,
    });
  });
});
