import type { Context } from '../../kernel/context.ts';
import { lockStory } from '../../kernel/db/locks.ts';
import type { Chapter, Db } from '../../kernel/db/schema.ts';
import { notFound } from '../../kernel/errors.ts';
import { record, write } from '../../kernel/events/events.ts';
import type { SafeHtml } from '../../kernel/text/render.ts';
import type { Viewer } from '../../kernel/web/viewer.ts';
import { type EditableStory, listChapterHeadings, refreshStoryCounts, storyToEdit } from '../stories/stories.service.ts';
import * as chapters from './chapters.repository.ts';
import type { ChapterInput, Move } from './chapters.schema.ts';

/** Renders body and notes once, on save, through src/kernel/text in a worker, before any transaction opens. */
export async function chapterContent(ctx: Context, input: ChapterInput) {
  const { format } = input;
  const [body, before, after] = await ctx.renderer.render([
    { source: input.body, format },
    { source: input.note_before, format },
    { source: input.note_after, format },
  ]);
  return {
    title: input.title,
    format,
    body_source: input.body,
    body_html: body?.html ?? '',
    note_before_source: input.note_before,
    note_before_html: before?.html ?? '',
    note_after_source: input.note_after,
    note_after_html: after?.html ?? '',
    word_count: body?.words ?? 0,
    publish: input.action === 'publish',
  };
}

/** The chapter as it would be saved, and what in its text will not show as typed; nothing is written. */
export async function previewChapter(ctx: Context, input: ChapterInput) {
  const { format } = input;
  const [body, before, after] = await ctx.renderer.render([
    { source: input.body, format, notices: true },
    { source: input.note_before, format, notices: true },
    { source: input.note_after, format, notices: true },
  ]);
  const notices = [...new Set([body, before, after].flatMap((part) => part?.notices ?? []))];
  return {
    body: body?.html ?? ('' as SafeHtml),
    noteBefore: before?.html ?? ('' as SafeHtml),
    noteAfter: after?.html ?? ('' as SafeHtml),
    notices,
    words: body?.words ?? 0,
  };
}
export type ChapterContent = Awaited<ReturnType<typeof chapterContent>>;

/** Adds a chapter at the end. Runs in the caller's transaction so imports can add a story and chapter at once. */
export async function insertChapter(db: Db, storyId: number, { publish, ...content }: ChapterContent, now: number) {
  const { id, position } = await chapters.insertChapter(db, {
    ...content,
    story_id: storyId,
    created_at: now,
    updated_at: now,
    published_at: publish ? now : null,
  });
  const published = await refreshStoryCounts(db, storyId, now, publish);
  record(db, { type: 'chaptersChanged', storyId, chapterIds: [id] });
  if (publish) record(db, { type: 'chapterPublished', storyId, chapterId: id, newStory: published === 1 });
  return { id, position };
}

export async function addChapter(ctx: Context, story: EditableStory, input: ChapterInput) {
  const content = await chapterContent(ctx, input);
  return write(ctx, async (trx) => {
    await lockStory(trx, story.id);
    return insertChapter(trx, story.id, content, ctx.clock.now());
  });
}

/** A chapter of a story the viewer may edit: what every chapter write service takes. */
export type EditableChapter = { story: EditableStory; chapter: Chapter };

export async function chapterToEdit(ctx: Context, viewer: Viewer | null, storyId: number, chapterId: number): Promise<EditableChapter> {
  const story = await storyToEdit(ctx, viewer, storyId);
  const chapter = await chapters.findChapter(ctx.db, storyId, chapterId);
  if (!chapter) throw notFound('Chapter');
  return { story, chapter };
}

export async function editChapter(ctx: Context, { story, chapter }: EditableChapter, input: ChapterInput) {
  const [storyId, chapterId] = [story.id, chapter.id];
  const now = ctx.clock.now();
  const publishing = input.action === 'publish' && chapter.published_at === null;
  const { publish: _, ...content } = await chapterContent(ctx, input);
  await write(ctx, async (trx) => {
    await chapters.updateChapter(trx, chapterId, {
      ...content,
      updated_at: now,
      // "Save as draft" on a published chapter takes it back to draft.
      published_at: input.action === 'publish' ? (chapter.published_at ?? now) : null,
    });
    const published = await refreshStoryCounts(trx, storyId, now, publishing);
    record(trx, { type: 'chaptersChanged', storyId, chapterIds: [chapterId] });
    if (publishing) record(trx, { type: 'chapterPublished', storyId, chapterId, newStory: published === 1 });
  });
}

export async function deleteChapter(ctx: Context, { story, chapter }: EditableChapter) {
  await write(ctx, async (trx) => {
    await lockStory(trx, story.id);
    // The position read before the lock may have moved since.
    const current = await chapters.findChapter(trx, story.id, chapter.id);
    if (!current) return;
    await chapters.deleteChapter(trx, story.id, chapter.id, current.position);
    await refreshStoryCounts(trx, story.id, ctx.clock.now(), false);
    record(trx, { type: 'chaptersChanged', storyId: story.id, chapterIds: [] });
    if (current.published_at !== null) {
      record(trx, { type: 'chaptersWithdrawn', storyId: story.id, authorId: story.author_id, chapterIds: [chapter.id] });
    }
  });
}

/** Moves a chapter one place, or to a position; returns where it ended up (1 is first). */
export async function moveChapter(ctx: Context, { story, chapter }: EditableChapter, move: Move): Promise<number> {
  return write(ctx, async (trx) => {
    await lockStory(trx, story.id);
    record(trx, { type: 'chaptersChanged', storyId: story.id, chapterIds: [] });
    const ids = (await listChapterHeadings(trx, story.id)).map((c) => c.id);
    const from = ids.indexOf(chapter.id);
    if (from < 0) throw notFound('Chapter');
    const wanted = 'direction' in move ? from + (move.direction === 'up' ? -1 : 1) : move.position - 1;
    const to = Math.min(Math.max(wanted, 0), ids.length - 1);
    if (to !== from) {
      ids.splice(from, 1);
      ids.splice(to, 0, chapter.id);
      await chapters.setOrder(trx, ids);
    }
    return to + 1;
  });
}

/** Where a chapter stands in its story now (1 is first), for the confirmation after a save. */
export async function positionOf(ctx: Context, { story, chapter }: EditableChapter): Promise<number> {
  return (await chapters.findChapter(ctx.db, story.id, chapter.id))?.position ?? chapter.position;
}
