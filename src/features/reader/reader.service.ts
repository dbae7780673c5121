import type { Context } from '../../context.ts';
import { notFound } from '../../errors.ts';
import type { Viewer } from '../accounts/viewer.ts';
import * as chapters from '../chapters/chapters.repository.ts';
import { canViewChapter } from '../stories/stories.policy.ts';
import { storyPage } from '../stories/stories.service.ts';

/** A chapter with its story and the neighbours this viewer may read. Drafts exist only for their author. */
export async function readChapter(ctx: Context, viewer: Viewer | null, storyId: number, chapterId: number) {
  const { story, chapters: contents, canEdit } = await storyPage(ctx, viewer, storyId);
  const chapter = await chapters.findChapter(ctx.db, storyId, chapterId);
  if (!chapter || !canViewChapter(viewer, story, chapter)) throw notFound('Chapter');
  const index = contents.findIndex((c) => c.id === chapter.id);
  return {
    story,
    chapter,
    number: index + 1,
    contents,
    previous: contents[index - 1] ?? null,
    next: contents[index + 1] ?? null,
    canEdit,
  };
}
export type ChapterReading = Awaited<ReturnType<typeof readChapter>>;
