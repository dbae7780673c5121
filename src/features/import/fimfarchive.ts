import { createReadStream, readFileSync, statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import type { Context } from '../../context.ts';
import type { TagType } from '../../db/schema.ts';
import { htmlToMarkdown } from '../../text/html-markdown.ts';
import { FormError } from '../../web/validation.ts';
import { isClaimed } from '../accounts/accounts.repository.ts';
import type { ImportedBook } from './epub.parser.ts';
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
async function* indexLines(path: string, onBytes: (read: number) => void): AsyncGenerator<string | null> {
  let parts: Buffer[] = [];
  let length = 0;
  let overflow = false;
  for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>) {
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
  const index = resolve(root, 'index.json');
  const total = statSync(index).size;
  let read = 0;
  const summary: ArchiveSummary = { imported: 0, skipped: 0, failed: [] };
  let lineNumber = 0;
  for await (const line of indexLines(index, (bytes) => (read += bytes))) {
    lineNumber++;
    if (line === null) {
      summary.failed.push({ id: `line ${lineNumber}`, reason: `the line is longer than ${MAX_INDEX_LINE_BYTES / 1024 / 1024} MB` });
      continue;
    }
    const entry = /^\s*"([^"]{1,40})"\s*:\s*(\{.*\})\s*,?\s*$/.exec(line);
    if (!entry) continue;
    const id = entry[1] as string;
    try {
      // A story a run before imported is skipped before its book is read (the claim in saveBook still decides).
      if (await isClaimed(ctx.db, `fimfarchive:${id}`)) {
        summary.skipped++;
        options.onProgress?.(read, total);
        continue;
      }
      const story = JSON.parse(entry[2] as string) as IndexStory;
      const path = resolve(root, story.archive?.path ?? '');
      if (!story.archive?.path || !path.startsWith(root + sep)) throw new Error('its EPUB path is missing or outside the archive');
      if (statSync(path).size > MAX_BOOK_BYTES) throw new Error('its EPUB is larger than 16 MB');
      const book = withIndex(await readBookFile(ctx, readFileSync(path)), story);
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
