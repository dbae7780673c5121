import type { Db } from '../../kernel/db/schema.ts';
import { escapeHtml } from '../../kernel/text/escape.ts';
import { toPlainText } from '../../kernel/text/xhtml.ts';
import type { Sink } from './epub.ts';
import { chapterTexts, type StoryHead } from './story-document.ts';

const encoder = new TextEncoder();
const writer = (sink: Sink) => (text: string) => sink.write(encoder.encode(text));

const byline = (head: StoryHead) =>
  head.story.original_author
    ? `${head.story.original_author} (imported by ${head.story.author_display_name})`
    : head.story.author_display_name;

/** One HTML file that reads anywhere: the title page, then every chapter with its notes. Chapter HTML is the stored, sanitised HTML. */
export async function writeHtml(db: Db, head: StoryHead, sink: Sink, url: string) {
  const out = writer(sink);
  const { story } = head;
  out(
    `<!doctype html>\n<html lang="${escapeHtml(story.language)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(story.title)}</title><style>body{font-family:Georgia,serif;line-height:1.6;max-width:38em;margin:2em auto;padding:0 1em}h1,h2{text-align:center}.note{border:1px solid #aaa;border-radius:.3em;padding:.2em 1em;margin:1em 0}@media (prefers-color-scheme:dark){body{background:#111;color:#ddd}a{color:#e0a458}}</style></head><body>\n`,
  );
  out(
    `<h1>${escapeHtml(story.title)}</h1>\n<p style="text-align:center">by ${escapeHtml(byline(head))} · ${escapeHtml(head.rating)} · ${escapeHtml(head.status)}</p>\n`,
  );
  if (story.summary) out(`<p><em>${escapeHtml(story.summary)}</em></p>\n`);
  if (story.description_html) out(`${story.description_html}\n`);
  if (head.tagGroups.length)
    out(
      `<dl>${head.tagGroups.map((g) => `<dt>${escapeHtml(g.label)}</dt><dd>${g.names.map(escapeHtml).join(', ')}</dd>`).join('')}</dl>\n`,
    );
  out(`<p>From Golden Oak: <a href="${escapeHtml(url)}">${escapeHtml(url)}</a></p>\n`);
  for await (const chapter of chapterTexts(db, head)) {
    out(`<hr>\n<h2 id="chapter-${chapter.position}">${escapeHtml(chapter.title)}</h2>\n`);
    if (chapter.note_before_html) out(`<aside class="note">${chapter.note_before_html}</aside>\n`);
    out(`${chapter.body_html}\n`);
    if (chapter.note_after_html) out(`<aside class="note">${chapter.note_after_html}</aside>\n`);
  }
  out('</body></html>\n');
}

function head(head: StoryHead, url: string, heading: (text: string) => string, quote: (text: string) => string) {
  const { story } = head;
  const lines = [heading(story.title), '', `by ${byline(head)}`, `${head.rating} · ${head.status}`, ''];
  if (story.summary) lines.push(quote(story.summary), '');
  if (story.description_source)
    lines.push(story.description_format === 'markdown' ? story.description_source : toPlainText(story.description_html), '');
  for (const group of head.tagGroups) lines.push(`${group.label}: ${group.names.join(', ')}`);
  lines.push('', `From Golden Oak: ${url}`, '');
  return lines.join('\n');
}

/** Plain text: the chapter text without markup, notes marked as such. */
export async function writeText(db: Db, story: StoryHead, sink: Sink, url: string) {
  const out = writer(sink);
  out(
    head(
      story,
      url,
      (t) => `${t}\n${'='.repeat(Math.min(t.length, 72))}`,
      (t) => t,
    ),
  );
  for await (const chapter of chapterTexts(db, story)) {
    out(`\n\n${chapter.title}\n${'-'.repeat(Math.min(chapter.title.length, 72))}\n\n`);
    if (chapter.note_before_html) out(`Author's note: ${toPlainText(chapter.note_before_html)}\n\n`);
    out(`${toPlainText(chapter.body_html)}\n`);
    if (chapter.note_after_html) out(`\nAuthor's note: ${toPlainText(chapter.note_after_html)}\n`);
  }
}

/** Markdown: a chapter written in Markdown as written; others as their text. */
export async function writeMarkdown(db: Db, story: StoryHead, sink: Sink, url: string) {
  const out = writer(sink);
  const quote = (text: string) => `> ${text.replace(/\n/g, '\n> ')}`;
  out(head(story, url, (t) => `# ${t}`, quote));
  for await (const chapter of chapterTexts(db, story)) {
    const text = (source: string, html: string) => (chapter.format === 'markdown' ? source : toPlainText(html));
    out(`\n\n## ${chapter.title}\n\n`);
    if (chapter.note_before_html) out(`${quote(text(chapter.note_before_source, chapter.note_before_html))}\n\n`);
    out(`${text(chapter.body_source, chapter.body_html).trim()}\n`);
    if (chapter.note_after_html) out(`\n${quote(text(chapter.note_after_source, chapter.note_after_html))}\n`);
  }
}
