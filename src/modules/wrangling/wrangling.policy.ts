import type { Viewer } from '../../kernel/web/viewer.ts';

/** Moderators and admins wrangle tags. */
export const canWrangle = (viewer: Viewer | null): boolean => viewer?.role === 'moderator' || viewer?.role === 'admin';
