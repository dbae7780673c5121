import type { Context } from '../../kernel/context.ts';
import { notFound } from '../../kernel/errors.ts';
import type { Viewer } from '../../kernel/web/viewer.ts';
import { canEditStory, canViewChapter, canViewStory } from '../stories/stories.policy.ts';
import { chapterPlaces, findChapterWithStory } from './reader.repository.ts';

export { findChapterWithStory } from './reader.repository.ts';

/** A chapter with its story and the neighbours this viewer may read. Drafts exist only for their author. */
export async function readChapter(ctx: Context, viewer: Viewer | null, storyId: number, chapterId: number) {
  const chapter = await findChapterWithStory(ctx.db, storyId, chapterId);
  const story = chapter && {
    author_id: chapter.author_id,
    published_at: chapter.story_published_at,
    hidden_at: chapter.story_hidden_at,
    coauthors: chapter.coauthors,
  };
  if (!chapter || !story || !canViewStory(viewer, story) || !canViewChapter(viewer, story, chapter)) throw notFound('Chapter');
  const readable = (await chapterPlaces(ctx.db, storyId)).filter((place) => canViewChapter(viewer, story, place));
  const index = readable.findIndex((place) => place.id === chapter.id);
  return {
    story: { id: storyId, slug: chapter.story_slug },
    chapter,
    number: index + 1,
    total: readable.length,
    chapters: readable,
    previous: readable[index - 1] ?? null,
    next: readable[index + 1] ?? null,
    canEdit: canEditStory(viewer, story),
  };
}
export type ChapterReading = Awaited<ReturnType<typeof readChapter>>;
