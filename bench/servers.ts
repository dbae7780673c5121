// Runs in its own process: the archive with seeded stories, and a bare static server holding the
// same bytes the archive renders. Prints their addresses as one JSON line when ready.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify from 'fastify';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createContext } from '../src/context.ts';
import { signUp } from '../src/features/accounts/accounts.service.ts';
import { importStoryPage } from '../src/features/import/import.service.ts';

const FIXTURE = new URL('../../shared/fixtures/fimfiction-story-page.txt', import.meta.url);
const STORIES = 60;

const dataDir = mkdtempSync(join(tmpdir(), 'oak-bench-'));
const ctx = await createContext(loadConfig({ DATA_DIR: dataDir, SESSION_SECRET: 'bench-'.padEnd(40, 'x') }));
const author = await signUp(ctx, { username: 'bencher', display_name: 'Bench Author', password: 'bench password' });
const page = readFileSync(FIXTURE);
let storyId = 0;
for (let i = 1; i <= STORIES; i++) {
  storyId = await importStoryPage(ctx, author.id, page, { title: `Benchmark story ${i}`, publish: true });
}
const chapter = await ctx.db.selectFrom('chapters').select('id').where('story_id', '=', storyId).executeTakeFirstOrThrow();

const app = await buildApp(ctx);
await app.listen({ host: '127.0.0.1', port: 0 });
const archive = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
const paths = { home: '/', chapter: `/stories/${storyId}/chapters/${chapter.id}` };

// The baseline: exactly the bytes our pages render, served as files by @fastify/static.
const staticDir = mkdtempSync(join(tmpdir(), 'oak-bench-static-'));
for (const [name, path] of Object.entries(paths)) {
  const response = await fetch(archive + path);
  writeFileSync(join(staticDir, `${name}.html`), Buffer.from(await response.arrayBuffer()));
}
const files = Fastify();
await files.register(fastifyStatic, { root: staticDir });
await files.listen({ host: '127.0.0.1', port: 0 });
const baseline = `http://127.0.0.1:${(files.server.address() as AddressInfo).port}`;

process.stdout.write(
  `${JSON.stringify({ archive, baseline, paths, bytes: Object.fromEntries(Object.keys(paths).map((name) => [name, readFileSync(join(staticDir, `${name}.html`)).length])) })}\n`,
);

// Exit cleanly when the benchmark is done, so profilers (node --cpu-prof) can write their output.
process.once('SIGTERM', () => process.exit(0));
