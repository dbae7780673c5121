import type { Role } from '../../kernel/db/schema.ts';
import type { Viewer } from '../../kernel/web/viewer.ts';
import { isModerator } from '../stories/stories.policy.ts';

/** Moderators and admins take reports, hide stories and comments, and suspend accounts. */
export const canModerate = (viewer: Viewer | null): boolean => isModerator(viewer);

/** Whom a moderator may suspend: anyone but themselves and admins; another moderator only by an admin. */
export function canSuspend(moderator: Viewer | null, account: { id: number; role: Role }): boolean {
  if (!moderator || !canModerate(moderator) || account.id === moderator.id || account.role === 'admin') return false;
  return account.role !== 'moderator' || moderator.role === 'admin';
}
