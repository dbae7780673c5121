import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { inject } from 'vitest';
import type { Dialect } from '../src/kernel/db/schema.ts';
import { cloneDatabase, dropDatabase, urlFor } from './postgres.ts';

export const OAK = join(import.meta.dirname, '..', 'bin', 'oak.js');

/** A database of the dialect (a clone of the migrated template on PostgreSQL) and the environment `oak` needs for it. */
export async function archiveEnv(dialect: Dialect, extra: Record<string, string> = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'oak-served-'));
  const database = `oak_served_${randomBytes(5).toString('hex')}`;
  let databaseUrl = '';
  if (dialect === 'postgres') {
    await cloneDatabase(process.env.DATABASE_URL ?? '', inject('pgTemplate') ?? '', database);
    databaseUrl = urlFor(process.env.DATABASE_URL ?? '', database);
  }
  // No REDIS_URL unless asked: served archives would otherwise share rate-limit counts (all from 127.0.0.1)
  // with each other and with the rest of the suite, and answer 429 to a test that never came near a limit.
  const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: databaseUrl, REDIS_URL: '', LOG_LEVEL: 'silent', PORT: '0', ...extra };
  return {
    env,
    dataDir,
    async remove() {
      if (databaseUrl) await dropDatabase(process.env.DATABASE_URL ?? '', database);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** `oak serve` as a child process on a spare port; resolves once it prints where it listens. */
export async function serveArchive(env: NodeJS.ProcessEnv, args: string[] = ['serve']) {
  const server: ChildProcess = spawn(process.execPath, [OAK, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let errors = '';
  server.stderr?.on('data', (chunk) => {
    errors += chunk;
  });
  const line: string = await new Promise((resolve, reject) => {
    createInterface({ input: server.stdout as NodeJS.ReadableStream }).once('line', resolve);
    server.once('exit', (code) => reject(new Error(`oak ${args.join(' ')} exited with ${code}: ${errors}`)));
  });
  server.stdout?.resume();
  const base = `http://127.0.0.1:${/:(\d+)/.exec(line)?.[1]}`;
  return {
    base,
    server,
    errors: () => errors,
    stop() {
      if (server.exitCode === null) server.kill('SIGKILL');
    },
  };
}

/** A browser's cookies and form token, kept by hand over fetch; resolves to a poster of forms as that person. */
export async function logIn(base: string, username: string) {
  const jar = new Map<string, string>();
  const keep = (response: Response) => {
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const [name = '', value = ''] = pair.split('=');
      jar.set(name, value);
    }
    return response;
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const tokenOf = async (path: string) =>
    /name="_csrf" value="([^"]+)"/.exec(await keep(await fetch(base + path, { headers: { cookie: cookie() } })).text())?.[1] ?? '';
  const form = (fields: Record<string, string>) => ({
    body: new URLSearchParams(fields),
    headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
  });
  keep(
    await fetch(`${base}/login`, {
      method: 'POST',
      redirect: 'manual',
      ...form({ _csrf: await tokenOf('/login'), username, password: `${username} password` }),
    }),
  );
  const token = await tokenOf('/settings/account');
  return (path: string, fields: Record<string, string>) =>
    fetch(base + path, { method: 'POST', redirect: 'manual', ...form({ _csrf: token, ...fields }) });
}
