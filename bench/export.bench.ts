// Downloads at scale: a 300,000-word story (80 chapters of ~3,750 words of generated prose) built as EPUB, HTML, plain
// text and Markdown, timed, with the process's peak memory while building; the EPUB checked with
// epubcheck; and, when Debian's calibre is installed, its ebook-convert timed on our HTML file.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContext } from '../src/archive.ts';
import { loadConfig } from '../src/kernel/config.ts';
import { signUp } from '../src/modules/accounts/accounts.service.ts';
import { buildDownload, type Format } from '../src/modules/export/export.service.ts';
import { storyHead } from '../src/modules/export/story-document.ts';
import { Prose } from '../src/modules/generate/prose.ts';
import { seeded } from '../src/modules/generate/random.ts';
import { refreshStoryCounts } from '../src/modules/stories/stories.repository.ts';

const CHAPTERS = 80;
const random = seeded(7);
const prose = new Prose(random);
const dataDir = mkdtempSync(join(tmpdir(), 'oak-bench-export-'));
const ctx = await createContext(loadConfig({ ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', SESSION_SECRET: 'b'.repeat(40) }));
try {
  const author = await signUp(ctx, { username: 'longwriter', display_name: 'Long Writer', password: 'bench password' });
  const now = ctx.clock.now();
  const { id: storyId } = await ctx.db
    .insertInto('stories')
    .values({
      author_id: author.id,
      title: 'A Very Long Road',
      slug: 'a-very-long-road',
      rating: 'everyone',
      status: 'complete',
      created_at: now,
      updated_at: now,
      published_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (let position = 1; position <= CHAPTERS; position++) {
    // About 3,750 words of the generator's varied prose each: 300,000 words in all.
    const source = prose
      .paragraphs(random, 3750)
      .map((p) => p.text)
      .join('\n\n');
    const html = source
      .split('\n\n')
      .map((p) => `<p>${p}</p>`)
      .join('\n');
    await ctx.db
      .insertInto('chapters')
      .values({
        story_id: storyId,
        position,
        title: `Chapter ${position}`,
        format: 'markdown',
        body_source: source,
        body_html: html,
        note_before_source: '',
        note_before_html: '',
        note_after_source: 'Thanks for reading!',
        note_after_html: '<p>Thanks for reading!</p>',
        word_count: source.split(/\s+/).length,
        created_at: now,
        updated_at: now,
        published_at: now,
      })
      .execute();
  }
  await refreshStoryCounts(ctx.db, storyId, now, false);
  const head = await storyHead(ctx.db, storyId);
  if (!head) throw new Error('no story');
  const words = head.chapters.reduce((sum, c) => sum + c.word_count, 0);
  const rows: string[] = [];
  const paths: Partial<Record<Format, string>> = {};
  for (const format of ['epub', 'html', 'txt', 'md'] as const) {
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 5);
    const began = performance.now();
    const download = await buildDownload(ctx, head, format);
    const ms = performance.now() - began;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    paths[format] = download.path;
    rows.push(
      `| ${format} | ${(ms / 1000).toFixed(2)} s | ${(statSync(download.path).size / 1024 / 1024).toFixed(1)} MB | ${(before / 1024 / 1024).toFixed(0)} → peak ${(peak / 1024 / 1024).toFixed(0)} MB |`,
    );
  }
  console.log(
    `\nGolden Oak downloads of a ${words.toLocaleString('en')}-word story in ${CHAPTERS} chapters (SQLite, built once, then cached)\n`,
  );
  console.log('| format | build time | file | process RSS before → peak |');
  console.log('|---|---|---|---|');
  for (const row of rows) console.log(row);
  const jar = '/usr/share/java/epubcheck.jar';
  if (existsSync(jar) && paths.epub) {
    const check = spawnSync('java', ['-jar', jar, '--quiet', paths.epub], { encoding: 'utf8' });
    const problems = `${check.stdout}${check.stderr}`.split('\n').filter((line) => /^(FATAL|ERROR|WARNING)/.test(line));
    console.log(`\nepubcheck: ${problems.length === 0 ? 'no errors, no warnings' : problems.slice(0, 5).join('; ')}`);
  }
  const calibre = spawnSync('which', ['ebook-convert']).status === 0;
  if (calibre && paths.html) {
    const out = join(dataDir, 'calibre.epub');
    const began = performance.now();
    execFileSync('ebook-convert', [paths.html, out], { stdio: 'ignore' });
    console.log(`calibre ebook-convert on the same HTML: ${((performance.now() - began) / 1000).toFixed(2)} s`);
  } else {
    console.log('calibre (ebook-convert) is not installed here: apt-get install calibre to compare.');
  }
} finally {
  await ctx.close();
  rmSync(dataDir, { recursive: true, force: true });
}
