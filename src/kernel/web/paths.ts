import { slugify } from '../text/slug.ts';

/** What a story's address is made of: its id, and its title as a slug for people reading the URL. */
export type StoryRef = { id: number; slug: string };
export type ChapterRef = { id: number; title: string };

/** Every page address is built here, so links and routes agree. Ids come first: `/stories/12-goodbye`. */
export const storyPath = (story: StoryRef) => `/stories/${story.id}${story.slug ? `-${story.slug}` : ''}`;
export const chapterPath = (story: StoryRef, chapter: ChapterRef) => `${storyPath(story)}/chapters/${chapter.id}-${slugify(chapter.title)}`;
export const authorPath = (username: string) => `/users/${username}`;
export const tagPath = (tag: { id: number; name: string }) => `/tags/${tag.id}-${slugify(tag.name)}`;
export const coverPath = (key: string, size: 'full' | 'thumb') => `/media/covers/${key}${size === 'thumb' ? '-thumb' : ''}.webp`;
