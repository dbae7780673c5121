import { lockedForWrite } from '../db/dialect-sql.ts';
import type { Db } from '../db/schema.ts';

export type NewJob = { kind: string; payload: unknown; runAt: number; uniqueKey?: string; maxAttempts: number };
export type ClaimedJob = { id: number; kind: string; payload: string; attempts: number; max_attempts: number };

/** Adds a job; one with a unique key that is already waiting is not added twice. */
export async function insertJob(db: Db, job: NewJob, now: number): Promise<void> {
  await db
    .insertInto('jobs')
    .values({
      kind: job.kind,
      payload: JSON.stringify(job.payload),
      unique_key: job.uniqueKey ?? null,
      run_at: job.runAt,
      max_attempts: job.maxAttempts,
      locked_by: null,
      locked_until: null,
      last_error: null,
      dead_at: null,
      created_at: now,
    })
    .onConflict((oc) => oc.column('unique_key').doNothing())
    .execute();
}

/**
 * Leases up to `limit` due jobs to one worker until `leaseUntil`, counting the attempt. PostgreSQL
 * skips rows another worker is claiming (FOR UPDATE SKIP LOCKED); SQLite runs one write at a time.
 * A claimed job gives up its unique key, so the same work asked for again while it runs is queued.
 */
export async function claimJobs(db: Db, worker: string, now: number, leaseUntil: number, limit: number): Promise<ClaimedJob[]> {
  return db
    .updateTable('jobs')
    .set((eb) => ({ locked_by: worker, locked_until: leaseUntil, attempts: eb('attempts', '+', 1), unique_key: null }))
    .where('id', 'in', (eb) =>
      lockedForWrite(
        db,
        eb
          .selectFrom('jobs')
          .select('id')
          .where('dead_at', 'is', null)
          .where('run_at', '<=', now)
          .where((w) => w.or([w('locked_until', 'is', null), w('locked_until', '<', now)]))
          .orderBy('run_at')
          .orderBy('id')
          .limit(limit),
        'skip',
      ),
    )
    .returning(['id', 'kind', 'payload', 'attempts', 'max_attempts'])
    .execute();
}

/** A finished job is gone; only the worker holding it may remove it. */
export async function deleteJob(db: Db, id: number, worker: string) {
  await db.deleteFrom('jobs').where('id', '=', id).where('locked_by', '=', worker).execute();
}

/** A failed job waits until `runAt`, or stays dead (`runAt` null) with its last error. */
export async function failJob(db: Db, id: number, worker: string, error: string, runAt: number | null, now: number) {
  await db
    .updateTable('jobs')
    .set({
      last_error: error.slice(0, 2000),
      locked_by: null,
      locked_until: null,
      ...(runAt === null ? { dead_at: now } : { run_at: runAt }),
    })
    .where('id', '=', id)
    .where('locked_by', '=', worker)
    .execute();
}

export function deadJobs(db: Db, limit: number) {
  return db
    .selectFrom('jobs')
    .select(['id', 'kind', 'payload', 'attempts', 'last_error', 'dead_at', 'created_at'])
    .where('dead_at', 'is not', null)
    .orderBy('dead_at', 'desc')
    .limit(limit)
    .execute();
}

export async function countJobs(db: Db) {
  const row = await db
    .selectFrom('jobs')
    .select((eb) => [
      eb.fn.countAll<number>().filterWhere('dead_at', 'is', null).as('waiting'),
      eb.fn.countAll<number>().filterWhere('dead_at', 'is not', null).as('dead'),
    ])
    .executeTakeFirstOrThrow();
  return { waiting: Number(row.waiting), dead: Number(row.dead) };
}

/** Puts a dead job back in the queue with fresh attempts. */
export async function retryDeadJob(db: Db, id: number, now: number) {
  const result = await db
    .updateTable('jobs')
    .set({ dead_at: null, attempts: 0, run_at: now })
    .where('id', '=', id)
    .where('dead_at', 'is not', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
