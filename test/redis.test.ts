import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisWithFallback } from '../src/kernel/web/rate-limit-store.ts';
import { Agent } from './agent.ts';
import { createHarness, type Harness, testClock } from './harness.ts';
import { freePort } from './ports.ts';

const REDIS_URL = process.env.REDIS_URL;
if (process.env.CI === 'true' && !REDIS_URL) throw new Error('CI=true requires REDIS_URL: the shared rate-limit suite may not be skipped.');

describe.skipIf(!REDIS_URL)('several web processes sharing Redis', () => {
  let first: Harness;
  let second: Harness;
  beforeAll(async () => {
    // Two archives on one database, as two processes behind a load balancer would be.
    first = await createHarness('sqlite', testClock(), { REDIS_URL: REDIS_URL ?? '' });
    second = await createHarness('sqlite', testClock(), { REDIS_URL: REDIS_URL ?? '' });
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
  });

  it('count log-in attempts from one address together', async () => {
    // A fresh address per run, so counters left by an earlier run in the same minute do not count.
    const address = `10.${randomInt(1, 250)}.${randomInt(1, 250)}.${randomInt(1, 250)}`;
    const [a, b] = [new Agent(first.app, address), new Agent(second.app, address)];
    const statuses: number[] = [];
    // A name per try as well: the limit per account (also shared) must not answer for the one per address.
    for (let i = 0; i < 6; i++) {
      statuses.push((await a.submit('/login', '/login', { username: `nobody-${address}-a${i}`, password: 'guess' })).statusCode);
      statuses.push((await b.submit('/login', '/login', { username: `nobody-${address}-b${i}`, password: 'guess' })).statusCode);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(400));
    expect(statuses.slice(10)).toEqual([429, 429]);
  });
});

describe.skipIf(!REDIS_URL)('when Redis is configured but down', () => {
  let port: number;
  let h: Harness;
  let server: ReturnType<typeof spawn> | undefined;
  beforeAll(async () => {
    port = await freePort();
    h = await createHarness('sqlite', testClock(), { REDIS_URL: `redis://127.0.0.1:${port}` });
  });
  afterAll(async () => {
    server?.kill('SIGTERM');
    await h?.close();
  });

  it('limits at once in memory, with no request waiting on the dead connection', async () => {
    const agent = h.agent();
    const csrf = await agent.csrfFrom('/login');
    const statuses: number[] = [];
    const start = performance.now();
    for (let i = 0; i < 11; i++) {
      statuses.push((await agent.post('/login', { _csrf: csrf, username: 'nobody', password: `guess ${i}` })).statusCode);
    }
    expect(statuses).toEqual([...Array(10).fill(400), 429]);
    // Each attempt costs one argon2 check (~50 ms); before, each waited seconds for Redis.
    expect(performance.now() - start).toBeLessThan(3000);
  });

  it('warns once, and counts in Redis again when it returns', async () => {
    const warnings: string[] = [];
    const log = { warn: (message: string) => warnings.push(message) } as unknown as FastifyBaseLogger;
    const redis = new Redis(`redis://127.0.0.1:${port}`, { enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => 100 });
    try {
      const Store = redisWithFallback(redis, log);
      const store = new Store({ timeWindow: 60_000 } as never);
      const count = (key: string) =>
        new Promise<number>((resolve, reject) =>
          store.incr(key, (error, result) => (error ? reject(error) : resolve(result?.current ?? 0)), 60_000, 10),
        );
      expect([await count('a'), await count('a')]).toEqual([1, 2]);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain('Redis is unreachable');

      server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
        stdio: 'ignore',
      });
      for (let i = 0; i < 50 && redis.status !== 'ready'; i++) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(redis.status).toBe('ready');
      expect(warnings.at(-1)).toContain('Redis is back');
      expect(await count('b')).toBe(1);
      expect(await redis.get('oak-rate-limit:b')).toBe('1');
    } finally {
      redis.disconnect();
    }
  });
});
