/** A small seeded generator (mulberry32): the same seed gives the same archive on every machine. */
export type Random = ReturnType<typeof seeded>;

export function seeded(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  // Cumulative Zipf weights per list length, made once.
  const zipfTables = new Map<number, Float64Array>();
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
    weighted: <T>(choices: readonly [T, number][]): T => {
      let left = next() * choices.reduce((sum, [, weight]) => sum + weight, 0);
      for (const [value, weight] of choices) {
        left -= weight;
        if (left < 0) return value;
      }
      return (choices.at(-1) as [T, number])[0];
    },
    /** An index in [0, n), the first most likely: rank r has weight 1 / (r + 1)^1.07. */
    zipf(n: number): number {
      let table = zipfTables.get(n);
      if (!table) {
        table = new Float64Array(n);
        let sum = 0;
        for (let r = 0; r < n; r++) table[r] = sum += 1 / (r + 1) ** 1.07;
        zipfTables.set(n, table);
      }
      const target = next() * (table[n - 1] as number);
      let lo = 0;
      let hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((table[mid] as number) < target) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    },
    lognormal(mu: number, sigma: number): number {
      const u = 1 - next();
      const v = next();
      return Math.exp(mu + sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
    },
  };
}
