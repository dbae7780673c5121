/**
 * Runs at most `limit` of the given tasks at a time; the rest wait in line, in order, holding
 * nothing (no database connection) while they wait. A finished task hands its place straight to
 * the next in line, so no newcomer slips in between.
 */
export function fewAtOnce(limit: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(work: () => Promise<T>): Promise<T> => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else running++;
    try {
      return await work();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}
