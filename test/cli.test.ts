import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createContext } from '../src/archive.ts';
import { loadConfig } from '../src/kernel/config.ts';
import type { Context } from '../src/kernel/context.ts';
import { EXAMPLE_PATH, FIXTURE_PATH } from './fixtures.ts';
import { dialects } from './harness.ts';
import { cloneDatabase, dropDatabase, urlFor } from './postgres.ts';

const OAK = join(import.meta.dirname, '..', 'bin', 'oak.js');

describe.each(dialects)('the oak CLI on %s', (dialect) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'oak-cli-'));
  const database = `oak_cli_${randomBytes(5).toString('hex')}`;
  let databaseUrl: string | undefined;
  let ctx: Context;

  const oak = (args: string[], input = '') => {
    // An empty DATABASE_URL means SQLite, so the outer PostgreSQL URL does not leak into the SQLite run.
    const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: databaseUrl ?? '', LOG_LEVEL: 'silent' };
    const result = spawnSync(process.execPath, [OAK, ...args], { env, input, encoding: 'utf8', timeout: 60_000 });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, lines: result.stdout.trim().split('\n') };
  };

  beforeAll(async () => {
    if (dialect === 'postgres') {
      const admin = process.env.DATABASE_URL ?? '';
      await cloneDatabase(admin, inject('pgTemplate') ?? '', database);
      databaseUrl = urlFor(admin, database);
    }
  });
  /** Starts `oak serve`; a test that fails before stopping it leaves nothing running (afterAll kills it). */
  const servers: ChildProcess[] = [];
  const serve = (env: NodeJS.ProcessEnv) => {
    const server = spawn(process.execPath, [OAK, 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    servers.push(server);
    return server;
  };

  afterAll(async () => {
    for (const server of servers) if (server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
    await ctx?.close();
    if (databaseUrl) await dropDatabase(process.env.DATABASE_URL ?? '', database);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints its commands with --help', () => {
    const result = oak(['--help']);
    expect(result.status).toBe(0);
    for (const command of ['serve', 'migrate', 'import FILE', 'user create NAME']) expect(result.stdout).toContain(command);
  });

  it('migrates, and says so when there is nothing left to do', () => {
    const first = oak(['migrate']);
    expect(first.status, first.stderr).toBe(0);
    expect(oak(['migrate']).stdout).toContain('The database is up to date.');
  });

  it('creates an admin with the password from stdin, and refuses a weak one', async () => {
    const weak = oak(['user', 'create', 'shorty'], 'short\n');
    expect(weak.status).toBe(2);
    expect(weak.stderr).toContain('That password has only 5 characters: use at least 8.');
    const result = oak(['user', 'create', 'Keeper', '--role', 'admin'], 'a long enough password\n');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('Created admin Keeper');
    ctx = await createContext(loadConfig({ DATA_DIR: dataDir, DATABASE_URL: databaseUrl }));
    const user = await ctx.db.selectFrom('users').selectAll().where('username_key', '=', 'keeper').executeTakeFirstOrThrow();
    expect(user.role).toBe('admin');
    expect(user.password_hash).toMatch(/^\$argon2id\$/);
    const taken = oak(['user', 'create', 'keeper'], 'another password\n');
    expect(taken.status).toBe(1);
    expect(taken.stderr).toBe('oak: That username is taken.\n');
  });

  it('refuses unknown options, suggesting the near miss, with exit code 2 and one line', () => {
    const typo = oak(['import', EXAMPLE_PATH, '--titel', 'X']);
    expect(typo.status).toBe(2);
    expect(typo.stderr.trim().split('\n')).toHaveLength(1);
    expect(typo.stderr).toContain('Unknown option --titel (did you mean --title?)');
    const missing = oak(['user', 'create', 'someone', '--role']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('--role needs a value');
    expect(oak(['user', 'frob']).stderr).toContain('user create, user reset-password or user set-role');
    const extra = oak(['migrate', 'now']);
    expect(extra.status).toBe(2);
    expect(extra.stderr).toContain('Unexpected "now"');
  });

  it('resets a password from stdin, ending every session, and changes a role', async () => {
    const user = await ctx.db.selectFrom('users').selectAll().where('username_key', '=', 'keeper').executeTakeFirstOrThrow();
    const now = Date.now();
    await ctx.db
      .insertInto('sessions')
      .values({ token_hash: 'x'.repeat(64), user_id: user.id, user_agent: 'test', created_at: now, expires_at: now + 60_000 })
      .execute();
    const reset = oak(['user', 'reset-password', 'KEEPER'], 'a brand new password\n');
    expect(reset.status, reset.stderr).toBe(0);
    expect(reset.stdout).toContain('Set a new password for Keeper');
    const after = await ctx.db.selectFrom('users').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(after.password_hash).not.toBe(user.password_hash);
    expect(await ctx.db.selectFrom('sessions').select('id').where('user_id', '=', user.id).execute()).toEqual([]);
    expect(oak(['user', 'reset-password', 'ghost'], 'a brand new password\n').stderr).toBe('oak: There is no account named ghost.\n');

    expect(oak(['user', 'create', 'helper'], 'helper password\n').status).toBe(0);
    const promoted = oak(['user', 'set-role', 'helper', 'moderator']);
    expect(promoted.stdout).toContain('helper is now a moderator.');
    const role = await ctx.db.selectFrom('users').select('role').where('username_key', '=', 'helper').executeTakeFirstOrThrow();
    expect(role.role).toBe('moderator');
    const bad = oak(['user', 'set-role', 'helper', 'king']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('There is no role "king"');
  });

  it('imports the example shipped in examples/, crediting the author who signed it', async () => {
    const result = oak(['import', EXAMPLE_PATH, '--title', 'The Lantern Keeper', '--author', 'Keeper']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.lines[0]).toBe('Imported as a draft by Keeper.');
    const story = await ctx.db
      .selectFrom('stories')
      .selectAll()
      .where('id', '=', Number(result.lines.at(-1)?.split('/')[2]?.split('-')[0]))
      .executeTakeFirstOrThrow();
    expect(story.original_author).toBe('Ada Wren');
    expect(story.summary).toContain('Maren');
    const credited = oak(['import', EXAMPLE_PATH, '--original-author', 'Someone Else', '--source-url', 'https://example.org/s/1']);
    const other = await ctx.db
      .selectFrom('stories')
      .selectAll()
      .where('id', '=', Number(credited.lines.at(-1)?.split('/')[2]?.split('-')[0]))
      .executeTakeFirstOrThrow();
    expect([other.original_author, other.source_url]).toEqual(['Someone Else', 'https://example.org/s/1']);
  });

  it('imports a story page and prints its path as the last line', async () => {
    const result = oak(['import', FIXTURE_PATH, '--title', 'Goodbye', '--author', 'Keeper', '--publish']);
    expect(result.status, result.stderr).toBe(0);
    const path = result.lines.at(-1) ?? '';
    expect(path).toBe(`/stories/${path.split('/')[2]?.split('-')[0]}-goodbye`);
    const story = await ctx.db
      .selectFrom('stories')
      .selectAll()
      .where('id', '=', Number(path.split('/')[2]?.split('-')[0]))
      .executeTakeFirstOrThrow();
    expect(story.title).toBe('Goodbye');
    expect(story.cover_source_url).toBe('http://erosplosion.deviantart.com/art/Goodbye-395005722');
    expect(story.chapter_count).toBe(1);
    expect(story.published_at).not.toBeNull();
    // The same story out again: by its address, as a reader's download would be.
    const out = join(dataDir, 'goodbye.md');
    const exported = oak(['export', path, '--format', 'md', '-o', out]);
    expect(exported.status, exported.stderr).toBe(0);
    expect(exported.lines[0]).toMatch(/^Wrote “Goodbye” as md to .*goodbye\.md \(\d+\.\d s\)\.$/);
    expect(readFileSync(out, 'utf8')).toMatch(/^# Goodbye\n\nby Enthereta Buzzpone/);
    expect(oak(['export', path, '--format', 'pdf', '-o', out]).stderr).toBe(
      'oak: --format must be epub, html, txt or md. Usage: oak export STORY --format epub|html|txt|md -o FILE\n',
    );
    expect(oak(['export', '999999', '-o', out]).stderr).toBe('oak: There is no story 999999.\n');
    // A backup of it all, while nothing else changes; restoring over it needs --force.
    const saved = join(dataDir, 'backup.zip');
    const backedUp = oak(['backup', '-o', saved]);
    expect(backedUp.status, backedUp.stderr).toBe(0);
    expect(backedUp.lines[0]).toMatch(/^Backed up the (SQLite|PostgreSQL) database and \d+ files to .*backup\.zip \(\d+\.\d s\)\.$/);
    const refused = oak(['restore', saved]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/^oak: .*(already holds|restore into an empty)/);
  });

  it('imports a folder of files with a summary of what could not be imported', async () => {
    const folder = join(dataDir, 'to-import');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'a.txt'), readFileSync(FIXTURE_PATH));
    writeFileSync(join(folder, 'b.txt'), readFileSync(EXAMPLE_PATH));
    writeFileSync(join(folder, 'c.epub'), 'not really a book');
    writeFileSync(join(folder, 'notes.md'), 'ignored: not an importable kind of file');
    const before = (await ctx.db.selectFrom('stories').select('id').execute()).length;
    const result = oak(['import', folder, '--author', 'Keeper']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.lines[0]).toBe('Imported 2 of 3 files as drafts by Keeper; 1 could not be imported.');
    expect(result.lines[1]).toMatch(/c\.epub: /);
    expect((await ctx.db.selectFrom('stories').select('id').execute()).length).toBe(before + 2);
    expect(oak(['import', folder, join(folder, 'a.txt'), '--title', 'X']).stderr).toContain('--title names one story');
  });

  it('refuses bad imports with a clear message and a non-zero exit, writing nothing', async () => {
    const before = (await ctx.db.selectFrom('stories').select('id').execute()).length;
    const missing = oak(['import', '/no/such/file.txt']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe('oak: There is no file /no/such/file.txt; check the path.\n');
    const binary = oak(['import', process.execPath, '--author', 'Keeper']);
    expect(binary.status).toBe(1);
    expect(binary.stderr).toMatch(/looks binary|too large/);
    const nobody = oak(['import', FIXTURE_PATH, '--author', 'ghost']);
    expect(nobody.stderr).toContain('There is no account named ghost;');
    expect((await ctx.db.selectFrom('stories').select('id').execute()).length).toBe(before);
  });

  it('serves the archive and shuts down cleanly on SIGTERM', async () => {
    const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: databaseUrl ?? '', LOG_LEVEL: 'silent', PORT: '0' };
    const server = serve(env);
    const line: string = await new Promise((resolve, reject) => {
      createInterface({ input: server.stdout }).once('line', resolve);
      server.once('exit', (code) => reject(new Error(`serve exited early with ${code}`)));
    });
    const port = /^Golden Oak is serving at http:\/\/localhost:(\d+) \((SQLite in|PostgreSQL at) .+; Ctrl-C stops it\)$/.exec(line)?.[1];
    const url = `http://127.0.0.1:${port}`;
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'ok' });
    const published = await ctx.db.selectFrom('stories').select('id').where('published_at', 'is not', null).executeTakeFirstOrThrow();
    expect((await fetch(`${url}/stories/${published.id}`)).status).toBe(200);
    const exited = new Promise<number | null>((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  /** Starts `oak serve` on a free port and returns its URL and a promise of its exit. */
  async function startServer(extra: Record<string, string> = {}) {
    const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: databaseUrl ?? '', LOG_LEVEL: 'silent', PORT: '0', ...extra };
    const server = serve(env);
    const line: string = await new Promise((resolve, reject) => {
      createInterface({ input: server.stdout }).once('line', resolve);
      server.once('exit', (code) => reject(new Error(`serve exited early with ${code}`)));
    });
    const port = Number(/localhost:(\d+)/.exec(line)?.[1]);
    const exited = new Promise<number | null>((resolve) => server.once('exit', resolve));
    return { server, port, exited };
  }

  it('on SIGTERM closes idle keep-alive connections at once and finishes the request in flight', async () => {
    const { server, port, exited } = await startServer();
    // An idle keep-alive connection, as a browser leaves one open after a page.
    const idle = connect(port, '127.0.0.1');
    await new Promise((resolve) => idle.once('connect', resolve));
    idle.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await new Promise((resolve) => idle.once('data', resolve));
    // A request in flight: its headers are in and the server is reading its body when the signal comes.
    const inFlight = connect(port, '127.0.0.1');
    await new Promise((resolve) => inFlight.once('connect', resolve));
    const body = 'theme=dark&return=%2F';
    inFlight.write(
      `POST /settings/reading HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`,
    );
    const answer = new Promise<string>((resolve) => inFlight.once('data', (data) => resolve(data.toString('latin1'))));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const start = performance.now();
    server.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));
    inFlight.end(body.slice(5));
    expect(await answer).toMatch(/^HTTP\/1\.1 303 /);
    expect(await exited).toBe(0);
    expect(performance.now() - start).toBeLessThan(3000);
  });

  it('on SIGTERM exits within its grace (SHUTDOWN_GRACE_SECONDS) even while a client holds a request half-sent', async () => {
    const GRACE_SECONDS = 2;
    const { server, port, exited } = await startServer({ SHUTDOWN_GRACE_SECONDS: String(GRACE_SECONDS) });
    const stalled = connect(port, '127.0.0.1');
    await new Promise((resolve) => stalled.once('connect', resolve));
    stalled.write(
      'POST /settings/reading HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\ntheme=',
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const start = performance.now();
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
    const seconds = (performance.now() - start) / 1000;
    // It waited for the request the whole grace, then cut it.
    expect(seconds).toBeGreaterThan(GRACE_SECONDS - 0.5);
    expect(seconds).toBeLessThan(GRACE_SECONDS + 3);
    stalled.destroy();
  }, 20_000);

  it('generates a synthetic corpus, with progress on stderr, and refuses bad numbers', () => {
    const made = oak(['generate', '--stories', '40', '--seed', '5']);
    expect(made.status, made.stderr).toBe(0);
    expect(made.stdout).toMatch(/^Generated 40 stories \(seed 5\) in [\d.]+ s\.\n$/);
    expect(made.stderr).toContain('Generating stories: 40 / 40');
    const missing = oak(['generate']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe('oak: Say how many stories to make: oak generate --stories N [--seed S]\n');
    const bad = oak(['generate', '--stories', 'lots']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--stories must be a whole number from 1 to 1,000,000.');
  });

  it('checks derived data against its source, says what drifted (exit 1), and repairs it', async () => {
    const clean = oak(['check']);
    expect(clean.status, clean.stderr).toBe(0);
    expect(clean.lines).toEqual([
      expect.stringMatching(/^chapter and word counts +in step$/),
      expect.stringMatching(/^kudos counts +in step$/),
      expect.stringMatching(/^filter sets +in step$/),
      expect.stringMatching(/^search index +in step$/),
    ]);
    // Writes that forget their consequences, made behind the services' back.
    const direct = await createContext(loadConfig({ DATA_DIR: dataDir, DATABASE_URL: databaseUrl ?? '' }), { migrate: false });
    const story = await direct.db
      .selectFrom('stories')
      .select(['id', 'author_id'])
      .where('published_at', 'is not', null)
      .orderBy('id')
      .executeTakeFirstOrThrow();
    await direct.db.updateTable('stories').set({ kudos_count: 999, word_count: 1 }).where('id', '=', story.id).execute();
    await direct.db.updateTable('users').set({ display_name: 'Renamed Behind The Index' }).where('id', '=', story.author_id).execute();
    await direct.db.deleteFrom('story_filter_tags').where('story_id', '=', story.id).execute();
    await direct.close();
    const drifted = oak(['check']);
    expect(drifted.status).toBe(1);
    expect(drifted.lines).toContainEqual(expect.stringMatching(new RegExp(`^kudos counts +1 story drifted \\(e\\.g\\. ${story.id}\\)$`)));
    expect(drifted.lines).toContainEqual(expect.stringMatching(/^chapter and word counts +1 story drifted/));
    expect(drifted.lines).toContainEqual(expect.stringMatching(/^filter sets +1 story drifted/));
    expect(drifted.lines).toContainEqual(expect.stringMatching(/^search index +\d+ stor(y|ies) drifted/));
    expect(drifted.stderr).toContain('run oak check --repair');
    const repaired = oak(['check', '--repair']);
    expect(repaired.status, repaired.stderr).toBe(0);
    expect(repaired.lines).toContainEqual(expect.stringMatching(/^kudos counts +1 story repaired/));
    const after = oak(['check']);
    expect(after.status, after.stdout).toBe(0);
    expect(after.lines.every((line) => line.endsWith('in step'))).toBe(true);
  });

  it('rejects unknown commands and bad configuration in one sentence each, exit code 2', () => {
    expect(oak(['frobnicate']).stderr).toContain('Unknown command "frobnicate"');
    const run = (extra: Record<string, string>, args = ['migrate']) =>
      spawnSync(process.execPath, [OAK, ...args], { env: { ...process.env, DATA_DIR: dataDir, ...extra }, encoding: 'utf8' });
    const bad = run({ DATABASE_URL: 'mysql://nope' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('DATABASE_URL must be a postgres:// URL');
    const port = run({ PORT: 'abc' }, ['serve']);
    expect(port.status).toBe(2);
    expect(port.stderr).toBe('oak: PORT must be a whole number from 0 to 65535, such as 3000.\n');
    expect(run({ SHUTDOWN_GRACE_SECONDS: 'soon' }, ['serve']).stderr).toBe(
      'oak: SHUTDOWN_GRACE_SECONDS must be a whole number of seconds from 1 to 600.\n',
    );
    for (const grace of ['0', '601', '2.5']) {
      expect(() => loadConfig({ DATA_DIR: dataDir, SHUTDOWN_GRACE_SECONDS: grace })).toThrow('SHUTDOWN_GRACE_SECONDS must be');
    }
    expect(loadConfig({ DATA_DIR: dataDir, SHUTDOWN_GRACE_SECONDS: '30' }).shutdownGraceMs).toBe(30_000);
    const level = run({ LOG_LEVEL: 'loud', LOG_FORMAT: 'xml' });
    expect(level.stderr.trim().split('\n')).toHaveLength(1);
    expect(level.stderr).toContain('LOG_LEVEL must be one of');
    expect(level.stderr).toContain('LOG_FORMAT must be text or json');
  });

  it('says in one sentence that the port is taken, exit code 1', async () => {
    const { server, port, exited } = await startServer();
    const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: databaseUrl ?? '', PORT: String(port) };
    const second = spawnSync(process.execPath, [OAK, 'serve'], { env, encoding: 'utf8', timeout: 60_000 });
    expect(second.status).toBe(1);
    expect(second.stderr).toBe(
      `oak: Port ${port} is already in use: stop the program using it, or start with PORT set to a free port (PORT=3001 npm start).\n`,
    );
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('logs readable lines by default and JSON lines with LOG_FORMAT=json, requests only at debug', async () => {
    for (const format of ['text', 'json']) {
      const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: databaseUrl ?? '', LOG_LEVEL: 'debug', LOG_FORMAT: format, PORT: '0' };
      const server = serve(env);
      const lines: string[] = [];
      const reader = createInterface({ input: server.stdout });
      reader.on('line', (line) => lines.push(line));
      while (!lines.some((line) => line.startsWith('Golden Oak is serving'))) await new Promise((resolve) => setTimeout(resolve, 20));
      const port = /localhost:(\d+)/.exec(lines.find((line) => line.startsWith('Golden Oak')) ?? '')?.[1];
      await fetch(`http://127.0.0.1:${port}/healthz`);
      while (!lines.some((line) => line.includes('/healthz'))) await new Promise((resolve) => setTimeout(resolve, 20));
      const request = lines.find((line) => line.includes('/healthz')) ?? '';
      if (format === 'json') expect(JSON.parse(request)).toMatchObject({ level: 20, msg: 'request', url: '/healthz', status: 200 });
      else expect(request).toMatch(/^\d\d:\d\d:\d\d DEBUG request method=GET url=\/healthz status=200 ms=/);
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
  });
});
