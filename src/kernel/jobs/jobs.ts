import type { Db } from '../db/schema.ts';
import { insertJob } from './jobs.repository.ts';

/** Every kind of job and what it carries; src/job-handlers.ts says who does each. */
export type JobPayloads = {
  'mail.send': { to: string; subject: string; text: string };
  'notify.chapter': { chapterId: number; newStory: boolean };
  'notifications.mail': Record<string, never>;
  'notifications.digest': Record<string, never>;
  'account.export': { exportId: number };
  'federation.chapter': { chapterId: number };
  'federation.withdraw': { authorId: number; chapterIds: number[] };
  /** One of Fedify's queued tasks: a delivery, an inbox activity or a fan-out. */
  'federation.task': { message: unknown };
  /** The search index rebuilt from its sources (queued by migration 0026 on an archive with chapters). */
  'search.reindex': Record<string, never>;
};
export type JobKind = keyof JobPayloads;

const DEFAULT_ATTEMPTS = 8;

/**
 * Queues a job in the caller's transaction, so it exists exactly when the change that asked for it
 * does. `uniqueKey` keeps a single waiting copy of work that must not pile up.
 */
export async function enqueue<K extends JobKind>(
  db: Db,
  now: number,
  kind: K,
  payload: JobPayloads[K],
  options: { runAt?: number; uniqueKey?: string; maxAttempts?: number } = {},
): Promise<void> {
  await insertJob(
    db,
    {
      kind,
      payload,
      runAt: options.runAt ?? now,
      maxAttempts: options.maxAttempts ?? DEFAULT_ATTEMPTS,
      ...(options.uniqueKey ? { uniqueKey: options.uniqueKey } : {}),
    },
    now,
  );
}

/** Waits 30 s after a first failure, doubling each time, at most six hours. */
export function backoffMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 6 * 60 * 60 * 1000);
}
