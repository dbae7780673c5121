import type { Story } from '../../kernel/db/schema.ts';
import type { Viewer } from '../../kernel/web/viewer.ts';

/** A story's author, and its accepted co-authors' ids joined by commas (stories.repository's `coauthors`). */
type StoryOwnership = Pick<Story, 'author_id'> & { coauthors?: string | null };

/** Everyone who writes the story: its author and its accepted co-authors. */
export const storyAuthors = (story: StoryOwnership): number[] => [story.author_id, ...(story.coauthors?.split(',').map(Number) ?? [])];

/** Whether the viewer accepted an invitation to co-author the story. */
export const isCoauthor = (viewer: Viewer | null, story: StoryOwnership) =>
  viewer !== null && Boolean(story.coauthors?.split(',').includes(String(viewer.id)));

/** Only the author, a co-author, or an admin, may change a story and its chapters. */
export function canEditStory(viewer: Viewer | null, story: StoryOwnership): boolean {
  return viewer !== null && (viewer.id === story.author_id || viewer.role === 'admin' || isCoauthor(viewer, story));
}

/**
 * What is the story's own author's alone (or an admin's): deleting it and choosing its co-authors.
 * Co-authors may edit a story, as on AO3, but not remove it or its other creators.
 */
export function canOwnStory(viewer: Viewer | null, story: StoryOwnership): viewer is Viewer {
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
