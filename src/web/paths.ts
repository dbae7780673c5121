/** Every page address is built here, so links and routes agree. */
export const storyPath = (storyId: number) => `/stories/${storyId}`;
export const chapterPath = (storyId: number, chapterId: number) => `/stories/${storyId}/chapters/${chapterId}`;
export const authorPath = (username: string) => `/users/${username}`;
export const coverPath = (key: string, size: 'full' | 'thumb') => `/media/covers/${key}${size === 'thumb' ? '-thumb' : ''}.webp`;
