/** Runs `work` now and then every `intervalMs` without keeping the process alive; returns the function that stops it. */
export function every(intervalMs: number, work: () => Promise<unknown>, onError: (error: unknown) => void = () => {}) {
  const run = () => void work().catch(onError);
  run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
