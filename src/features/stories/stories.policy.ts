import type { Story } from '../../db/schema.ts';
import type { Viewer } from '../accounts/viewer.ts';

type StoryOwnership = Pick<Story, 'author_id'>;

/** Only the author, or an admin, may change a story and its chapters. */
export function canEditStory(viewer: Viewer | null, story: StoryOwnership): boolean {
  return viewer !== null && (viewer.id === story.author_id || viewer.role === 'admin');
}

/** A story with nothing published is a draft: only those who may edit it can see it. */
export function canViewStory(viewer: Viewer | null, story: StoryOwnership & Pick<Story, 'published_at'>): boolean {
  return story.published_at !== null || canEditStory(viewer, story);
}

export function canViewChapter(viewer: Viewer | null, story: StoryOwnership, chapter: { published_at: number | null }): boolean {
  return chapter.published_at !== null || canEditStory(viewer, story);
}
