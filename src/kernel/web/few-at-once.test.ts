import { describe, expect, it } from 'vitest';
import { fewAtOnce } from './few-at-once.ts';

describe('fewAtOnce', () => {
  it('runs at most the limit at a time, in the order they came, and every one to the end', async () => {
    const limited = fewAtOnce(3);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const task = (n: number) =>
      limited(async () => {
        running++;
        most = Math.max(most, running);
        order.push(n);
        await new Promise((resolve) => setTimeout(resolve, 5 + (n % 3)));
        running--;
        if (n === 4) throw new Error('one fails');
        return n;
      });
    const results = await Promise.allSettled(Array.from({ length: 12 }, (_, n) => task(n)));
    expect(most).toBe(3);
    expect(order).toEqual(Array.from({ length: 12 }, (_, n) => n));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(11);
    // The failed one gave its place back: a next task runs at once.
    expect(await task(20)).toBe(20);
  });
});
