import { randomBytes } from 'node:crypto';
import type { Context } from '../context.ts';
import { claimJobs, deleteJob, failJob } from './jobs.repository.ts';
import { backoffMs } from './jobs.ts';

export type JobHandler = (ctx: Context, payload: never) => Promise<void>;
export type JobHandlers = Record<string, JobHandler>;

/** How long a worker holds a job before another may take it (a crashed worker's jobs come back). */
const LEASE_MS = 5 * 60 * 1000;
const BATCH = 10;

export type Worker = {
  /** Runs the jobs due now, a batch at a time, until none is left; returns how many ran. */
  drain(): Promise<number>;
  /** Drains now and whenever `pollMs` passes; returns the function that stops it (after the job in hand). */
  start(pollMs: number, onError: (error: unknown) => void): () => Promise<void>;
};

/**
 * A worker takes due jobs from the queue and runs each with its kind's handler. Several workers, in
 * one process or many, share the queue without running a job twice. A job that throws is tried
 * again later (backoffMs) until its attempts are spent; then it stays in the table, dead.
 */
export function createWorker(ctx: Context, handlers: JobHandlers, name = `worker-${randomBytes(4).toString('hex')}`): Worker {
  async function runBatch(): Promise<number> {
    const now = ctx.clock.now();
    const jobs = await claimJobs(ctx.db, name, now, now + LEASE_MS, BATCH);
    for (const job of jobs) {
      try {
        const handler = handlers[job.kind];
        if (!handler) throw new Error(`No handler for jobs of kind ${job.kind}`);
        await handler(ctx, JSON.parse(job.payload) as never);
        await deleteJob(ctx.db, job.id, name);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const at = ctx.clock.now();
        const retryAt = job.attempts < job.max_attempts ? at + backoffMs(job.attempts) : null;
        await failJob(ctx.db, job.id, name, message, retryAt, at);
      }
    }
    return jobs.length;
  }
  async function drain() {
    let total = 0;
    for (let ran = await runBatch(); ran > 0; ran = await runBatch()) total += ran;
    return total;
  }
  return {
    drain,
    start(pollMs, onError) {
      let stopped = false;
      let timer: NodeJS.Timeout | undefined;
      let running: Promise<unknown> = Promise.resolve();
      const tick = () => {
        running = drain()
          .catch(onError)
          .finally(() => {
            if (!stopped) timer = setTimeout(tick, pollMs);
          });
      };
      tick();
      return async () => {
        stopped = true;
        clearTimeout(timer);
        await running;
      };
    },
  };
}
