import type { Db } from '../../kernel/db/schema.ts';

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
