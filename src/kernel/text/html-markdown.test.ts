import { describe, expect, it } from 'vitest';
import { htmlToMarkdown } from './html-markdown.ts';
import { markdownToHtml } from './markdown.ts';

describe('HTML to Markdown for imports', () => {
  it('keeps paragraphs, emphasis, links, quotes, lists, headings and rules', () => {
    const html =
      '<h2>Part One</h2><p>She <em>waited</em> by the <strong>door</strong>, <s>once</s>.<br/>Then again.</p><blockquote><p>Come home.</p></blockquote><hr/><ul><li>one</li><li>two</li></ul><p><a href="https://example.org/a b">a link</a> and <a href="javascript:alert(1)">no link</a></p>';
    expect(htmlToMarkdown(html)).toBe(
      '## Part One\n\nShe *waited* by the **door**, ~~once~~.\\\nThen again.\n\n> Come home.\n\n* * *\n\n- one\n- two\n\n[a link](<https://example.org/a%20b>) and no link',
    );
  });

  it('escapes what Markdown would read as syntax, so the text comes back as written', () => {
    const html = '<p>2 * 3 = 6 and [not a link](x) and_snake_case</p><p># not a heading</p><p>- not a list</p><p>&lt;b&gt; stays text</p>';
    const markdown = htmlToMarkdown(html);
    expect(markdownToHtml(markdown)).toBe(
      '<p>2 * 3 = 6 and [not a link](x) and_snake_case</p>\n<p># not a heading</p>\n<p>- not a list</p>\n<p>&lt;b&gt; stays text</p>\n',
    );
  });

  it('round-trips Markdown through its HTML', () => {
    const source = 'It was a *cold* morning.\n\nShe waited & watched, **alone**.\n\n> A letter came.';
    expect(markdownToHtml(htmlToMarkdown(markdownToHtml(source)))).toBe(markdownToHtml(source));
  });

  it('drops scripts and styles, and is linear on deep or long input', () => {
    expect(htmlToMarkdown('<p>a<script>alert(1)</script><style>p{}</style>b</p>')).toBe('ab');
    const deep = `${'<em>'.repeat(20_000)}x${'</em>'.repeat(20_000)}`;
    const started = performance.now();
    expect(htmlToMarkdown(deep)).toContain('x');
    htmlToMarkdown('<p>word </p>'.repeat(200_000));
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
