import type { Context } from '../../kernel/context.ts';
import { AppError, notFound } from '../../kernel/errors.ts';
import type { Viewer } from '../../kernel/web/viewer.ts';
import { canViewStory } from '../stories/stories.policy.ts';
import { findStory } from '../stories/stories.service.ts';
import * as progress from './progress.repository.ts';

export type { HistoryRow } from './progress.repository.ts';

/** Scrolled this far (in thousandths), a chapter counts as read. */
const READ_AT = 950;
const HISTORY_LIMIT = 200;

/** A chapter page was opened: the reader's place moves to it (kept where it was, if it is the same chapter). */
export async function recordVisit(ctx: Context, viewer: Viewer, storyId: number, chapterId: number) {
  await progress.savePlace(ctx.db, { user_id: viewer.id, story_id: storyId, chapter_id: chapterId, position: null, now: ctx.clock.now() });
}

/** The reading script reports how far into a chapter the reader is; near the end marks it read. */
export async function savePosition(ctx: Context, viewer: Viewer, input: { storyId: number; chapterId: number; position: number }) {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    await progress.savePlace(trx, {
      user_id: viewer.id,
      story_id: input.storyId,
      chapter_id: input.chapterId,
      position: input.position,
      now,
    });
    const saved = await progress.placeIn(trx, viewer.id, input.storyId);
    if (!saved || saved.chapter_id !== input.chapterId) throw notFound('Chapter');
    if (input.position >= READ_AT) await progress.markChapterRead(trx, viewer.id, input.storyId, input.chapterId, now);
  });
}

/** `position` in thousandths of the chapter; `percent` rounded for people. */
export type Place = { chapterId: number; chapterNumber: number; chapterTitle: string; position: number; percent: number };

/** Where the reader is in a story, or null. */
export async function placeIn(ctx: Context, viewer: Viewer | null, storyId: number): Promise<Place | null> {
  if (!viewer) return null;
  const row = await progress.placeIn(ctx.db, viewer.id, storyId);
  return row
    ? {
        chapterId: row.chapter_id,
        chapterNumber: row.chapter_number,
        chapterTitle: row.chapter_title,
        position: row.position,
        percent: Math.round(row.position / 10),
      }
    : null;
}

/** What a signed-in reader's story page adds: their place and the chapters they have read (null when neither). */
export async function readingState(ctx: Context, viewer: Viewer | null, storyId: number) {
  if (!viewer) return null;
  const place = await placeIn(ctx, viewer, storyId);
  const read = await progress.readChapters(ctx.db, viewer.id, storyId);
  return place || read.size > 0 ? { place, read } : null;
}
export type ReadingState = Awaited<ReturnType<typeof readingState>>;

export async function setStoryRead(ctx: Context, viewer: Viewer, storyId: number, read: boolean) {
  const story = await findStory(ctx.db, storyId);
  if (!story || story.published_at === null || !canViewStory(viewer, story)) throw notFound('Story');
  if (read) await progress.markStoryRead(ctx.db, viewer.id, storyId, ctx.clock.now());
  else await progress.markStoryUnread(ctx.db, viewer.id, storyId);
  return story;
}

export const readingHistory = (ctx: Context, viewer: Viewer, q: string, limit = HISTORY_LIMIT) =>
  progress.history(ctx.db, viewer.id, q.slice(0, 200), limit);

export async function forgetHistory(ctx: Context, viewer: Viewer, storyId?: number) {
  await progress.forget(ctx.db, viewer.id, storyId);
}

/** A position from the script: a whole number of thousandths. */
export function parsePosition(body: unknown): { storyId: number; chapterId: number; position: number } {
  const { story, chapter, position } = (body ?? {}) as Record<string, unknown>;
  const whole = (value: unknown, max: number) =>
    Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= max ? (value as number) : null;
  const storyId = whole(story, 1e12);
  const chapterId = whole(chapter, 1e12);
  const at = whole(position, 1000);
  if (!storyId || !chapterId || at === null) throw new AppError(400, 'Send story and chapter ids and a position from 0 to 1000.');
  return { storyId, chapterId, position: at };
}
