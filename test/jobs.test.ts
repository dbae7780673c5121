import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../src/archive.ts';
import type { Context } from '../src/kernel/context.ts';
import { backoffMs, enqueue } from '../src/kernel/jobs/jobs.ts';
import { createWorker } from '../src/kernel/jobs/jobs.worker.ts';
import { createHarness, dialects, type Harness, testClock } from './harness.ts';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(dialects)('the job queue on %s', (dialect) => {
  let h: Harness;
  /** A second connection pool on the same database, as a second process would have. */
  let other: Context;
  const clock = testClock();
  beforeAll(async () => {
    h = await createHarness(dialect, clock);
    other = dialect === 'postgres' ? await createContext(h.ctx.config, { clock }) : h.ctx;
  });
  afterAll(async () => {
    if (other !== h.ctx) await other.close();
    await h.close();
  });

  it('runs each of many jobs exactly once under two workers draining at the same time', async () => {
    const now = clock.now();
    for (let i = 0; i < 60; i++) await enqueue(h.ctx.db, now, 'mail.send', { to: `r${i}@example.org`, subject: String(i), text: '' });
    const ran: { worker: string; subject: string }[] = [];
    const handler = (worker: string) => async (_ctx: Context, payload: { subject: string }) => {
      ran.push({ worker, subject: payload.subject });
      // Yield while holding the job, so the other worker claims in between.
      await pause(2);
    };
    const first = createWorker(h.ctx, { 'mail.send': handler('first') as never }, 'first');
    const second = createWorker(other, { 'mail.send': handler('second') as never }, 'second');
    const [a, b] = await Promise.all([first.drain(), second.drain()]);
    expect(a + b).toBe(60);
    expect(new Set(ran.map((run) => run.subject)).size).toBe(60);
    expect(ran).toHaveLength(60);
    // Both took a share (on SQLite one writer at a time, but both still claim batches in turn).
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(0);
    expect(await h.ctx.db.selectFrom('jobs').select('id').execute()).toHaveLength(0);
  });

  it('retries a failing job with growing waits, then keeps it dead with its error', async () => {
    await enqueue(h.ctx.db, clock.now(), 'mail.send', { to: 'x@example.org', subject: 'fails', text: '' }, { maxAttempts: 3 });
    let calls = 0;
    const worker = createWorker(h.ctx, {
      'mail.send': async () => {
        calls++;
        throw new Error(`refused ${calls}`);
      },
    });
    expect(await worker.drain()).toBe(1);
    const job = () => h.ctx.db.selectFrom('jobs').selectAll().executeTakeFirstOrThrow();
    let row = await job();
    expect(row.attempts).toBe(1);
    expect(row.last_error).toBe('refused 1');
    expect(row.run_at).toBe(clock.now() + backoffMs(1));
    // Not due yet: nothing runs.
    expect(await worker.drain()).toBe(0);
    clock.advance(backoffMs(1));
    await worker.drain();
    row = await job();
    expect(row.attempts).toBe(2);
    expect(row.run_at - clock.now()).toBe(backoffMs(2));
    expect(backoffMs(2)).toBe(2 * backoffMs(1));
    clock.advance(backoffMs(2));
    await worker.drain();
    row = await job();
    expect(row.dead_at).toBe(clock.now());
    expect(row.last_error).toBe('refused 3');
    // Dead jobs stay for inspection and never run again.
    clock.advance(24 * 60 * 60 * 1000);
    expect(await worker.drain()).toBe(0);
    expect(calls).toBe(3);
    await h.ctx.db.deleteFrom('jobs').execute();
  });

  it('gives a job held by a worker that died back to the queue when its lease runs out', async () => {
    await enqueue(h.ctx.db, clock.now(), 'mail.send', { to: 'y@example.org', subject: 'orphan', text: '' });
    // A worker claims the job and never finishes (its process died): simulated by a handler that never settles.
    const stuck = createWorker(h.ctx, { 'mail.send': () => new Promise(() => {}) }, 'stuck');
    void stuck.drain();
    await pause(50);
    const done: string[] = [];
    const rescuer = createWorker(h.ctx, {
      'mail.send': async (_ctx: Context, payload: { subject: string }) => {
        done.push(payload.subject);
      },
    } as never);
    expect(await rescuer.drain()).toBe(0);
    clock.advance(5 * 60 * 1000 + 1);
    expect(await rescuer.drain()).toBe(1);
    expect(done).toEqual(['orphan']);
  });

  it('keeps one waiting copy of a job with a unique key', async () => {
    for (let i = 0; i < 3; i++) await enqueue(h.ctx.db, clock.now(), 'notifications.mail', {}, { uniqueKey: 'notifications.mail' });
    expect(await h.ctx.db.selectFrom('jobs').select('id').where('kind', '=', 'notifications.mail').execute()).toHaveLength(1);
  });
});
