import { spawnSync } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveEnv, OAK, serveArchive } from './served.ts';

/**
 * A failover or a pooler restart ends the archive's connections, some in the middle of a query.
 * That may cost the requests in flight, never the process.
 */
describe.runIf(process.env.DATABASE_URL)('oak serve when PostgreSQL ends its connections mid-query', () => {
  let archive: Awaited<ReturnType<typeof archiveEnv>>;
  let served: Awaited<ReturnType<typeof serveArchive>>;
  let admin: pg.Client;
  beforeAll(async () => {
    archive = await archiveEnv('postgres');
    const made = spawnSync(process.execPath, [OAK, 'generate', '--stories', '60', '--seed', '7'], { env: archive.env, encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    served = await serveArchive(archive.env);
    admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
  });
  afterAll(async () => {
    served?.stop();
    await admin?.end();
    await archive?.remove();
  });

  it('keeps serving, and answers every request after, while backends are terminated under six concurrent searches', async () => {
    const database = new URL(archive.env.DATABASE_URL as string).pathname.slice(1);
    let searching = true;
    const statuses: number[] = [];
    const searches = Array.from({ length: 6 }, async (_, i) => {
      for (let n = 0; searching; n++) {
        // A new query each time: nothing answered from the page cache.
        const word = ['the', 'house', 'light', 'door', 'rain', 'road'][(i + n) % 6];
        const response = await fetch(`${served.base}/search?q=${word}+OR+w${i}x${n}`).catch(() => null);
        statuses.push(response?.status ?? 0);
        await response?.arrayBuffer();
      }
    });
    // Every backend of the archive's database, again and again: some are in the middle of a query,
    // lent out by the pool (those are what ended the process); the rest are idle in it.
    let ended = 0;
    let active = 0;
    for (let round = 0; round < 400 && active < 5; round++) {
      const { rows } = await admin.query(
        `SELECT state, pg_terminate_backend(pid) AS done FROM pg_stat_activity
          WHERE datname = $1 AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
        [database],
      );
      ended += rows.filter((row) => row.done).length;
      active += rows.filter((row) => row.done && row.state === 'active').length;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    searching = false;
    await Promise.all(searches);
    expect(active, `${ended} ended, ${statuses.length} requests: ${[...new Set(statuses)]}`).toBeGreaterThanOrEqual(5);
    expect(served.server.exitCode, served.errors()).toBeNull();
    // Requests in flight may have failed (500); none may have gone unanswered, and the next ones succeed.
    expect(statuses.filter((status) => status === 0)).toEqual([]);
    for (let i = 0; i < 12; i++) expect((await fetch(`${served.base}/search?q=light`)).status).toBe(200);
    expect((await fetch(`${served.base}/healthz`)).status).toBe(200);
  });
});
