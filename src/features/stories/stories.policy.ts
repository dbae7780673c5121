import type { Story } from '../../db/schema.ts';
import type { Viewer } from '../accounts/viewer.ts';

type StoryOwnership = Pick<Story, 'author_id'>;

/** Only the author, or an admin, may change a story and its chapters. */
export function canEditStory(viewer: Viewer | null, story: StoryOwnership): boolean {
  return viewer !== null && (viewer.id === story.author_id || viewer.role === 'admin');
}

export const isModerator = (viewer: Viewer | null) => viewer?.role === 'moderator' || viewer?.role === 'admin';

/**
 * A story with nothing published is a draft: only those who may edit it can see it. A story a
 * moderator hid is seen by its author (with a notice) and by moderators, who may restore it.
 */
export function canViewStory(viewer: Viewer | null, story: StoryOwnership & Pick<Story, 'published_at' | 'hidden_at'>): boolean {
  if (canEditStory(viewer, story)) return true;
  return story.published_at !== null && (story.hidden_at === null || isModerator(viewer));
}

export function canViewChapter(viewer: Viewer | null, story: StoryOwnership, chapter: { published_at: number | null }): boolean {
  return chapter.published_at !== null || canEditStory(viewer, story);
}
