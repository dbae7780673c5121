import { type RawBuilder, sql } from 'kysely';
import { dialectOf } from '../../db/database.ts';
import type { Db } from '../../db/schema.ts';
import type { TextMatch } from '../browse/filters.ts';
import { fts5Query, type Term, tsQuery } from './query.ts';

/** Scores become whole numbers so a keyset cursor can hold them (bm25 and ts_rank are small floats). */
const SCALE = 1e9;
/** A search keeps the stories of its best this many matches: what any reader pages through, and a bound on the work. */
export const MATCH_LIMIT = 1000;
/**
 * It ranks at most this many matching chapters, the most recently written: ranking every chapter
 * that holds a word as common as "house" would read most of the archive for each search.
 */
export const CANDIDATE_LIMIT = 2000;

type Match = { story_id: number; chapter_id: number; score: number; chapters: number };

/**
 * A search's text as SQL for the list query: the best-scoring stories whose chapters match (each
 * with its best chapter and score), found once and handed to the list query as rows so its page,
 * count and sidebar do not search again; and the stories any excluded term appears in. SQLite asks
 * FTS5 (bm25, weighted by column), PostgreSQL the GIN index (ts_rank, weighted by label; ts_rank_cd took twice as long). Both
 * rank the CANDIDATE_LIMIT most recent matching chapters; past that the counts are floors.
 */
export async function textMatch(db: Db, groups: Term[][], excluded: Term[]): Promise<TextMatch> {
  const postgres = dialectOf(db) === 'postgres';
  const excludedGroups = excluded.length > 0 ? [excluded] : [];
  const excludedStories =
    excludedGroups.length === 0
      ? null
      : postgres
        ? sql<{ story_id: number }>`(select story_id from chapter_search where document @@ cast(${tsQuery(excludedGroups)} as tsquery))`
        : sql<{ story_id: number }>`(select chapters.story_id from chapter_search join chapters on chapters.id = chapter_search.rowid
            where chapter_search match ${fts5Query(excludedGroups)})`;
  // PostgreSQL keeps word positions up to 16,383 and 256 per word (search.index.ts): in a long
  // chapter, a phrase past those is found by its words but not as a phrase, so counts differ from
  // SQLite's exact ones. Said, rather than shown as exact.
  const approximate = postgres && [...groups.flat(), ...excluded].some((term) => term.length > 1);
  if (groups.length === 0) return { matches: null, excluded: excludedStories, capped: false, approximate };
  const best = postgres
    ? sql<Match>`select story_id, (array_agg(chapter_id order by rank desc, chapter_id))[1] as chapter_id,
          cast(max(rank) * ${SCALE} as bigint) as score, count(*) as chapters
        from (select story_id, chapter_id, ts_rank(document, query) as rank
          from chapter_search, cast(${tsQuery(groups)} as tsquery) as query where document @@ query
          order by chapter_id desc limit ${CANDIDATE_LIMIT}) as ranked
        group by story_id order by score desc, story_id desc limit ${MATCH_LIMIT + 1}`
    : // SQLite gives the bare column chapter_id from the row that holds min(rank): the best chapter.
      sql<Match>`select chapters.story_id as story_id, chapters.id as chapter_id,
          cast(-min(candidates.rank) * ${SCALE} as integer) as score, count(*) as chapters
        from (select rowid as id, rank from chapter_search where chapter_search match ${fts5Query(groups)}
          order by rowid desc limit ${CANDIDATE_LIMIT}) as candidates
        join chapters on chapters.id = candidates.id
        group by chapters.story_id order by score desc, story_id desc limit ${MATCH_LIMIT + 1}`;
  const found = (await best.execute(db)).rows;
  const rows = found.map((row) => [Number(row.story_id), Number(row.chapter_id), Number(row.score)]);
  const ranked = found.reduce((sum, row) => sum + Number(row.chapters), 0);
  return {
    matches: asRows(rows.slice(0, MATCH_LIMIT), postgres),
    excluded: excludedStories,
    capped: rows.length > MATCH_LIMIT || ranked >= CANDIDATE_LIMIT,
    approximate,
  };
}

/** Matches as a table the list query can join: a JSON array read by json_each, or arrays unnested. */
function asRows(rows: number[][], postgres: boolean): RawBuilder<Omit<Match, 'chapters'>> {
  if (postgres) {
    const column = (i: number) => `{${rows.map((row) => row[i]).join(',')}}`;
    return sql<
      Omit<Match, 'chapters'>
    >`(select * from unnest(cast(${column(0)} as bigint[]), cast(${column(1)} as bigint[]), cast(${column(2)} as bigint[]))
      as matched (story_id, chapter_id, score))`;
  }
  return sql<
    Omit<Match, 'chapters'>
  >`(select value ->> 0 as story_id, value ->> 1 as chapter_id, value ->> 2 as score from json_each(${JSON.stringify(rows)}))`;
}

/** The chapters search results point into, with the text their snippets are cut from. */
export async function matchedChapters(db: Db, ids: number[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('chapters')
    .select(['id', 'story_id', 'title', 'body_html', 'note_before_html', 'note_after_html'])
    .where('id', 'in', ids)
    .where('published_at', 'is not', null)
    .execute();
}
