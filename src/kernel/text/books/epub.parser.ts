import type { Element } from 'domhandler';
import { unzipSync } from 'fflate';
import { parseDocument } from 'htmlparser2';
import type { TagType } from '../../db/schema.ts';
import { TAG_TYPE_LABELS } from '../../db/tag-types.ts';
import { limitNesting } from '../html-depth.ts';
import { htmlToMarkdown } from '../html-markdown.ts';
import { percentDecoded } from '../urls.ts';

/** An EPUB larger than this unpacked is refused before anything is decompressed further (zip bombs). */
export const MAX_EPUB_UNPACKED_BYTES = 64 * 1024 * 1024;
const MAX_ENTRIES = 5000;
export const MAX_DEPTH = 100;

export class EpubError extends Error {}

export type ImportedChapter = { title: string; body: string; noteBefore: string; noteAfter: string };
export type ImportedBook = {
  title: string;
  author: string;
  language: string;
  summary: string;
  /** Markdown. */
  description: string;
  sourceUrl: string;
  /** Rating and status as the book names them ("Teen", "Complete"), when it does. */
  rating: string;
  status: string;
  tags: Partial<Record<TagType, string[]>>;
  chapters: ImportedChapter[];
};

/** A book with nothing read into it yet, for the parsers to fill. */
export const emptyBook = (): ImportedBook => ({
  title: '',
  author: '',
  language: 'en',
  summary: '',
  description: '',
  sourceUrl: '',
  rating: '',
  status: '',
  tags: {},
  chapters: [],
});

export type Node = { type: string; name?: string; attribs?: Record<string, string>; children?: Node[]; data?: string };

/** The elements under `node` that pass `test`, in document order (an explicit stack: no recursion, linear). */
export const elements = (node: Node | undefined, test: (el: Element) => boolean): Element[] => {
  const found: Element[] = [];
  const stack: Node[] = [...(node?.children ?? [])].reverse();
  while (stack.length) {
    const current = stack.pop() as Node;
    if (current.type === 'tag' && test(current as unknown as Element)) found.push(current as unknown as Element);
    const children = current.children ?? [];
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as Node);
  }
  return found;
};
export const byName = (node: Node | undefined, name: string) => elements(node, (el) => el.name.toLowerCase() === name);
export const textOf = (node: Node | undefined): string =>
  node?.type === 'text' ? (node.data ?? '') : (node?.children ?? []).map(textOf).join('');
export const inner = (node: Node | undefined) => {
  // The element's children as HTML, for htmlToMarkdown.
  const html: string[] = [];
  const write = (n: Node) => {
    if (n.type === 'text') html.push((n.data ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;'));
    else if (n.type === 'tag') {
      const attrs = Object.entries(n.attribs ?? {})
        .filter(([k]) => k === 'href')
        .map(([k, v]) => ` ${k}="${v.replace(/"/g, '&quot;')}"`)
        .join('');
      html.push(`<${n.name}${attrs}>`);
      for (const child of n.children ?? []) write(child);
      html.push(`</${n.name}>`);
    }
  };
  for (const child of node?.children ?? []) write(child);
  return html.join('');
};

const LABEL_TYPES = new Map(Object.entries(TAG_TYPE_LABELS).map(([type, label]) => [label.toLowerCase(), type as TagType]));

/**
 * Readers of other archives' books, passed in by the book worker: AO3's EPUB holds its HTML
 * download split into files (ao3.parser.ts); FimFiction's chapter files have a shape of their own
 * (fimfiction.parser.ts).
 */
export type EpubReaders = {
  preface?: { is(html: string): boolean; parse(html: string): ImportedBook };
  chapter?: (body: Node | undefined) => ImportedChapter | null;
};

/**
 * Reads an EPUB: the package's metadata, then the spine's documents in order. Golden Oak's own
 * books come back whole (title page with its tags by type, rating and status; each chapter with
 * its notes); other books by their structure (each spine document a chapter, titled by its first
 * heading). Nothing is written anywhere: sizes are checked before each file is inflated.
 */
export function parseEpub(bytes: Uint8Array, readers: EpubReaders = {}): ImportedBook {
  let files: Record<string, Uint8Array>;
  let total = 0;
  let count = 0;
  try {
    files = unzipSync(bytes, {
      filter: (file) => {
        count++;
        total += file.originalSize;
        if (count > MAX_ENTRIES || file.originalSize > MAX_EPUB_UNPACKED_BYTES || total > MAX_EPUB_UNPACKED_BYTES) {
          throw new EpubError('That EPUB unpacks to more than 64 MB, or holds too many files: it is not a story we can import.');
        }
        return !file.name.endsWith('/');
      },
    });
  } catch (error) {
    if (error instanceof EpubError) throw error;
    throw new EpubError('That file is not a readable EPUB (the zip inside it is damaged).');
  }
  const text = (path: string) => {
    const file = files[path];
    if (!file) throw new EpubError(`The EPUB names ${path.slice(0, 100)}, but it is not in the file.`);
    return new TextDecoder().decode(file);
  };
  // Nesting is bounded before parsing, so the walks below stay shallow and linear.
  const xml = (path: string) => parseDocument(limitNesting(text(path), MAX_DEPTH), { xmlMode: true }) as unknown as Node;
  const rootfile = byName(xml('META-INF/container.xml'), 'rootfile')[0]?.attribs['full-path'];
  if (!rootfile) throw new EpubError('The EPUB has no package document (META-INF/container.xml names none).');
  const opf = xml(rootfile);
  const base = rootfile.includes('/') ? rootfile.slice(0, rootfile.lastIndexOf('/') + 1) : '';
  const meta = (name: string) => textOf(byName(opf, name)[0]).trim();
  const manifest = new Map(byName(opf, 'item').map((item) => [item.attribs.id, item.attribs]));
  const spine = byName(opf, 'itemref').map((ref) => manifest.get(ref.attribs.idref ?? ''));

  const book: ImportedBook = {
    ...emptyBook(),
    title: meta('dc:title'),
    author: meta('dc:creator'),
    language: meta('dc:language') || 'en',
    summary: meta('dc:description'),
    sourceUrl: meta('dc:source'),
  };
  const documents = spine.filter(
    (item) => item?.href && /xhtml|html/.test(item['media-type'] ?? '') && !(item.properties ?? '').includes('nav') && item.id !== 'cover',
  );
  // AO3's preface is in the first file; only then are the files read as one AO3 download.
  const bodyOf = (item: (typeof documents)[number]) => {
    const html = text(hrefPath(`${base}${item?.href}`));
    const lower = html.toLowerCase();
    const open = lower.indexOf('<body');
    const start = open < 0 ? 0 : html.indexOf('>', open) + 1;
    const end = lower.lastIndexOf('</body>');
    return html.slice(start, end > start ? end : html.length);
  };
  const ao3 = readers.preface;
  if (ao3 && documents[0] && ao3.is(bodyOf(documents[0])))
    return ao3.parse(`<html><body>${documents.map(bodyOf).join('\n')}</body></html>`);
  for (const item of spine) {
    if (!item?.href || !/xhtml|html/.test(item['media-type'] ?? '') || (item.properties ?? '').includes('nav') || item.id === 'cover')
      continue;
    const path = hrefPath(`${base}${item.href}`);
    const document = parseDocument(limitNesting(text(path), MAX_DEPTH)) as unknown as Node;
    const body = byName(document, 'body')[0] as unknown as Node | undefined;
    // Golden Oak's own title page: its metadata, not a chapter.
    if (item.id === 'title' && elements(body, (el) => el.attribs.class === 'rating').length > 0) {
      readTitlePage(body, book);
      continue;
    }
    const known = readers.chapter?.(body);
    if (known) {
      if (known.body.trim()) book.chapters.push(known);
      continue;
    }
    const section = elements(body, (el) => el.attribs['epub:type'] === 'chapter')[0] as unknown as Node | undefined;
    const root = section ?? body;
    const heading = elements(root, (el) => /^h[1-3]$/.test(el.name))[0] as unknown as Node | undefined;
    const notes = elements(root, (el) => el.name === 'aside' && (el.attribs.class ?? '').includes('note')) as unknown as Node[];
    const title = textOf(heading).trim() || textOf(byName(document, 'title')[0]).trim() || `Chapter ${book.chapters.length + 1}`;
    const children = root?.children ?? [];
    const isText = (child: Node) => child !== heading && !notes.includes(child);
    // A note before the chapter's first text is the note before; one after it, the note after.
    const firstText = children.findIndex((child) => child.type === 'tag' && isText(child));
    const before = notes.find((note) => children.indexOf(note) < firstText);
    const after = notes.find((note) => children.indexOf(note) > firstText);
    const noteText = (note: Node | undefined) =>
      note ? htmlToMarkdown(inner({ ...note, children: (note.children ?? []).filter((c) => c.name !== 'h2') })) : '';
    const bodyText = htmlToMarkdown(inner({ type: 'root', children: children.filter(isText) }));
    if (!bodyText.trim()) continue;
    book.chapters.push({ title: title.slice(0, 200), body: bodyText, noteBefore: noteText(before), noteAfter: noteText(after) });
  }
  if (!book.title) throw new EpubError('The EPUB has no title (dc:title).');
  if (book.chapters.length === 0) throw new EpubError('The EPUB has no chapters with text in them.');
  return book;
}

/** Golden Oak's title page: byline, rating and status, summary, description, tags by type. */
function readTitlePage(body: Node | undefined, book: ImportedBook) {
  const rating = elements(body, (el) => el.attribs.class === 'rating')[0] as unknown as Node | undefined;
  if (rating)
    [book.rating = '', book.status = ''] = textOf(rating)
      .split('·')
      .map((part) => part.trim());
  const section = byName(body, 'section')[0] as unknown as Node | undefined;
  if (section) book.description = htmlToMarkdown(inner(section));
  const list = elements(body, (el) => el.attribs.class === 'tags')[0] as unknown as Node | undefined;
  let type: TagType | undefined;
  for (const child of list?.children ?? []) {
    if (child.name === 'dt') type = LABEL_TYPES.get(textOf(child).trim().toLowerCase());
    else if (child.name === 'dd' && type)
      book.tags[type] = textOf(child)
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean);
  }
}

/** A manifest href as a path in the zip: the fragment dropped, escapes decoded (a malformed one kept as written, so it is simply not found). */
function hrefPath(href: string): string {
  const path = href.replace(/#.*$/, '');
  return percentDecoded(path) ?? path;
}
