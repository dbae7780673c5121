import type { KvKey, KvStore, KvStoreSetOptions, MessageQueue, MessageQueueEnqueueOptions } from '@fedify/fedify';
import type { Context } from '../../kernel/context.ts';
import { enqueue } from '../../kernel/jobs/jobs.ts';

/** Fedify's caches and idempotence keys, in the archive's own database, shared by every process. */
export function databaseKvStore(ctx: Context): KvStore {
  return {
    async get<T>(key: KvKey) {
      const row = await ctx.db
        .selectFrom('federation_kv')
        .select(['value', 'expires_at'])
        .where('key', '=', JSON.stringify(key))
        .executeTakeFirst();
      if (!row || (row.expires_at !== null && row.expires_at <= ctx.clock.now())) return undefined;
      return JSON.parse(row.value) as T;
    },
    async set(key: KvKey, value: unknown, options?: KvStoreSetOptions) {
      const row = {
        key: JSON.stringify(key),
        value: JSON.stringify(value),
        expires_at: options?.ttl ? ctx.clock.now() + options.ttl.total('millisecond') : null,
      };
      await ctx.db
        .insertInto('federation_kv')
        .values(row)
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: row.value, expires_at: row.expires_at }))
        .execute();
    },
    async delete(key: KvKey) {
      await ctx.db.deleteFrom('federation_kv').where('key', '=', JSON.stringify(key)).execute();
    },
  };
}

/**
 * Fedify's deliveries and inbox work as jobs of the archive's own queue, so `oak serve` or any
 * `oak worker` does them, with the queue's leases and dead jobs. Fedify retries a failed delivery
 * itself by queueing it again later; `run` hands one message to the listener Fedify registered.
 */
export type JobMessageQueue = MessageQueue & { run(message: unknown): Promise<void> };

export function jobMessageQueue(ctx: Context, start: () => void): JobMessageQueue {
  let listener: ((message: unknown) => Promise<void> | void) | null = null;
  return {
    async enqueue(message: unknown, options?: MessageQueueEnqueueOptions) {
      const now = ctx.clock.now();
      const delay = options?.delay ? Math.max(0, options.delay.total('millisecond')) : 0;
      await enqueue(ctx.db, now, 'federation.task', { message }, { runAt: now + delay, maxAttempts: 3 });
    },
    listen(handler, options) {
      listener = handler;
      return new Promise<void>((resolve) => options?.signal?.addEventListener('abort', () => resolve()));
    },
    async run(message) {
      if (!listener) start();
      if (!listener) throw new Error('The federation queue has no listener.');
      await listener(message);
    },
  };
}
