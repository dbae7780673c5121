// Community at scale, on each database: the comments page of a chapter with 500 comments (p50/p95
// over HTTP with one connection, beside the same page's queries timed in-process), and a new
// chapter's notification fan-out to an author's 10,000 followers (the job's time, and the worker's
// memory before and after: the fan-out is one INSERT … SELECT, so memory does not grow with the
// audience).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContext } from '../src/archive.ts';
import { HANDLERS } from '../src/job-handlers.ts';
import { loadConfig } from '../src/kernel/config.ts';
import type { Context } from '../src/kernel/context.ts';
import { FIRST_PAGE } from '../src/kernel/db/pagination.ts';
import { record, write } from '../src/kernel/events/events.ts';
import { createWorker, type JobHandlers } from '../src/kernel/jobs/jobs.worker.ts';
import { insertComment } from '../src/modules/comments/comments.repository.ts';
import { chapterComments } from '../src/modules/comments/comments.service.ts';
import { createTemplateDatabase, dropDatabase, urlFor } from '../test/postgres.ts';
import { seed } from './seed.ts';
import { archiveEnv, SECONDS, start, timeCalls, wrk } from './tools.ts';

const ROOT = new URL('../', import.meta.url).pathname;
const dialects = process.env.DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
const COMMENTS = 500;
const FOLLOWERS = Number(process.env.BENCH_FOLLOWERS ?? 10_000);

/** 500 comments on one chapter: 200 threads, 300 replies spread among them. */
async function fillComments(ctx: Context, storyId: number, chapterId: number, authorId: number) {
  const tops: number[] = [];
  for (let i = 0; i < COMMENTS; i++) {
    const reply = i % 5 >= 2 && tops.length > 0;
    const parent = reply ? (tops[(i * 7) % tops.length] as number) : null;
    const id = await insertComment(ctx.db, {
      story_id: storyId,
      chapter_id: chapterId,
      author_id: authorId,
      parent_id: parent,
      thread_id: parent,
      format: 'markdown',
      body_source: `Comment ${i}: the harbour scene stayed with me for days.`,
      body_html: `<p>Comment ${i}: the harbour scene stayed with me for days.</p>`,
      created_at: ctx.clock.now() + i,
    });
    if (!reply) tops.push(id);
  }
}

/** 10,000 accounts following the author, written straight to the tables in batches. */
async function addFollowers(ctx: Context, authorId: number) {
  const now = ctx.clock.now();
  for (let from = 0; from < FOLLOWERS; from += 500) {
    const users = await ctx.db
      .insertInto('users')
      .values(
        Array.from({ length: Math.min(500, FOLLOWERS - from) }, (_, i) => {
          const name = `follower${from + i}`;
          return {
            username: name,
            username_key: name,
            username_skeleton: name,
            display_name: name,
            display_name_skeleton: name,
            bio: '',
            role: 'user' as const,
            password_hash: '!',
            created_at: now,
          };
        }),
      )
      .returning('id')
      .execute();
    await ctx.db
      .insertInto('follows')
      .values(users.map((user) => ({ follower_id: user.id, author_id: authorId, created_at: now })))
      .execute();
  }
}

const rows: string[] = [];
execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs')]);

for (const dialect of dialects) {
  const dataDir = mkdtempSync(join(tmpdir(), 'oak-bench-community-'));
  const database = `oak_bench_community_${process.pid}`;
  const databaseUrl = dialect === 'postgres' ? urlFor(process.env.DATABASE_URL ?? '', database) : '';
  if (databaseUrl) await createTemplateDatabase(process.env.DATABASE_URL ?? '', database);
  const env = archiveEnv(dataDir, databaseUrl);
  const ctx = await createContext(loadConfig(env));
  try {
    const chapterPath = await seed(ctx, 1, 3);
    const [, storyId, chapterId] = /\/stories\/(\d+)[^/]*\/chapters\/(\d+)/.exec(chapterPath)?.map(Number) ?? [];
    const author = await ctx.db.selectFrom('users').select('id').where('username', '=', 'bencher').executeTakeFirstOrThrow();
    await fillComments(ctx, storyId as number, chapterId as number, author.id);

    // The comments page over HTTP, beside its queries in-process.
    const { child: server, line } = await start(process.execPath, [join(ROOT, 'dist/main.js'), 'serve'], env);
    try {
      const base = `http://127.0.0.1:${/:(\d+)/.exec(line)?.[1]}`;
      const url = `${base}${chapterPath.replace(/\/chapters\/(\d+)[^/]*/, '/chapters/$1')}/comments`;
      wrk(url, 1); // warm-up
      const http = wrk(url, 1);
      const raw = await timeCalls(200, () => chapterComments(ctx, null, storyId as number, chapterId as number, FIRST_PAGE));
      rows.push(
        `| ${dialect} | comments page, ${COMMENTS} comments (20 threads with their replies) | ${http.p50.toFixed(1)} / ${http.p95.toFixed(1)} ms | ${raw.p50.toFixed(1)} / ${raw.p95.toFixed(1)} ms | ${(http.p95 / raw.p95).toFixed(1)}× |`,
      );
    } finally {
      server.kill('SIGTERM');
      await new Promise((resolve) => server.once('exit', resolve));
    }

    // The fan-out: one job, ten thousand notifications.
    await addFollowers(ctx, author.id);
    await write(ctx, async (trx) => {
      record(trx, { type: 'chapterPublished', storyId: storyId as number, chapterId: chapterId as number, newStory: false });
    });
    global.gc?.();
    const rssBefore = process.memoryUsage().rss / 1024 / 1024;
    const began = performance.now();
    await createWorker(ctx, HANDLERS as JobHandlers).drain();
    const ms = performance.now() - began;
    const rssAfter = process.memoryUsage().rss / 1024 / 1024;
    const made = await ctx.db
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('kind', '=', 'new_chapter')
      .executeTakeFirstOrThrow();
    rows.push(
      `| ${dialect} | fan-out of a new chapter to ${FOLLOWERS.toLocaleString('en')} followers | ${ms.toFixed(0)} ms for ${Number(made.n).toLocaleString('en')} notifications | RSS ${rssBefore.toFixed(0)} → ${rssAfter.toFixed(0)} MB | |`,
    );
  } finally {
    await ctx.close();
    if (databaseUrl) await dropDatabase(process.env.DATABASE_URL ?? '', database);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

console.log(
  `\nGolden Oak community pages and jobs (wrk -t1 -c1, ${SECONDS} s per run, loopback; raw = the same service call in-process)\n`,
);
console.log('| database | what | HTTP p50 / p95 | raw p50 / p95 | HTTP p95 / raw p95 |');
console.log('|---|---|---|---|---|');
for (const row of rows) console.log(row);
