import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from './agent.ts';
import { createHarness, type Harness, testClock } from './harness.ts';

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
    for (let i = 0; i < 6; i++) {
      statuses.push((await a.submit('/login', '/login', { username: 'nobody', password: `guess-${i}` })).statusCode);
      statuses.push((await b.submit('/login', '/login', { username: 'nobody', password: `guess-${i}` })).statusCode);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(400));
    expect(statuses.slice(10)).toEqual([429, 429]);
  });
});
