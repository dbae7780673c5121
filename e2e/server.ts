import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../src/app.ts';
import { createContext } from '../src/archive.ts';
import { HANDLERS } from '../src/job-handlers.ts';
import { loadConfig } from '../src/kernel/config.ts';
import { createWorker, type JobHandlers } from '../src/kernel/jobs/jobs.worker.ts';

/** A real archive on a real port and a real SQLite file, as `npm start` runs it: background jobs included. */
export async function startArchive(env: Record<string, string> = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'oak-e2e-'));
  const ctx = await createContext(loadConfig({ DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0', ...env }));
  const app = await buildApp(ctx);
  const stopJobs = createWorker(ctx, HANDLERS as JobHandlers).start(100, () => {});
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    ctx,
    async stop() {
      await stopJobs();
      await app.close();
      await ctx.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
