import { describe, expect, it } from 'vitest';
import { postgresChangeFeed } from '../src/kernel/db/change-feed.ts';
import { urlFor } from './postgres.ts';

describe.runIf(process.env.DATABASE_URL)('the PostgreSQL change feed', () => {
  it('retries a database it cannot reach with one attempt at a time, backing off', async () => {
    // A database that does not exist (dropped under a running server): every attempt fails.
    const url = urlFor(process.env.DATABASE_URL ?? '', 'oak_no_such_database');
    const failures: number[] = [];
    const start = performance.now();
    const feed = await postgresChangeFeed(url, () => failures.push(performance.now() - start));
    await new Promise((resolve) => setTimeout(resolve, 4000));
    await feed.close();
    // Attempts at 0, 0.5, 1.5 and 3.5 s: four. Two retries per failure would have made fifteen.
    expect(failures.length).toBeGreaterThanOrEqual(3);
    expect(failures.length).toBeLessThanOrEqual(5);
    expect(feed.version('lists')).toMatch(/^offline\./);
  });
});
