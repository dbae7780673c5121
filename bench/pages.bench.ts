// The chapter page under a crowd, against a ceiling measured in the same run: a bare Node http
// server sending the same bytes. Load comes from wrk (Debian's), a separate process, to 127.0.0.1
// only; every run is bounded in time. The archive runs as `npm start` runs it: compiled, one process.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContext } from '../src/archive.ts';
import { loadConfig } from '../src/kernel/config.ts';
import { createTemplateDatabase, dropDatabase, urlFor } from '../test/postgres.ts';
import { seed } from './seed.ts';
import { archiveEnv, logIn, type Result, rssMb, SECONDS, start, wrk } from './tools.ts';

const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '64,256').split(',').map(Number);
const ROOT = new URL('../', import.meta.url).pathname;
const dialects = process.env.DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];

async function ceiling(bytes: Buffer, connections: number): Promise<Result> {
  const file = join(mkdtempSync(join(tmpdir(), 'oak-ceiling-')), 'page.html');
  writeFileSync(file, bytes);
  const { child, line } = await start(process.execPath, [join(ROOT, 'bench/ceiling.mjs'), file]);
  try {
    wrk(`http://127.0.0.1:${line}/`, connections); // warm-up
    return wrk(`http://127.0.0.1:${line}/`, connections);
  } finally {
    child.kill('SIGTERM');
  }
}

const rows: string[] = [];
const checks: string[] = [];
execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs')]);

for (const dialect of dialects) {
  const dataDir = mkdtempSync(join(tmpdir(), 'oak-bench-'));
  const database = `oak_bench_${process.pid}`;
  const databaseUrl = dialect === 'postgres' ? urlFor(process.env.DATABASE_URL ?? '', database) : '';
  if (databaseUrl) await createTemplateDatabase(process.env.DATABASE_URL ?? '', database);
  const env = archiveEnv(dataDir, databaseUrl);
  const ctx = await createContext(loadConfig(env));
  const chapter = await seed(ctx, 60, 3);
  await ctx.close();

  const began = performance.now();
  const { child: server, line } = await start(process.execPath, [join(ROOT, 'dist/main.js'), 'serve'], env);
  const startMs = performance.now() - began;
  const base = `http://127.0.0.1:${/:(\d+)/.exec(line)?.[1]}`;
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const idleRss = rssMb(server.pid as number);
  try {
    const url = `${base}${chapter}`;
    const cookie = await logIn(base, 'reader', 'reader password');
    const pages = [
      { name: 'chapter, anonymous', headers: [] as string[] },
      { name: 'chapter, logged in', headers: [`Cookie: ${cookie}`] },
    ];
    for (const page of pages) {
      const bytes = Buffer.from(
        await (await fetch(url, { headers: Object.fromEntries(page.headers.map((h) => h.split(': '))) })).arrayBuffer(),
      );
      for (const connections of CONNECTIONS) {
        wrk(url, connections, page.headers); // warm-up
        const ours = wrk(url, connections, page.headers);
        const top = await ceiling(bytes, connections);
        const ratio = ours.rps / top.rps;
        rows.push(
          `| ${dialect} | ${page.name} | ${connections} | ${bytes.length} | ${ours.rps.toFixed(0)} | ${top.rps.toFixed(0)} | ${(ratio * 100).toFixed(0)}% | ${ours.p50.toFixed(2)} / ${ours.p99.toFixed(2)} | ${top.p50.toFixed(2)} / ${top.p99.toFixed(2)} |`,
        );
        const anonymous = page.headers.length === 0;
        if (connections === 64 && anonymous) {
          checks.push(
            `${dialect} anonymous, 64: ${(ratio * 100).toFixed(0)}% of the ceiling (target ≥ 30%), p99 ${(ours.p99 / top.p99).toFixed(1)}× the ceiling's (target ≤ 3×)`,
          );
        }
        if (connections === 64 && !anonymous)
          checks.push(`${dialect} logged in, 64: ${(ratio * 100).toFixed(0)}% of the ceiling (target ≥ 10%)`);
        if (connections === 256 && anonymous) checks.push(`${dialect} anonymous, 256: p99 ${ours.p99.toFixed(0)} ms (target < 250 ms)`);
        checks.push(`ceiling ${connections} connections: ${top.rps.toFixed(0)} req/s`);
      }
    }
    checks.push(
      `${dialect}: start to first line ${startMs.toFixed(0)} ms; idle RSS ${idleRss.toFixed(0)} MB (target < 150 MB); RSS after load ${rssMb(server.pid as number).toFixed(0)} MB`,
    );
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    if (databaseUrl) await dropDatabase(process.env.DATABASE_URL ?? '', database);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

console.log(`Golden Oak chapter page vs. a bare Node http server sending the same bytes (wrk -t1, ${SECONDS} s per run, loopback)\n`);
console.log(
  '| database | page | connections | bytes | ours req/s | ceiling req/s | ours / ceiling | ours p50 / p99 ms | ceiling p50 / p99 ms |',
);
console.log('|---|---|---|---|---|---|---|---|---|');
for (const row of rows) console.log(row);
console.log('');
for (const check of checks) console.log(`- ${check}`);
