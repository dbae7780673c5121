// Bulk import: a Fimfarchive-style archive of BENCH_IMPORT stories (default 10,000; index.json one
// story per line, one small EPUB each) imported with oak import-archive's code into SQLite, with
// stories a second and the process's peak memory, then a second run (everything skipped).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { createContext } from '../src/archive.ts';
import { loadConfig } from '../src/kernel/config.ts';
import { signUp } from '../src/modules/accounts/accounts.service.ts';
import { Prose } from '../src/modules/generate/prose.ts';
import { seeded } from '../src/modules/generate/random.ts';
import { importArchive } from '../src/modules/import/fimfarchive.ts';

const STORIES = Number(process.env.BENCH_IMPORT ?? 10_000);
const dir = mkdtempSync(join(tmpdir(), 'oak-bench-import-'));
const random = seeded(11);
const prose = new Prose(random);
try {
  mkdirSync(join(dir, 'epub'), { recursive: true });
  const lines = ['{'];
  for (let id = 1; id <= STORIES; id++) {
    const chapters = Array.from({ length: 1 + (id % 3) }, () =>
      prose
        .paragraphs(random, 600)
        .map((p) => `<p>${p.text}</p>`)
        .join(''),
    );
    writeFileSync(
      join(dir, 'epub', `${id}.epub`),
      zipSync({
        mimetype: strToU8('application/epub+zip'),
        'META-INF/container.xml': strToU8('<container><rootfiles><rootfile full-path="b.opf"/></rootfiles></container>'),
        'b.opf': strToU8(
          `<package><metadata><dc:title>Story ${id}</dc:title></metadata><manifest>${chapters.map((_, i) => `<item id="c${i}" href="c${i}.html" media-type="application/xhtml+xml"/>`).join('')}</manifest><spine>${chapters.map((_, i) => `<itemref idref="c${i}"/>`).join('')}</spine></package>`,
        ),
        ...Object.fromEntries(
          chapters.map((html, i) => [`c${i}.html`, strToU8(`<html><body><h1>Chapter ${i + 1}</h1>${html}</body></html>`)]),
        ),
      }),
    );
    lines.push(
      `"${id}": ${JSON.stringify({ id, title: `Story ${id}`, author: { name: `Author ${id % 500}` }, short_description: 'A story.', completion_status: 'complete', content_rating: 'everyone', tags: [{ name: 'Slice of Life', type: 'genre' }], archive: { path: `epub/${id}.epub` } })},`,
    );
  }
  lines.push('}');
  writeFileSync(join(dir, 'index.json'), lines.join('\n'));

  const ctx = await createContext(
    loadConfig({ ...process.env, DATA_DIR: join(dir, 'data'), DATABASE_URL: '', SESSION_SECRET: 'b'.repeat(40) }),
  );
  try {
    const admin = await signUp(ctx, { username: 'archivist', display_name: '', password: 'bench password' }, 'admin');
    let peak = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    const before = process.memoryUsage().rss;
    let began = performance.now();
    const first = await importArchive(ctx, admin.id, dir, { publish: true });
    const seconds = (performance.now() - began) / 1000;
    began = performance.now();
    const second = await importArchive(ctx, admin.id, dir, { publish: true });
    const again = (performance.now() - began) / 1000;
    clearInterval(sampler);
    console.log(`\nGolden Oak bulk import of ${STORIES.toLocaleString('en')} stories (SQLite, one small EPUB each)\n`);
    console.log('| run | imported | skipped | failed | time | stories / s | RSS before → peak |');
    console.log('|---|---|---|---|---|---|---|');
    console.log(
      `| first | ${first.imported} | ${first.skipped} | ${first.failed.length} | ${seconds.toFixed(1)} s | ${(first.imported / seconds).toFixed(0)} | ${(before / 1048576).toFixed(0)} → ${(peak / 1048576).toFixed(0)} MB |`,
    );
    console.log(`| again (resume) | ${second.imported} | ${second.skipped} | ${second.failed.length} | ${again.toFixed(1)} s | | |`);
  } finally {
    await ctx.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
