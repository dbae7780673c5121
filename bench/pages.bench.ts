// Page throughput against a baseline measured in the same run: the same bytes served as static files.
// Load goes to 127.0.0.1 only, is bounded in time, and stops by itself.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);

type Servers = { archive: string; baseline: string; paths: Record<string, string>; bytes: Record<string, number> };

const child = spawn(process.execPath, ['--import', 'tsx', new URL('./servers.ts', import.meta.url).pathname], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const servers: Servers = await new Promise((resolve, reject) => {
  createInterface({ input: child.stdout }).once('line', (line) => resolve(JSON.parse(line)));
  child.once('exit', (code) => reject(new Error(`bench servers exited with ${code}`)));
});

async function measure(url: string) {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

try {
  console.log(`Golden Oak page benchmark: ${CONNECTIONS} connections, ${SECONDS}s per run, SQLite, one process.\n`);
  console.log('page      bytes    ours req/s  static req/s  ratio   ours p50/p99 ms  static p50/p99 ms');
  for (const [name, path] of Object.entries(servers.paths)) {
    await measure(servers.archive + path); // warm-up
    const ours = await measure(servers.archive + path);
    const baseline = await measure(`${servers.baseline}/${name}.html`);
    console.log(
      [
        name.padEnd(8),
        String(servers.bytes[name]).padStart(7),
        ours.rps.toFixed(0).padStart(13),
        baseline.rps.toFixed(0).padStart(13),
        `${(ours.rps / baseline.rps).toFixed(2)}x`.padStart(6),
        `${ours.p50}/${ours.p99}`.padStart(16),
        `${baseline.p50}/${baseline.p99}`.padStart(18),
      ].join('  '),
    );
  }
} finally {
  child.kill('SIGTERM');
}
