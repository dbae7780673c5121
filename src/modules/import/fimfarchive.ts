import { closeSync, constants, createReadStream, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import type { Context } from '../../kernel/context.ts';
import type { TagType } from '../../kernel/db/schema.ts';
import type { ImportedBook } from '../../kernel/text/books/epub.parser.ts';
import { htmlToMarkdown } from '../../kernel/text/html-markdown.ts';
import { FormError } from '../../kernel/web/validation.ts';
import { isClaimed } from '../accounts/accounts.service.ts';
import { AlreadyImported, readBookFile, saveBook } from './import.service.ts';

/** A line of index.json longer than this is one story's metadata gone wrong: skipped, never held whole. */
export const MAX_INDEX_LINE_BYTES = 4 * 1024 * 1024;
const MAX_BOOK_BYTES = 16 * 1024 * 1024;

export type ArchiveSummary = { imported: number; skipped: number; failed: { id: string; reason: string }[] };

type IndexStory = {
  id?: number | string;
  title?: string;
  author?: { name?: string };
  short_description?: string;
  description_html?: string;
  completion_status?: string;
  content_rating?: string;
  url?: string;
  tags?: { name?: string; type?: string }[];
  archive?: { path?: string };
};

/** FimFiction's tag types, as ours: its genres and content tags are free-form here (our genre list is the archive's own). */
const TAG_TYPES: Record<string, TagType> = {
  series: 'fandom',
  character: 'character',
  genre: 'freeform',
  content: 'freeform',
  warning: 'freeform',
};
const RATINGS: Record<string, string> = { everyone: 'Everyone', teen: 'Teen', mature: 'Mature' };
const STATUSES: Record<string, string> = { complete: 'Complete', incomplete: 'Incomplete', hiatus: 'On hiatus', cancelled: 'Cancelled' };

/**
 * index.json's lines one at a time, each at most MAX_INDEX_LINE_BYTES: a longer line is reported
 * (as null) and its bytes dropped as they pass, so memory stays bounded whatever the file holds.
 */
async function* indexLines(fd: number, onBytes: (read: number) => void): AsyncGenerator<string | null> {
  let parts: Buffer[] = [];
  let length = 0;
  let overflow = false;
  for await (const chunk of createReadStream('', { fd, highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>) {
    onBytes(chunk.length);
    let start = 0;
    for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, at);
      if (!overflow && length + piece.length <= MAX_INDEX_LINE_BYTES) yield Buffer.concat([...parts, piece]).toString('utf8');
      else yield null;
      parts = [];
      length = 0;
      overflow = false;
      start = at + 1;
    }
    const rest = chunk.subarray(start);
    if (!overflow && length + rest.length <= MAX_INDEX_LINE_BYTES) {
      parts.push(Buffer.from(rest));
      length += rest.length;
    } else {
      overflow = true;
      parts = [];
    }
  }
  if (overflow) yield null;
  else if (length > 0) yield Buffer.concat(parts).toString('utf8');
}

/**
 * Opens a file of the archive folder for reading, refusing what the folder should not hold: a path
 * whose real location (symbolic links resolved, in every component) is outside the folder, a
 * symbolic link as the last component (O_NOFOLLOW: none is followed even if swapped in after the
 * check), and anything but a regular file (a FIFO is opened without blocking, then refused).
 */
function openInside(realRoot: string, path: string): { fd: number; size: number } {
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    throw new Error('its file is not there');
  }
  if (!real.startsWith(realRoot + sep)) throw new Error('its file is outside the archive folder');
  const fd = openSync(real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  const stat = fstatSync(fd);
  if (!stat.isFile()) {
    closeSync(fd);
    throw new Error('its file is not a regular file');
  }
  return { fd, size: stat.size };
}

/** At most `limit` bytes of a file, however long it claims to be or grows while read. */
function readAtMost(path: string, realRoot: string, limit: number): Buffer {
  const { fd, size } = openInside(realRoot, path);
  try {
    if (size > limit) throw new Error(`its EPUB is larger than ${limit / 1024 / 1024} MB`);
    const buffer = Buffer.alloc(limit + 1);
    let length = 0;
    for (let read = 1; read > 0 && length <= limit; length += read) read = readSync(fd, buffer, length, buffer.length - length, null);
    if (length > limit) throw new Error(`its EPUB is larger than ${limit / 1024 / 1024} MB`);
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

/**
 * One line of index.json as its story id and JSON text: `"id": {…},`. Read by slicing, not by a
 * pattern over the whole line: the old one backtracked, and `"1": {}` and 100,000 spaces took 38 s.
 */
function indexEntry(line: string): { id: string; json: string } | null {
  const key = /^\s*"([^"]{1,40})"\s*:/.exec(line);
  if (!key) return null;
  let json = line.slice(key[0].length).trim();
  if (json.endsWith(',')) json = json.slice(0, -1).trimEnd();
  return json.startsWith('{') && json.endsWith('}') ? { id: key[1] as string, json } : null;
}

/** The book with the index's metadata over what the EPUB itself says. */
function withIndex(book: ImportedBook, story: IndexStory): ImportedBook {
  const tags: Partial<Record<TagType, string[]>> = {};
  for (const tag of story.tags ?? []) {
    const type = TAG_TYPES[tag.type ?? ''];
    if (type && tag.name) tags[type] = [...(tags[type] ?? []), tag.name.replace(/,/g, ' ').slice(0, 100)];
  }
  return {
    ...book,
    title: story.title || book.title,
    author: story.author?.name || book.author,
    summary: story.short_description ?? book.summary,
    description: story.description_html ? htmlToMarkdown(story.description_html) : book.description,
    sourceUrl: story.url ?? book.sourceUrl,
    rating: RATINGS[story.content_rating ?? ''] ?? 'Not rated',
    status: STATUSES[story.completion_status ?? ''] ?? 'Incomplete',
    tags,
  };
}

/**
 * Imports a Fimfarchive-style archive (index.json with one story per line, and one EPUB per story)
 * story by story, each in its own transaction: a failure is reported and the rest go on. Each
 * story is claimed as it is written, so a second run after an interruption skips what is there.
 */
export async function importArchive(
  ctx: Context,
  authorId: number,
  dir: string,
  options: { publish: boolean; onProgress?: (done: number, total: number) => void },
): Promise<ArchiveSummary> {
  const root = resolve(dir);
  const realRoot = realpathSync(root);
  let opened: { fd: number; size: number };
  try {
    opened = openInside(realRoot, resolve(root, 'index.json'));
  } catch (error) {
    throw new Error(`index.json cannot be read: ${(error as Error).message}.`);
  }
  const total = opened.size;
  let read = 0;
  const summary: ArchiveSummary = { imported: 0, skipped: 0, failed: [] };
  let lineNumber = 0;
  for await (const line of indexLines(opened.fd, (bytes) => (read += bytes))) {
    lineNumber++;
    if (line === null) {
      summary.failed.push({ id: `line ${lineNumber}`, reason: `the line is longer than ${MAX_INDEX_LINE_BYTES / 1024 / 1024} MB` });
      continue;
    }
    const entry = indexEntry(line);
    if (!entry) continue;
    const { id } = entry;
    try {
      // A story a run before imported is skipped before its book is read (the claim in saveBook still decides).
      if (await isClaimed(ctx.db, `fimfarchive:${id}`)) {
        summary.skipped++;
        options.onProgress?.(read, total);
        continue;
      }
      const story = JSON.parse(entry.json) as IndexStory;
      const path = resolve(root, story.archive?.path ?? '');
      if (!story.archive?.path || !path.startsWith(root + sep)) throw new Error('its EPUB path is missing or outside the archive');
      const book = withIndex(await readBookFile(ctx, readAtMost(path, realRoot, MAX_BOOK_BYTES), authorId), story);
      await saveBook(ctx, authorId, book, { publish: options.publish }, `fimfarchive:${id}`);
      summary.imported++;
    } catch (error) {
      if (error instanceof AlreadyImported) summary.skipped++;
      else {
        const reason = error instanceof FormError ? Object.values(error.fields)[0] : error instanceof Error ? error.message : String(error);
        summary.failed.push({ id, reason: String(reason ?? 'unreadable').slice(0, 300) });
      }
    }
    options.onProgress?.(read, total);
  }
  options.onProgress?.(total, total);
  return summary;
}
