import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { createContext } from '../src/context.ts';
import { signUp } from '../src/features/accounts/accounts.service.ts';
import { dialects } from './harness.ts';
import { cloneDatabase, dropDatabase, urlFor } from './postgres.ts';

const OAK = join(import.meta.dirname, '..', 'bin', 'oak.js');
const WRITERS = 6;

/** A browser's cookies and form token, kept by hand over fetch. */
async function logIn(base: string, username: string) {
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

describe.each(dialects)('an acknowledged write survives kill -9, on %s', (dialect) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'oak-durable-'));
  const database = `oak_durable_${randomBytes(5).toString('hex')}`;
  let databaseUrl = '';
  let server: ChildProcess | undefined;
  beforeAll(async () => {
    if (dialect === 'postgres') {
      await cloneDatabase(process.env.DATABASE_URL ?? '', inject('pgTemplate') ?? '', database);
      databaseUrl = urlFor(process.env.DATABASE_URL ?? '', database);
    }
  });
  afterAll(async () => {
    server?.kill('SIGKILL');
    if (databaseUrl) await dropDatabase(process.env.DATABASE_URL ?? '', database);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('every chapter the server answered 303 for is there after the process is killed mid-write', async () => {
    const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent', PORT: '0' };
    // Six authors with a story each; the rate limit allows each 60 writes a minute.
    const setup = await createContext(loadConfig(env));
    const stories: number[] = [];
    for (let i = 0; i < WRITERS; i++) {
      const author = await signUp(setup, { username: `writer${i}`, display_name: '', password: `writer${i} password` });
      const story = {
        ...{
          author_id: author.id,
          title: 'Durable',
          slug: 'durable',
          summary: '',
          rating: 'everyone' as const,
          status: 'incomplete' as const,
        },
        ...{
          description_format: 'text' as const,
          description_source: '',
          description_html: '',
          cover_key: null,
          cover_width: null,
          cover_height: null,
        },
        ...{ cover_artist_name: '', cover_artist_url: '', cover_source_url: '', published_at: null },
      };
      const { id } = await setup.db
        .insertInto('stories')
        .values({ ...story, created_at: 1, updated_at: 1 })
        .returning('id')
        .executeTakeFirstOrThrow();
      stories.push(id);
    }
    await setup.close();

    server = spawn(process.execPath, [OAK, 'serve'], { env, stdio: ['ignore', 'pipe', 'ignore'] });
    const line: string = await new Promise((resolve) =>
      createInterface({ input: server?.stdout as NodeJS.ReadableStream }).once('line', resolve),
    );
    const base = `http://127.0.0.1:${/:(\d+)/.exec(line)?.[1]}`;
    const writers = await Promise.all(Array.from({ length: WRITERS }, (_, i) => logIn(base, `writer${i}`)));
    const acknowledged: string[] = [];

    let stop = false;
    const loops = writers.map(async (post, i) => {
      for (let n = 0; !stop && n < 55; n++) {
        const title = `w${i}-${n}`;
        const body = { title, format: 'text', body: `Chapter ${title}.`, action: 'publish' };
        const response = await post(`/stories/${stories[i]}/chapters`, body).catch(() => null);
        if (response?.status === 303) acknowledged.push(title);
      }
    });
    while (acknowledged.length < 40) await new Promise((resolve) => setTimeout(resolve, 5));
    server.kill('SIGKILL');
    stop = true;
    await Promise.all(loops);

    const after = await createContext(loadConfig(env));
    const titles = new Set((await after.db.selectFrom('chapters').select('title').execute()).map((row) => row.title));
    await after.close();
    expect(acknowledged.length).toBeGreaterThanOrEqual(40);
    expect(acknowledged.filter((title) => !titles.has(title))).toEqual([]);
  });
});
