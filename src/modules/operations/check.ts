import { sql } from 'kysely';
import type { Context } from '../../kernel/context.ts';
import type { Db } from '../../kernel/db/schema.ts';
import { record, write } from '../../kernel/events/events.ts';
import { engineFor } from '../search/engine.ts';
import { indexRows, indexStory } from '../search/search.index.ts';
import { refreshStoryCounts } from '../stories/stories.service.ts';
import { filterClosure, refreshFilterSets } from '../tags/tags.service.ts';

/** One derived datum checked against its source: the stories where they disagree, and how to set them right. */
type Check = {
  name: string;
  drifted(db: Db, storyIds: number[]): Promise<number[]>;
  repair(db: Db, storyIds: number[], now: number): Promise<void>;
};

export type Drift = { check: string; stories: number; examples: number[] };

const BATCH = 200;

const sameSet = (a: Iterable<unknown>, b: Iterable<unknown>) => {
  const [x, y] = [new Set(a), new Set(b)];
  return x.size === y.size && [...x].every((item) => y.has(item));
};

const CHECKS: Check[] = [
  {
    name: 'chapter and word counts',
    async drifted(db, ids) {
      const rows = await db
        .selectFrom('stories')
        .leftJoin(
          (eb) =>
            eb
              .selectFrom('chapters')
              .select((c) => ['story_id', c.fn.countAll<number>().as('chapters'), c.fn.sum<number>('word_count').as('words')])
              .where('published_at', 'is not', null)
              .where('story_id', 'in', ids)
              .groupBy('story_id')
              .as('published'),
          (join) => join.onRef('published.story_id', '=', 'stories.id'),
        )
        .select(['stories.id', 'stories.chapter_count', 'stories.word_count', 'published.chapters', 'published.words'])
        .where('stories.id', 'in', ids)
        .execute();
      return rows
        .filter((row) => Number(row.chapter_count) !== Number(row.chapters ?? 0) || Number(row.word_count) !== Number(row.words ?? 0))
        .map((row) => row.id);
    },
    async repair(db, ids, now) {
      for (const id of ids) await refreshStoryCounts(db, id, now, false);
    },
  },
  {
    name: 'kudos counts',
    async drifted(db, ids) {
      const rows = await db
        .selectFrom('stories')
        .select((eb) => [
          'stories.id',
          'stories.kudos_count',
          eb.selectFrom('kudos').select(eb.fn.countAll<number>().as('n')).whereRef('kudos.story_id', '=', 'stories.id').as('given'),
        ])
        .where('stories.id', 'in', ids)
        .execute();
      return rows.filter((row) => Number(row.kudos_count) !== Number(row.given ?? 0)).map((row) => row.id);
    },
    async repair(db, ids) {
      await db
        .updateTable('stories')
        .set((eb) => ({
          kudos_count: eb.selectFrom('kudos').select(eb.fn.countAll<number>().as('n')).whereRef('kudos.story_id', '=', 'stories.id'),
        }))
        .where('id', 'in', ids)
        .execute();
    },
  },
  {
    // The tags a story is found under: its own, their canonical tags and every meta tag above them.
    name: 'filter sets',
    async drifted(db, ids) {
      const { rows } = await sql<{ story_id: number; tag_id: number }>`${filterClosure(ids)} select story_id, tag_id from closure`.execute(
        db,
      );
      const stored = await db.selectFrom('story_filter_tags').select(['story_id', 'tag_id']).where('story_id', 'in', ids).execute();
      const key = (row: { story_id: number; tag_id: number }) => `${row.story_id}:${row.tag_id}`;
      const [want, have] = [new Set(rows.map(key)), new Set(stored.map(key))];
      const differs = new Set<number>();
      for (const row of rows) if (!have.has(key(row))) differs.add(Number(row.story_id));
      for (const row of stored) if (!want.has(key(row))) differs.add(Number(row.story_id));
      return [...differs];
    },
    async repair(db, ids) {
      await refreshFilterSets(db, ids);
    },
  },
  {
    // Text, titles, tags and the author's current names, as the index was given them, against the source.
    name: 'search index',
    async drifted(db, ids) {
      const digests = await db
        .selectFrom('chapter_search_digests')
        .select(['chapter_id', 'story_id', 'digest'])
        .where('story_id', 'in', ids)
        .execute();
      const indexedIds = await engineFor(db).indexed(db, ids);
      const differs: number[] = [];
      for (const storyId of ids) {
        const want = await indexRows(db, storyId);
        const have = digests.filter((row) => Number(row.story_id) === storyId);
        const wanted = want.map((row) => `${row.chapterId}:${row.digest}`);
        const stored = have.map((row) => `${row.chapter_id}:${row.digest}`);
        const inIndex = want.filter((row) => indexedIds.has(row.chapterId)).length;
        const strays = have.filter((row) => indexedIds.has(Number(row.chapter_id))).length;
        if (!sameSet(wanted, stored) || inIndex !== want.length || strays !== have.length) differs.push(storyId);
      }
      // Index rows no digest accounts for (a chapter indexed behind the digests' back).
      const accounted = new Set(digests.map((row) => Number(row.chapter_id)));
      for (const id of indexedIds) {
        if (accounted.has(id)) continue;
        const chapter = await db.selectFrom('chapters').select('story_id').where('id', '=', id).executeTakeFirst();
        if (chapter && !differs.includes(chapter.story_id)) differs.push(chapter.story_id);
      }
      return differs;
    },
    async repair(db, ids) {
      for (const id of ids) await indexStory(db, id);
    },
  },
];

/**
 * `oak check [--repair]`: recomputes every derived datum from its source, story by story, and
 * reports the stories where they disagree; with `repair`, sets each right in its own transaction.
 * After any sequence of writes it must find nothing: a write that forgot a consequence shows here.
 */
export async function checkArchive(ctx: Context, repair: boolean): Promise<Drift[]> {
  const found = new Map<string, number[]>(CHECKS.map((check) => [check.name, []]));
  for (let after = 0; ; ) {
    const ids = (await ctx.db.selectFrom('stories').select('id').where('id', '>', after).orderBy('id').limit(BATCH).execute()).map(
      (row) => row.id,
    );
    if (ids.length === 0) break;
    for (const check of CHECKS) {
      const drifted = await check.drifted(ctx.db, ids);
      found.get(check.name)?.push(...drifted);
      if (repair && drifted.length > 0) {
        // As a write: the repaired stories' cached pages go stale in every process.
        await write(ctx, async (trx) => {
          await check.repair(trx, drifted, ctx.clock.now());
          record(trx, ...drifted.map((storyId) => ({ type: 'storyChanged' as const, storyId })));
        });
      }
    }
    after = ids.at(-1) ?? after;
  }
  return CHECKS.map((check) => {
    const ids = found.get(check.name) ?? [];
    return { check: check.name, stories: ids.length, examples: ids.slice(0, 5) };
  });
}

/** The table `oak check` prints: one line per check. */
export function driftTable(drifts: Drift[], repaired: boolean): string[] {
  const width = Math.max(...drifts.map((drift) => drift.check.length));
  return drifts.map(({ check, stories, examples }) => {
    const state =
      stories === 0
        ? 'in step'
        : `${stories} ${stories === 1 ? 'story' : 'stories'} ${repaired ? 'repaired' : 'drifted'} (e.g. ${examples.join(', ')})`;
    return `${check.padEnd(width)}  ${state}`;
  });
}
