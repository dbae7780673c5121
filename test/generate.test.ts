import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../src/modules/generate/generate.ts';
import { createHarness, dialects, type Harness, testClock } from './harness.ts';

describe.each(dialects)('oak generate on %s', (dialect) => {
  let h: Harness;
  let again: Harness;
  beforeAll(async () => {
    h = await createHarness(dialect, testClock());
    again = await createHarness(dialect, testClock());
    await generate(h.ctx, { stories: 300, seed: 11 });
    await generate(again.ctx, { stories: 300, seed: 11 });
  }, 120_000);
  afterAll(async () => {
    await h.close();
    await again.close();
  });

  it('leaves the planner statistics fresh (ANALYZE), so tag pages are planned for the rows there are', async () => {
    if (dialect === 'postgres') {
      const { rows } = await sql<{ relname: string; analyzed: boolean }>`
        select relname, last_analyze is not null as analyzed from pg_stat_user_tables
         where relname in ('stories', 'story_tags', 'tags', 'chapters') order by relname`.execute(h.ctx.db);
      expect(rows).toEqual(['chapters', 'stories', 'story_tags', 'tags'].map((relname) => ({ relname, analyzed: true })));
    } else {
      const { rows } = await sql<{ tbl: string }>`select distinct tbl from sqlite_stat1 where tbl in ('stories', 'story_tags')`.execute(
        h.ctx.db,
      );
      expect(rows.map((row) => row.tbl).sort()).toEqual(['stories', 'story_tags']);
    }
  });

  it('is deterministic: the same seed makes the same stories', async () => {
    const titles = async (harness: Harness) =>
      (await harness.ctx.db.selectFrom('stories').select(['title', 'word_count']).orderBy('id').limit(30).execute()).map(
        (s) => `${s.title} ${s.word_count}`,
      );
    expect(await titles(again)).toEqual(await titles(h));
  });

  it('is shaped like an archive: crossovers, CJK, every rating, varied lengths, wrangled synonyms', async () => {
    const db = h.ctx.db;
    const stories = await db.selectFrom('stories').select(['id', 'rating', 'word_count', 'chapter_count', 'title']).execute();
    expect(stories).toHaveLength(300);
    // Every story sorts by title like one written through the form.
    const unsorted = await db.selectFrom('stories').select('id').where('sort_title', '=', '').execute();
    expect(unsorted).toEqual([]);
    expect(new Set(stories.map((s) => s.rating)).size).toBe(5);
    const words = stories.map((s) => s.word_count).sort((a, b) => a - b);
    // Lognormal: a long tail well past the median.
    expect((words.at(-1) ?? 0) / (words[150] ?? 1)).toBeGreaterThan(5);
    expect(stories.some((s) => s.chapter_count > 3)).toBe(true);
    expect(stories.some((s) => /[\u3040-\u30ff\u4e00-\u9fff]/.test(s.title))).toBe(true);
    const fandomCounts = await db
      .selectFrom('story_tags')
      .innerJoin('tags', 'tags.id', 'story_tags.tag_id')
      .select((eb) => ['story_tags.story_id', eb.fn.countAll<number>().as('n')])
      .where('tags.type', '=', 'fandom')
      .groupBy('story_tags.story_id')
      .execute();
    const crossovers = fandomCounts.filter((row) => Number(row.n) > 1).length;
    expect(crossovers).toBeGreaterThan(10);
    expect(crossovers).toBeLessThan(60);
    // No sentence repeats within a chapter's text.
    const chapter = await db.selectFrom('chapters').select('body_source').orderBy('word_count', 'desc').executeTakeFirstOrThrow();
    const sentences = chapter.body_source.split(/(?<=[.!?…])\s+/);
    expect(new Set(sentences).size).toBe(sentences.length);
    // A synonym on a story puts its canonical tag in the story's filter set.
    const synonymUse = await db
      .selectFrom('story_tags')
      .innerJoin('tags', 'tags.id', 'story_tags.tag_id')
      .select(['story_tags.story_id', 'tags.canonical_id'])
      .where('tags.canonical_id', 'is not', null)
      .executeTakeFirstOrThrow();
    const filed = await db
      .selectFrom('story_filter_tags')
      .select('tag_id')
      .where('story_id', '=', synonymUse.story_id)
      .where('tag_id', '=', synonymUse.canonical_id as number)
      .execute();
    expect(filed).toHaveLength(1);
  });

  it('is searchable and browsable like any archive', async () => {
    const page = await h.agent().get('/search?q=%22silver+lantern%22');
    expect(page.statusCode).toBe(200);
    // PostgreSQL's phrase matches are approximate (see search.test.ts), and its count says so.
    const about = dialect === 'postgres' ? 'About ' : '';
    expect(page.body).toMatch(new RegExp(`<p class="list-count muted" role="status">${about}\\d+ stor(y|ies)</p>`));
    expect(page.body).toContain('<mark>silver</mark> <mark>lantern</mark>');
    expect((await h.agent().get('/?crossovers=only')).body).toMatch(/class="card-title"/);
  });
});
