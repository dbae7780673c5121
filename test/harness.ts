import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { inject } from 'vitest';
import { buildApp } from '../src/app.ts';
import { type ContextOptions, createContext } from '../src/archive.ts';
import { HANDLERS } from '../src/job-handlers.ts';
import { loadConfig } from '../src/kernel/config.ts';
import type { Clock, Context } from '../src/kernel/context.ts';
import type { Dialect, Role } from '../src/kernel/db/schema.ts';
import { createWorker, type JobHandlers } from '../src/kernel/jobs/jobs.worker.ts';
import { signUp } from '../src/modules/accounts/accounts.service.ts';
import { Agent } from './agent.ts';
import { cloneDatabase, dropDatabase, urlFor } from './postgres.ts';

/** SQLite always; PostgreSQL too whenever DATABASE_URL is set (always in CI). */
export const dialects: Dialect[] = process.env.DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];

export type Harness = {
  app: FastifyInstance;
  ctx: Context;
  dialect: Dialect;
  /** A browser-like client with its own cookies and address. */
  agent(): Agent;
  /** Creates an account with the given role and returns an agent logged in as it (through POST /login). */
  login(username: string, role?: Role): Promise<Agent>;
  /** Runs every background job due now (as `oak serve`'s worker would); returns how many ran. */
  runJobs(): Promise<number>;
  close(): Promise<void>;
};

/** A settable clock, so tests can order updates without sleeping. */
export function testClock(start = Date.UTC(2026, 0, 1)): Clock & { advance(ms: number): void } {
  let now = start;
  return { now: () => now, advance: (ms) => (now += ms) };
}

let agents = 0;

/** A fresh archive on a fresh database: `:memory:` SQLite, or a clone of the migrated PostgreSQL template. */
export async function createHarness(
  dialect: Dialect,
  clock: Clock = testClock(),
  env: Record<string, string> = {},
  options: Pick<ContextOptions, 'renderBudgetMs'> = {},
): Promise<Harness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'oak-test-'));
  let databaseUrl: string | undefined;
  let database: string | undefined;
  const adminUrl = process.env.DATABASE_URL;
  if (dialect === 'postgres') {
    const template = inject('pgTemplate');
    if (!adminUrl || !template) throw new Error('PostgreSQL tests need DATABASE_URL');
    database = `oak_test_${randomBytes(6).toString('hex')}`;
    await cloneDatabase(adminUrl, template, database);
    databaseUrl = urlFor(adminUrl, database);
  }
  const config = loadConfig({ DATA_DIR: dataDir, SESSION_SECRET: 'test-secret-'.padEnd(40, 'x'), DATABASE_URL: databaseUrl, ...env });
  const ctx = await createContext(config, { sqliteFile: ':memory:', clock, ...options });
  const app = await buildApp(ctx);
  await app.ready();

  const agent = () => new Agent(app, `10.0.${Math.floor(++agents / 250)}.${agents % 250}`);
  return {
    app,
    ctx,
    dialect,
    agent,
    async login(username, role = 'user') {
      await signUp(ctx, { username, display_name: '', password: `${username}-password` }, role);
      const client = agent();
      const response = await client.submit('/login', '/login', { username, password: `${username}-password` });
      if (response.statusCode !== 303) throw new Error(`login failed: ${response.statusCode}`);
      client.username = username;
      return client;
    },
    runJobs: () => createWorker(ctx, HANDLERS as JobHandlers, 'test-worker').drain(),
    async close() {
      await app.close();
      await ctx.close();
      if (adminUrl && database) await dropDatabase(adminUrl, database);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
