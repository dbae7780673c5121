import { parseDocument } from 'htmlparser2';
import type { TagType } from '../../db/schema.ts';
import { limitNesting } from '../html-depth.ts';
import { htmlToMarkdown } from '../html-markdown.ts';
import {
  byName,
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

/** AO3's preface labels, and the tag type each holds here. */
const TAG_LABELS: Record<string, TagType> = {
  'archive warning': 'warning',
  'archive warnings': 'warning',
  category: 'category',
  categories: 'category',
  fandom: 'fandom',
  fandoms: 'fandom',
  relationship: 'relationship',
  relationships: 'relationship',
  character: 'character',
  characters: 'character',
  'additional tags': 'freeform',
};
/** AO3's ratings, as our rating labels. */
const RATINGS: Record<string, string> = {
  'general audiences': 'Everyone',
  'teen and up audiences': 'Teen',
  mature: 'Mature',
  explicit: 'Explicit',
  'not rated': 'Not rated',
};
/** AO3 renamed a warning; both spellings mean ours. */
const WARNING_NAMES: Record<string, string> = { underage: 'Underage Sex' };

const LANGUAGES: Record<string, string> = {
  english: 'en',
  español: 'es',
  français: 'fr',
  deutsch: 'de',
  italiano: 'it',
  português: 'pt',
  русский: 'ru',
  中文: 'zh',
  日本語: 'ja',
  한국어: 'ko',
  polski: 'pl',
  nederlands: 'nl',
};

/** Whether a document is an AO3 download: its preface, and the archive's name in it. */
export const isAo3 = (html: string) => html.includes('id="preface"') && /Archive of Our Own/i.test(html.slice(0, 20_000));

/**
 * Reads AO3's HTML download (the same preface and chapter markup are inside its EPUB): the
 * preface's tags mapped onto our typed tags, rating, language, summary, notes, each chapter with
 * its notes and end notes, the work's end notes, and where it was posted.
 */
export function parseAo3Html(html: string): ImportedBook {
  const document = parseDocument(limitNesting(html, MAX_DEPTH)) as unknown as Node;
  const preface = elements(document, (el) => el.attribs.id === 'preface')[0] as unknown as Node | undefined;
  if (!preface) throw new EpubError('That page has no AO3 preface: download the work from AO3 as HTML and import that file.');
  const book = emptyBook();
  book.title = textOf(byName(preface, 'h1')[0]).trim();
  book.author = textOf(elements(preface, (el) => el.attribs.rel === 'author')[0]).trim();
  const posted = elements(preface, (el) => el.name === 'a' && /archiveofourown\.org\/works\/\d+/.test(el.attribs.href ?? ''))[0];
  book.sourceUrl = posted?.attribs.href?.replace(/^http:/, 'https:') ?? '';
  const list = elements(preface, (el) => el.name === 'dl')[0] as unknown as Node | undefined;
  let label = '';
  for (const child of list?.children ?? []) {
    if (child.name === 'dt') label = textOf(child).replace(/:\s*$/, '').trim().toLowerCase();
    if (child.name !== 'dd') continue;
    const names = elements(child, (el) => el.name === 'a').map((a) => textOf(a as unknown as Node).trim());
    const type = TAG_LABELS[label];
    if (type) book.tags[type] = names.map((name) => (type === 'warning' ? (WARNING_NAMES[name.toLowerCase()] ?? name) : name));
    else if (label === 'rating') book.rating = RATINGS[(names[0] ?? textOf(child)).trim().toLowerCase()] ?? '';
    else if (label === 'language') book.language = LANGUAGES[textOf(child).trim().toLowerCase()] ?? 'other';
    else if (label === 'stats') {
      const stats = textOf(child);
      const chapters = /Chapters:\s*(\d+)\/(\d+|\?)/.exec(stats);
      book.status = /Completed:/.test(stats) || (chapters && chapters[1] === chapters[2]) ? 'Complete' : 'Incomplete';
    }
  }
  // "Summary" and "Notes" are paragraphs, each followed by its blockquote.
  const meta =
    (elements(preface, (el) => (el.attribs.class ?? '').split(' ').includes('meta'))[0] as unknown as Node | undefined) ?? preface;
  const quote = (heading: string, root: Node | undefined) => {
    const children = root?.children ?? [];
    const at = children.findIndex((child) => child.name === 'p' && textOf(child).trim().toLowerCase() === heading);
    return at >= 0 ? children.slice(at + 1).find((child) => child.name === 'blockquote') : undefined;
  };
  const quoted = (heading: string, root: Node | undefined) => {
    const found = quote(heading, root);
    return found ? htmlToMarkdown(inner(found)) : '';
  };
  // The summary is plain text here; the description keeps its formatting.
  book.summary = textOf(quote('summary', meta)).replace(/\s+/g, ' ').trim().slice(0, 1000);
  book.description = [quoted('summary', meta), quoted('notes', meta)].filter(Boolean).join('\n\n');
  // In AO3's EPUB the download is split into files, each repeating the #chapters wrapper.
  const chapterRoots = elements(document, (el) => el.attribs.id === 'chapters') as unknown as Node[];
  const chaptersRoot = chapterRoots[0];
  const afterword = elements(document, (el) => el.attribs.id === 'afterword')[0] as unknown as Node | undefined;
  let current: ImportedChapter | null = null;
  const push = () => {
    if (current?.body.trim()) book.chapters.push(current);
  };
  for (const child of chapterRoots.flatMap((root) => root.children ?? [])) {
    if (child.type !== 'tag') continue;
    const classes = (child.attribs?.class ?? '').split(' ');
    const heading = elements(child, (el) => /^h[23]$/.test(el.name))[0] as unknown as Node | undefined;
    if (classes.includes('meta') && heading) {
      push();
      const title = textOf(heading)
        .trim()
        .replace(/^Chapter \d+:\s*/, '');
      current = {
        title: title || `Chapter ${book.chapters.length + 1}`,
        body: '',
        noteBefore: quoted('chapter notes', child),
        noteAfter: '',
      };
    } else if (classes.includes('meta') && current) {
      current.noteAfter = quoted('chapter end notes', child);
    } else if (classes.includes('userstuff')) {
      current ??= { title: book.title || 'Chapter 1', body: '', noteBefore: '', noteAfter: '' };
      current.body = htmlToMarkdown(inner(child));
    }
  }
  // A one-chapter work has its text straight under #chapters.
  if (!current && chaptersRoot)
    current = { title: book.title || 'Chapter 1', body: htmlToMarkdown(inner(chaptersRoot)), noteBefore: '', noteAfter: '' };
  push();
  const endNotes = afterword
    ? quoted('end notes', elements(afterword, (el) => (el.attribs.class ?? '').includes('endnotes'))[0] as unknown as Node)
    : '';
  const last = book.chapters.at(-1);
  if (endNotes && last) last.noteAfter = [last.noteAfter, endNotes].filter(Boolean).join('\n\n');
  if (!book.title) throw new EpubError('The AO3 page has no title.');
  if (book.chapters.length === 0) throw new EpubError('The AO3 page has no chapter text.');
  return book;
}
