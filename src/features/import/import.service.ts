import { basename, extname } from 'node:path';
import type { Context } from '../../context.ts';
import { badRequest } from '../../errors.ts';
import type { ChapterInput } from '../chapters/chapters.schema.ts';
import { insertChapter } from '../chapters/chapters.service.ts';
import type { StoryInput } from '../stories/stories.schema.ts';
import { insertNewStory } from '../stories/stories.service.ts';
import { parseStoryPage, StoryPageError } from './storypage.parser.ts';

export type ImportOptions = { title?: string | undefined; filename?: string | undefined; publish: boolean };

/** "fimfiction-story-page.txt" → "Fimfiction story page": the page has no title line of its own. */
export function titleFromFilename(filename: string): string {
  const stem = basename(filename, extname(filename)).replace(/[-_]+/g, ' ').replace(/\s+/g, ' ').trim();
  return stem ? stem[0]?.toUpperCase() + stem.slice(1) : '';
}

/** Imports a story page as a new story with one chapter, in one transaction: all of it or none. */
export async function importStoryPage(ctx: Context, authorId: number, bytes: Buffer, options: ImportOptions): Promise<number> {
  let page: ReturnType<typeof parseStoryPage>;
  try {
    page = parseStoryPage(bytes);
  } catch (error) {
    if (error instanceof StoryPageError) throw badRequest(error.message, { file: error.message });
    throw error;
  }
  const title = (options.title?.trim() || titleFromFilename(options.filename ?? '') || 'Untitled story').slice(0, 200);
  const story: StoryInput = {
    title,
    summary: page.description.split('\n')[0]?.slice(0, 300) ?? '',
    description: page.description,
    description_format: 'text',
    rating: 'everyone',
    status: 'incomplete',
    tags: [],
    cover_artist_name: page.cover?.artistName ?? '',
    cover_artist_url: page.cover?.artistUrl ?? '',
    cover_source_url: page.cover?.sourceUrl ?? '',
    remove_cover: false,
  };
  const chapter: ChapterInput = {
    title,
    format: 'text',
    body: page.body,
    note_before: '',
    note_after: page.noteAfter,
    action: options.publish ? 'publish' : 'draft',
  };
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const id = await insertNewStory(trx, authorId, story, null, now);
    await insertChapter(trx, id, chapter, now);
    return id;
  });
}
