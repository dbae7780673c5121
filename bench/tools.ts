// What both benchmarks share: wrk as the load (a separate process, 127.0.0.1 only, bounded in
// time), starting the compiled archive, and logging in through the forms as a reader would.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);

export type Result = { rps: number; p50: number; p95: number; p99: number };

// wrk's own summary leaves out the 95th percentile; its Lua hook prints the ones we report, in µs.
const PERCENTILES = join(mkdtempSync(join(tmpdir(), 'oak-wrk-')), 'percentiles.lua');
writeFileSync(
  PERCENTILES,
  'done = function(summary, latency, requests)\n  io.write(string.format("P50 %d\\nP95 %d\\nP99 %d\\n", latency:percentile(50), latency:percentile(95), latency:percentile(99)))\nend\n',
);

export function wrk(url: string, connections: number, headers: string[] = [], seconds = SECONDS): Result {
  const args = [
    '-t1',
    `-c${connections}`,
    `-d${seconds}s`,
    '--timeout',
    '10s',
    '-s',
    PERCENTILES,
    ...headers.flatMap((h) => ['-H', h]),
    url,
  ];
  const out = execFileSync('wrk', args, { encoding: 'utf8' });
  if (/Non-2xx|Socket errors/.test(out)) throw new Error(`wrk reported errors for ${url}:\n${out}`);
  const micros = (name: string) => Number(new RegExp(`${name} (\\d+)`).exec(out)?.[1]) / 1000;
  return { rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]), p50: micros('P50'), p95: micros('P95'), p99: micros('P99') };
}

/** The environment the benchmarked archive runs with: its own data directory and database, any free port, quiet logs. */
export const archiveEnv = (dataDir: string, databaseUrl: string): NodeJS.ProcessEnv => ({
  ...process.env,
  DATA_DIR: dataDir,
  DATABASE_URL: databaseUrl,
  PORT: '0',
  LOG_LEVEL: 'warn',
  SESSION_SECRET: 'b'.repeat(40),
});

/** Starts a process and resolves with it and the first line it prints. */
export function start(command: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise<{ child: ChildProcess; line: string }>((resolve, reject) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', (line) => resolve({ child, line }));
    child.once('exit', (code) => reject(new Error(`${command} exited with ${code}`)));
  });
}

export const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;

/** Logs in through the forms and returns the cookie header to send. */
export async function logIn(base: string, username: string, password: string): Promise<string> {
  const page = await fetch(`${base}/login`);
  const cookies = page.headers.getSetCookie().map((c) => c.split(';')[0]);
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const body = new URLSearchParams({ _csrf: token, username, password });
  const response = await fetch(`${base}/login`, {
    method: 'POST',
    body,
    redirect: 'manual',
    headers: { cookie: cookies.join('; '), 'content-type': 'application/x-www-form-urlencoded' },
  });
  const session = response.headers
    .getSetCookie()
    .find((c) => c.startsWith('oak_session='))
    ?.split(';')[0];
  if (!session) throw new Error(`log-in failed: ${response.status}`);
  // A browser keeps the CSRF secret the next page sets (log-in dropped the old one).
  const next = await fetch(`${base}/`, { headers: { cookie: session } });
  const secret = next.headers
    .getSetCookie()
    .find((c) => c.startsWith('_csrf='))
    ?.split(';')[0];
  return [session, secret].filter(Boolean).join('; ');
}

/** p50 and p95 of `runs` sequential calls, in ms. */
export async function timeCalls(runs: number, call: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const began = performance.now();
    await call();
    times.push(performance.now() - began);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(runs * 0.5)] ?? 0, p95: times[Math.floor(runs * 0.95)] ?? 0 };
}
