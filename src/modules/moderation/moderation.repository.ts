import type { Db, ReportKind } from '../../kernel/db/schema.ts';

export async function insertReport(
  db: Db,
  report: {
    reporter_id: number;
    target_kind: ReportKind;
    target_id: number;
    target_user_id: number | null;
    snapshot: string;
    reason: string;
    created_at: number;
  },
) {
  const row = await db.insertInto('reports').values(report).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export function openReports(db: Db, limit: number) {
  return db
    .selectFrom('reports')
    .leftJoin('users as reporter', 'reporter.id', 'reports.reporter_id')
    .leftJoin('users as target_user', 'target_user.id', 'reports.target_user_id')
    .select([
      'reports.id',
      'reports.target_kind',
      'reports.target_id',
      'reports.snapshot',
      'reports.reason',
      'reports.created_at',
      'reporter.username as reporter_username',
      'target_user.username as target_username',
      'target_user.suspended_until as target_suspended_until',
    ])
    .where('reports.resolved_at', 'is', null)
    .orderBy('reports.id')
    .limit(limit)
    .execute();
}
export type OpenReport = Awaited<ReturnType<typeof openReports>>[number];

export async function resolveReport(db: Db, id: number, moderatorId: number, resolution: string, now: number) {
  const result = await db
    .updateTable('reports')
    .set({ resolved_at: now, resolved_by: moderatorId, resolution })
    .where('id', '=', id)
    .where('resolved_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function setStoryHidden(db: Db, storyId: number, hiddenAt: number | null, reason: string) {
  const result = await db
    .updateTable('stories')
    .set({ hidden_at: hiddenAt, hidden_reason: reason })
    .where('id', '=', storyId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function setCommentHidden(db: Db, commentId: number, hiddenAt: number | null, reason: string) {
  const row = await db
    .updateTable('comments')
    .set({ hidden_at: hiddenAt, hidden_reason: reason })
    .where('id', '=', commentId)
    .returning('story_id')
    .executeTakeFirst();
  return row?.story_id ?? null;
}

export async function setSuspension(db: Db, userId: number, until: number | null, reason: string) {
  await db.updateTable('users').set({ suspended_until: until, suspension_reason: reason }).where('id', '=', userId).execute();
}
