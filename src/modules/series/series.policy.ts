import type { Viewer } from '../../kernel/web/viewer.ts';

/** A series is its owner's to arrange (or an admin's); each part still shows only to those who may read it. */
export function canManageSeries(viewer: Viewer | null, series: { owner_id: number }): viewer is Viewer {
  return viewer !== null && (viewer.id === series.owner_id || viewer.role === 'admin');
}
