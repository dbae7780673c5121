import { basename, extname } from 'node:path';
import type { z } from 'zod';
import type { Context } from '../../kernel/context.ts';
import type { TagType } from '../../kernel/db/schema.ts';
import { AppError } from '../../kernel/errors.ts';
import { write } from '../../kernel/events/events.ts';
import { isAo3 } from '../../kernel/text/books/ao3.parser.ts';
import { EpubError, type ImportedBook } from '../../kernel/text/books/epub.parser.ts';
import { isFimfictionHtml, isFimfictionTxt } from '../../kernel/text/books/fimfiction.parser.ts';
import { parseStoryPage, StoryPageError } from '../../kernel/text/books/storypage.parser.ts';
import type { StoryRef } from '../../kernel/web/paths.ts';
import { FormError, parseInput } from '../../kernel/web/validation.ts';
import { claimOnce } from '../accounts/accounts.service.ts';
import { ChapterFormSchema } from '../chapters/chapters.schema.ts';
import { chapterContent, insertChapter } from '../chapters/chapters.service.ts';
import { LANGUAGE_CODES, RATINGS, STATUSES, StoryFormSchema } from '../stories/stories.schema.ts';
import { insertNewStory, storyFields } from '../stories/stories.service.ts';

export type ImportOptions = {
  title?: string | undefined;
  filename?: string | undefined;
  publish: boolean;
  /** Who wrote it, when the importer knows better than the page's own signature. */
  originalAuthor?: string | undefined;
  sourceUrl?: string | undefined;
};

/** "fimfiction-story-page.txt" → "Fimfiction story page": the page has no title line of its own. */
export function titleFromFilename(filename: string): string {
  const stem = basename(filename, extname(filename)).replace(/[-_]+/g, ' ').replace(/\s+/g, ' ').trim();
  return stem ? stem[0]?.toUpperCase() + stem.slice(1) : '';
}

/** Imports a story page as a new story with one chapter, in one transaction: all of it or none. */
export async function importStoryPage(ctx: Context, authorId: number, bytes: Buffer, options: ImportOptions): Promise<StoryRef> {
  let page: ReturnType<typeof parseStoryPage>;
  try {
    page = parseStoryPage(bytes);
  } catch (error) {
    if (error instanceof StoryPageError) throw new FormError({ file: error.message });
    throw error;
  }
  const title = (options.title?.trim() || titleFromFilename(options.filename ?? '') || 'Untitled story').slice(0, 200);
  // The same schemas as the story and chapter forms: an import may hold nothing a form would refuse.
  const story = asImported(StoryFormSchema, {
    title,
    summary: page.description.split('\n')[0]?.slice(0, 300) ?? '',
    description: page.description,
    description_format: 'text',
    // The page says nothing of a rating: "Not rated" is the honest one until the importer chooses.
    rating: 'not_rated',
    // Nor of warnings: AO3's answer for that, until the importer chooses.
    warnings: 'Creator Chose Not To Use Archive Warnings',
    status: 'incomplete',
    cover_artist_name: page.cover?.artistName ?? '',
    cover_artist_url: page.cover?.artistUrl ?? '',
    cover_source_url: page.cover?.sourceUrl ?? '',
    original_author: options.originalAuthor?.trim() || page.signature,
    source_url: options.sourceUrl?.trim() ?? '',
  });
  const chapter = asImported(ChapterFormSchema, {
    title,
    format: 'text',
    body: page.body,
    note_after: page.noteAfter,
    action: options.publish ? 'publish' : 'draft',
  });
  const fields = await storyFields(ctx, story);
  const content = await chapterContent(ctx, chapter);
  const now = ctx.clock.now();
  const id = await write(ctx, async (trx) => {
    const id = await insertNewStory(trx, authorId, fields, null, now);
    await insertChapter(trx, id, content, now);
    return id;
  });
  return { id, slug: fields.slug };
}

/** An EPUB (a zip), an AO3 or FimFiction download, or a story page saved as text, told apart by their content. */
export function importFile(ctx: Context, authorId: number, bytes: Buffer, options: ImportOptions): Promise<StoryRef> {
  const zip = bytes.length > 4 && bytes.readUInt32LE(0) === 0x04034b50;
  const text = zip ? '' : bytes.toString('utf8');
  const html = !zip && (isAo3(text.slice(0, 64 * 1024)) || isFimfictionHtml(text));
  // A name that promises a book whose content is not one is refused, not read as a story page.
  const name = options.filename?.toLowerCase() ?? '';
  if (name.endsWith('.epub') && !zip) throw new FormError({ file: 'That .epub file is not an EPUB (it is not a zip).' });
  if (/\.html?$/.test(name) && !html)
    throw new FormError({ file: 'That HTML file is not an AO3 or FimFiction download: download the story as HTML there and import that.' });
  const book = zip || html || isFimfictionTxt(text);
  return book ? importBook(ctx, authorId, bytes, options) : importStoryPage(ctx, authorId, bytes, options);
}

const MAX_CHAPTERS = 1000;
const WEB = /^https?:\/\//i;

/**
 * Imports a book (an EPUB, or AO3's HTML download) as a new story with all its chapters, in one
 * transaction. A Golden Oak EPUB comes back as it was (title page tags by type, rating, status,
 * notes); AO3's preface maps onto our typed tags; another book keeps its title, author and
 * chapters. Text becomes Markdown.
 */
export async function importBook(ctx: Context, authorId: number, bytes: Buffer, options: ImportOptions): Promise<StoryRef> {
  return saveBook(ctx, authorId, await readBookFile(ctx, bytes, authorId), options);
}

/** A book's content, read in the book worker; a book that cannot be imported is a form error saying why. */
export async function readBookFile(ctx: Context, bytes: Uint8Array, ownerId: number): Promise<ImportedBook> {
  try {
    return await ctx.renderer.readBook(bytes, `user:${ownerId}`);
  } catch (error) {
    if (error instanceof EpubError) throw new FormError({ file: error.message });
    throw error;
  }
}

/**
 * Saves a book as a new story with all its chapters, in one transaction. With `claim`, the story is
 * written only if that name was not claimed before, in the same transaction (resumable bulk
 * imports): null when it was.
 */
export async function saveBook(
  ctx: Context,
  authorId: number,
  book: ImportedBook,
  options: ImportOptions,
  claim?: string,
): Promise<StoryRef> {
  if (book.chapters.length > MAX_CHAPTERS) throw new FormError({ file: `That book has more than ${MAX_CHAPTERS} chapters.` });
  const list = (type: TagType, separator: string) => (book.tags[type] ?? []).join(separator);
  const story = asImported(StoryFormSchema, {
    title: (options.title?.trim() || book.title).slice(0, 200),
    summary: book.summary.slice(0, 1000),
    description: book.description,
    description_format: 'markdown',
    rating: RATINGS.find((rating) => rating.label === book.rating)?.value ?? 'not_rated',
    status: STATUSES.find((status) => status.label === book.status)?.value ?? 'incomplete',
    language: (LANGUAGE_CODES as readonly string[]).includes(book.language) ? book.language : 'other',
    warnings: list('warning', '\n') || 'Creator Chose Not To Use Archive Warnings',
    categories: list('category', '\n'),
    genres: list('genre', '\n'),
    fandoms: list('fandom', ', '),
    relationships: list('relationship', ', '),
    characters: list('character', ', '),
    tags: list('freeform', ', '),
    original_author: (options.originalAuthor?.trim() || book.author).slice(0, 100),
    source_url: options.sourceUrl?.trim() || (WEB.test(book.sourceUrl) ? book.sourceUrl : ''),
  });
  const chapters = await Promise.all(
    book.chapters.map((chapter) =>
      chapterContent(
        ctx,
        asImported(ChapterFormSchema, {
          title: chapter.title,
          format: 'markdown',
          body: chapter.body,
          note_before: chapter.noteBefore,
          note_after: chapter.noteAfter,
          action: options.publish ? 'publish' : 'draft',
        }),
      ),
    ),
  );
  const fields = await storyFields(ctx, story);
  const now = ctx.clock.now();
  const id = await write(ctx, async (trx) => {
    if (claim && !(await claimOnce(trx, claim, now))) throw new AlreadyImported(claim);
    const id = await insertNewStory(trx, authorId, fields, null, now);
    for (const content of chapters) await insertChapter(trx, id, content, now);
    return id;
  });
  return { id, slug: fields.slug };
}

/** A bulk import met a story it had imported before (its claim was taken). */
export class AlreadyImported extends Error {}

/** Checks imported values with a form's schema; a refusal names the part of the file at fault. */
function asImported<S extends z.ZodType>(schema: S, values: Record<string, string>): z.infer<S> {
  try {
    return parseInput(schema, values);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const [field, problem] = Object.entries(error.fields)[0] ?? ['file', error.message];
    const message = `The story's ${PART_NAMES[field] ?? field} cannot be imported: ${problem}`;
    throw new FormError({ file: message });
  }
}

const PART_NAMES: Record<string, string> = {
  body: 'chapter text',
  note_before: "author's note",
  note_after: "author's note",
  warnings: 'archive warnings',
  categories: 'categories',
  genres: 'genres',
  fandoms: 'fandoms',
  relationships: 'relationships',
  characters: 'characters',
  tags: 'tags',
  language: 'language',
  description: 'description',
  summary: 'summary',
  title: 'title',
  cover_artist_name: "artist's name",
  cover_artist_url: "artist's page",
  cover_source_url: 'artwork link',
  original_author: 'original author',
  source_url: 'source URL',
};
