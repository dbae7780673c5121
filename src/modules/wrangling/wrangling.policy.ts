import type { Viewer } from '../../kernel/web/viewer.ts';

/** Moderators and admins wrangle tags. */
export const canWrangle = (viewer: Viewer | null): boolean => viewer?.role === 'moderator' || viewer?.role === 'admin';

/** The genre list is the archive's own vocabulary: admins alone change it. */
export const canEditGenres = (viewer: Viewer | null): viewer is Viewer => viewer?.role === 'admin';
