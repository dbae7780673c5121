import type { Viewer } from '../../kernel/web/viewer.ts';

/** Anyone may delete their own account but the last admin, who would leave the archive with none. */
export function canDeleteOwnAccount(viewer: Viewer, admins: number): boolean {
  return viewer.role !== 'admin' || admins >= 2;
}
