// Discovery at scale: a filtered list, a tag page, searches and the facet sidebar over a generated
// corpus of 10k and 100k stories, on each database. Each page's p50/p95 over HTTP (wrk, one
// connection, so each request is one reader's wait) beside the same page's queries timed in-process
// against the same database, and the growth from the smaller corpus to the larger.
// Corpora are generated once (oak generate's code, seed 1) and kept for the next run.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { createContext } from '../src/archive.ts';
import { loadConfig } from '../src/kernel/config.ts';
import type { Context } from '../src/kernel/context.ts';
import { FIRST_PAGE } from '../src/kernel/db/pagination.ts';
import { tagPath } from '../src/kernel/web/paths.ts';
import type { Viewer } from '../src/kernel/web/viewer.ts';
import { findUser, signUp } from '../src/modules/accounts/accounts.service.ts';
import { generate } from '../src/modules/generate/generate.ts';
import { Prose } from '../src/modules/generate/prose.ts';
import { seeded } from '../src/modules/generate/random.ts';
import { saveMutes } from '../src/modules/mutes/mutes.service.ts';
import { parseSearch } from '../src/modules/search/query.ts';
import { search } from '../src/modules/search/search.service.ts';
import { type Filters, parseFilters } from '../src/modules/stories/filters.ts';
import { listStories } from '../src/modules/stories/stories.service.ts';
import { urlFor } from '../test/postgres.ts';
import { archiveEnv, logIn, SECONDS, start, timeCalls, wrk } from './tools.ts';

const SIZES = (process.env.BENCH_SIZES ?? '10000,100000').split(',').map(Number);
const SEED = 1;
const ROOT = new URL('../', import.meta.url).pathname;
const dialects = process.env.DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
const CORPORA = join(tmpdir(), 'oak-bench-corpora');

/** A data directory (and, for PostgreSQL, a database) holding the corpus, generated if not kept from an earlier run. */
async function corpus(dialect: string, size: number) {
  const dataDir = join(CORPORA, `${dialect}-${size}-seed${SEED}`);
  mkdirSync(dataDir, { recursive: true });
  const database = `oak_bench_corpus_${size}_seed${SEED}`;
  const admin = process.env.DATABASE_URL ?? '';
  const databaseUrl = dialect === 'postgres' ? urlFor(admin, database) : '';
  const env = archiveEnv(dataDir, databaseUrl);
  const ready = join(dataDir, 'ready');
  if (!existsSync(ready)) {
    if (databaseUrl) {
      const client = new pg.Client({ connectionString: admin });
      await client.connect();
      await client.query(`drop database if exists ${database}`);
      await client.query(`create database ${database}`);
      await client.end();
    }
    const ctx = await createContext(loadConfig(env));
    const began = performance.now();
    let shown = 0;
    await generate(ctx, {
      stories: size,
      seed: SEED,
      onProgress: (done) => {
        if (done - shown < size / 10) return;
        shown = done;
        process.stderr.write(`  ${dialect} ${size}: ${done} stories\n`);
      },
    });
    await signUp(ctx, { username: 'reader', display_name: 'Bench Reader', password: 'reader password' });
    const reader = await findUser(ctx, 'reader');
    const muted = await popularFreeform(ctx, 2);
    if (reader) await saveMutes(ctx, { id: reader.id, username: 'reader', displayName: '', role: 'user' }, { tags: muted, authors: [] });
    process.stderr.write(`  ${dialect} ${size}: generated in ${((performance.now() - began) / 1000).toFixed(0)} s\n`);
    await ctx.close();
    writeFileSync(ready, String(size));
  }
  if (databaseUrl) {
    // Fresh tables have no statistics or visibility map until autovacuum gets to them; a real
    // archive has both. Quick when nothing changed since the last run.
    const ctx = await createContext(loadConfig(env));
    await sql`vacuum analyze`.execute(ctx.db);
    await ctx.close();
  }
  return env;
}

/** The most used free-form tags after the first few (what a reader plausibly mutes). */
async function popularFreeform(ctx: Context, count: number): Promise<string[]> {
  const rows = await ctx.db
    .selectFrom('story_tags')
    .innerJoin('tags', 'tags.id', 'story_tags.tag_id')
    .select((eb) => ['tags.name_key', eb.fn.countAll<number>().as('n')])
    .where('tags.type', '=', 'freeform')
    .groupBy('tags.name_key')
    .orderBy('n', 'desc')
    .limit(5 + count)
    .execute();
  return rows.slice(5).map((row) => row.name_key);
}

async function largestFandom(ctx: Context) {
  return ctx.db
    .selectFrom('story_tags')
    .innerJoin('tags', 'tags.id', 'story_tags.tag_id')
    .select((eb) => ['tags.id', 'tags.name', 'tags.name_key', eb.fn.countAll<number>().as('n')])
    .where('tags.type', '=', 'fandom')
    .groupBy(['tags.id', 'tags.name', 'tags.name_key'])
    .orderBy('n', 'desc')
    .executeTakeFirstOrThrow();
}

type Row = { dialect: string; size: number; page: string; http: { p50: number; p95: number }; queries: { p50: number; p95: number } };
const rows: Row[] = [];
execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs')]);

for (const dialect of dialects) {
  for (const size of SIZES) {
    const env = await corpus(dialect, size);
    const ctx = await createContext(loadConfig(env));
    const user = await findUser(ctx, 'reader');
    if (!user) throw new Error('the corpus has no reader');
    const viewer: Viewer = { id: user.id, username: user.username, displayName: user.display_name, role: user.role, muting: true };
    const fandom = await largestFandom(ctx);
    // The generator's vocabulary, rebuilt from the seed: a word near its rare end, and a common one.
    const vocabulary = new Prose(seeded(SEED)).vocabulary;
    const rare = vocabulary[vocabulary.length - 40] as string;
    const common = 'house';
    const listQuery = `include=${encodeURIComponent(fandom.name_key)}&exclude=major+character+death`;
    const pages: { name: string; url: string; call: () => Promise<unknown> }[] = [
      {
        name: 'filtered list + sidebar',
        url: `/?${listQuery}`,
        call: () => listStories(ctx, viewer, parseFilters(Object.fromEntries(new URLSearchParams(listQuery))), FIRST_PAGE),
      },
      {
        name: 'tag page (largest fandom)',
        url: tagPath({ id: fandom.id, name: fandom.name }),
        call: () => listStories(ctx, viewer, { ...parseFilters({}), tagId: fandom.id }, FIRST_PAGE),
      },
      ...[
        ['search, rare word', rare],
        ['search, common word', common],
        ['search, phrase', '"silver lantern"'],
      ].map(([name, q]) => ({
        name: name as string,
        url: `/search?q=${encodeURIComponent(q as string)}`,
        call: () => search(ctx, viewer, parseSearch(q as string), parseFilters({ sort: 'relevance' }) as Filters, FIRST_PAGE),
      })),
    ];
    const { child: server, line } = await start(process.execPath, [join(ROOT, 'dist/main.js'), 'serve'], env);
    const base = `http://127.0.0.1:${/:(\d+)/.exec(line)?.[1]}`;
    try {
      const cookie = await logIn(base, 'reader', 'reader password');
      for (const page of pages) {
        wrk(`${base}${page.url}`, 1, [`Cookie: ${cookie}`], 2); // warm-up
        const http = wrk(`${base}${page.url}`, 1, [`Cookie: ${cookie}`]);
        const queries = await timeCalls(30, page.call);
        rows.push({ dialect, size, page: page.name, http, queries });
        process.stderr.write(`  ${dialect} ${size} ${page.name}: ${http.p50.toFixed(1)} / ${http.p95.toFixed(1)} ms\n`);
      }
    } finally {
      server.kill('SIGTERM');
      await new Promise((resolve) => server.once('exit', resolve));
      await ctx.close();
    }
  }
}

const ms = (n: number) => n.toFixed(1);
console.log(
  `\nDiscovery over a generated corpus (oak generate, seed ${SEED}), a signed-in reader muting two tags; wrk -c1, ${SECONDS} s per page\n`,
);
console.log(
  '| database | stories | page | HTTP p50 / p95 ms | queries p50 / p95 ms | page ÷ queries (p95) | p95 growth from the smaller corpus |',
);
console.log('|---|---|---|---|---|---|---|');
for (const row of rows) {
  const smaller = rows.find((other) => other.dialect === row.dialect && other.page === row.page && other.size < row.size);
  const growth = smaller ? `${(row.http.p95 / smaller.http.p95).toFixed(1)}× for ${(row.size / smaller.size).toFixed(0)}× the stories` : '';
  console.log(
    `| ${row.dialect} | ${row.size.toLocaleString('en')} | ${row.page} | ${ms(row.http.p50)} / ${ms(row.http.p95)} | ${ms(row.queries.p50)} / ${ms(row.queries.p95)} | ${(row.http.p95 / row.queries.p95).toFixed(2)} | ${growth} |`,
  );
}
