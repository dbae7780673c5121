import { parseDocument } from 'htmlparser2';
import { limitNesting } from '../html-depth.ts';
import { htmlToMarkdown, plainTextToMarkdown } from '../html-markdown.ts';
import {
  EpubError,
  elements,
  emptyBook,
  type ImportedBook,
  type ImportedChapter,
  inner,
  MAX_DEPTH,
  type Node,
  textOf,
} from './epub.parser.ts';

const STORY_LINK = /^https?:\/\/(www\.)?fimfiction\.net\/story\/\d+/;
const AUTHORS_NOTE = /^\s*author['’]?s['’]? note:?\s*$/i;
/** As many chapters as a story may have (import.service's limit): a longer file is refused before its text is converted. */
const MAX_CHAPTERS = 1000;
const TOO_MANY = `That story has more than ${MAX_CHAPTERS} chapters.`;
const clean = (text: string) => text.replace(/\s+/g, ' ').trim();

/** FimFiction's HTML download marks each chapter's heading with a numbered anchor, the first `<a name='1'>`. */
export const isFimfictionHtml = (html: string) =>
  (html.includes("<a name='1'></a>") || html.includes('<a name="1"></a>')) && /fimfiction\.net/i.test(html.slice(0, 100_000));

const isChapterHeading = (node: Node) =>
  node.type === 'tag' &&
  /^h[1-3]$/.test(node.name ?? '') &&
  elements(node, (el) => el.name === 'a' && /^\d+$/.test(el.attribs.name ?? '')).length > 0;

/**
 * Splits a run of chapter content into text and author's notes: a note is a heading "Author's Note"
 * with what follows it up to the next heading, or an element whose id or class says authors-note;
 * one before the first text is the note before, one after it the note after.
 */
function chapterOf(title: string, nodes: Node[]): ImportedChapter {
  const text: Node[] = [];
  const before: Node[] = [];
  const after: Node[] = [];
  let inNote = false;
  let hasText = false;
  for (const node of nodes) {
    const marked = /authors?-note/.test(`${node.attribs?.id ?? ''} ${node.attribs?.class ?? ''}`);
    if (node.type === 'tag' && /^h[1-6]$/.test(node.name ?? '')) {
      inNote = AUTHORS_NOTE.test(textOf(node));
      if (inNote) continue;
    }
    // A rule ends a note; FimFiction's books keep the text in #content.
    if (node.type === 'tag' && node.name === 'hr') {
      inNote = false;
      continue;
    }
    if (node.attribs?.id === 'content') {
      inNote = false;
      text.push(...(node.children ?? []));
      hasText ||= clean(textOf(node)) !== '';
      continue;
    }
    if (inNote || marked) (hasText ? after : before).push(node);
    else {
      text.push(node);
      hasText ||= clean(textOf(node)) !== '';
    }
  }
  const markdown = (list: Node[]) => (list.length ? htmlToMarkdown(inner({ type: 'root', children: list })) : '');
  return { title: clean(title).slice(0, 200) || 'Chapter', body: markdown(text), noteBefore: markdown(before), noteAfter: markdown(after) };
}

/**
 * Reads FimFiction's HTML download: the story's title (linking to the story on FimFiction) and
 * "by" its author, the description before the first chapter, then each chapter under its
 * numbered heading, with the author's notes set apart.
 */
export function parseFimfictionHtml(html: string): ImportedBook {
  const document = parseDocument(limitNesting(html, MAX_DEPTH)) as unknown as Node;
  const book = emptyBook();
  const headings = elements(document, (el) => isChapterHeading(el as unknown as Node)) as unknown as Node[];
  if (headings.length === 0) throw new EpubError('That FimFiction page has no chapters.');
  if (headings.length > MAX_CHAPTERS) throw new EpubError(TOO_MANY);
  const storyLink = elements(document, (el) => el.name === 'a' && STORY_LINK.test(el.attribs.href ?? ''))[0] as unknown as Node | undefined;
  const authorLink = elements(document, (el) => el.name === 'a' && /fimfiction\.net\/user\//.test(el.attribs.href ?? ''))[0] as unknown as
    | Node
    | undefined;
  book.title = clean(textOf(storyLink)) || clean(textOf(elements(document, (el) => el.name === 'title')[0] as unknown as Node));
  book.author = clean(textOf(authorLink));
  book.sourceUrl = storyLink?.attribs?.href?.match(STORY_LINK)?.[0]?.replace(/^http:/, 'https:') ?? '';
  // Each node's parent and place among its siblings, found once (no indexOf per chapter).
  const parentOf = new Map<Node, Node>();
  const placeOf = new Map<Node, number>();
  const stack: Node[] = [document];
  while (stack.length) {
    const node = stack.pop() as Node;
    (node.children ?? []).forEach((child, i) => {
      parentOf.set(child, node);
      placeOf.set(child, i);
      stack.push(child);
    });
  }
  // The description: what stands between the byline and the first chapter, beside the first heading.
  const first = headings[0] as Node;
  const siblings = parentOf.get(first)?.children ?? [];
  const holds = (node: Node, link: Node | undefined) =>
    link !== undefined && (node === link || elements(node, (el) => (el as unknown as Node) === link).length > 0);
  const end = placeOf.get(first) ?? 0;
  const start = siblings.findLastIndex((node, i) => i < end && (holds(node, authorLink) || holds(node, storyLink)));
  const preface = siblings.slice(start + 1, end).filter((node) => node.name !== 'hr');
  book.description = htmlToMarkdown(inner({ type: 'root', children: preface }));
  book.summary = clean(textOf({ type: 'root', children: preface })).slice(0, 1000);
  for (const heading of headings) {
    const around = parentOf.get(heading)?.children ?? [];
    const content: Node[] = [];
    for (let i = (placeOf.get(heading) ?? 0) + 1; i < around.length; i++) {
      const node = around[i] as Node;
      if (isChapterHeading(node) || elements(node, (el) => isChapterHeading(el as unknown as Node)).length > 0) break;
      content.push(node);
    }
    const chapter = chapterOf(textOf(heading), content);
    if (chapter.body.trim()) book.chapters.push(chapter);
  }
  if (!book.title) throw new EpubError('That FimFiction page has no title.');
  if (book.chapters.length === 0) throw new EpubError('That FimFiction page has no chapter text.');
  return book;
}

/**
 * A chapter file of FimFiction's own EPUB (and Fimfarchive's): the title as a heading, the text in
 * `#content`, the author's note under its own heading in `#authors-note`, above or below. Null
 * for a file not shaped so.
 */
export function fimfictionChapter(body: Node | undefined): ImportedChapter | null {
  const children = body?.children ?? [];
  const content = children.find((node) => node.attribs?.id === 'content');
  if (!content) return null;
  const heading = children
    .slice(0, children.indexOf(content))
    .reverse()
    .find((node) => node.type === 'tag' && /^h[1-3]$/.test(node.name ?? '') && !AUTHORS_NOTE.test(textOf(node)));
  return chapterOf(
    textOf(heading),
    children.filter((node) => node !== heading),
  );
}

const RULE = /^\/\/-{10,}\/\/\s*$/;

/** FimFiction's text download: each chapter's title framed by `//----//` rules. */
export const isFimfictionTxt = (text: string) => /^\/\/-{10,}\/\/\r?\n\/\/ [^\n]*\r?\n\/\/-{10,}\/\/\r?$/m.test(text.slice(0, 200_000));

/**
 * Reads FimFiction's text download: the title and "by" its author at the top, then each chapter as
 * a title between two rules and paragraphs separated by blank lines.
 */
export function parseFimfictionTxt(text: string): ImportedBook {
  const book = emptyBook();
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const chapters: { title: string; lines: string[] }[] = [];
  const header: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const title = lines[i + 1] ?? '';
    if (RULE.test(line) && title.startsWith('//') && RULE.test(lines[i + 2] ?? '')) {
      if (chapters.length === MAX_CHAPTERS) throw new EpubError(TOO_MANY);
      chapters.push({ title: title.replace(/^\/\/\s?/, ''), lines: [] });
      i += 2;
    } else (chapters.at(-1)?.lines ?? header).push(line);
  }
  const top = header.map(clean).filter(Boolean);
  book.title = (top[0] ?? '').slice(0, 200);
  book.author = top.find((line) => /^by\s/i.test(line))?.replace(/^by\s+/i, '') ?? '';
  book.description = plainTextToMarkdown(header.filter((line) => !top.slice(0, 2).includes(clean(line))).join('\n'));
  for (const chapter of chapters) {
    const body = plainTextToMarkdown(chapter.lines.join('\n'));
    if (body.trim()) book.chapters.push({ title: clean(chapter.title).slice(0, 200) || 'Chapter', body, noteBefore: '', noteAfter: '' });
  }
  if (!book.title) throw new EpubError('That FimFiction text file has no title.');
  if (book.chapters.length === 0) throw new EpubError('That FimFiction text file has no chapters.');
  return book;
}
