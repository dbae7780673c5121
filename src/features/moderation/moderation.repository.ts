import type { Db, ReportKind } from '../../db/schema.ts';

export type AuditEntry = { actor_id: number | null; action: string; target_kind: string; target_id: number | null; detail: string };

/** Every moderation and admin action is written here, in the transaction that makes it. */
export async function audit(db: Db, entry: AuditEntry, now: number) {
  await db
    .insertInto('audit_log')
    .values({ ...entry, created_at: now })
    .execute();
}

export function auditPage(db: Db, beforeId: number | null, limit: number) {
  return db
    .selectFrom('audit_log')
    .leftJoin('users', 'users.id', 'audit_log.actor_id')
    .select([
      'audit_log.id',
      'audit_log.action',
      'audit_log.target_kind',
      'audit_log.target_id',
      'audit_log.detail',
      'audit_log.created_at',
      'users.username as actor_username',
    ])
    .$if(beforeId !== null, (q) => q.where('audit_log.id', '<', beforeId as number))
    .orderBy('audit_log.id', 'desc')
    .limit(limit)
    .execute();
}

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
