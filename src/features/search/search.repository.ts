import { sql } from 'kysely';
import { dialectOf } from '../../db/database.ts';
import type { Db } from '../../db/schema.ts';
import type { TextMatch } from '../browse/filters.ts';
import { fts5Query, type Term, tsQuery } from './query.ts';

/** Scores become whole numbers so a keyset cursor can hold them (bm25 and ts_rank_cd are small floats). */
const SCALE = 1e9;

/**
 * A search's text as SQL for the list query: each story whose chapters match (its best chapter and
 * score), and the stories any excluded term appears in. SQLite asks FTS5 (bm25, weighted by
 * column); PostgreSQL the GIN index (ts_rank_cd, weighted by the tsvector's labels).
 */
export function textMatch(db: Db, groups: Term[][], excluded: Term[]): TextMatch {
  const excludedGroups = excluded.length > 0 ? [excluded] : [];
  if (dialectOf(db) === 'postgres') {
    return {
      matches:
        groups.length === 0
          ? null
          : sql<{ story_id: number; chapter_id: number; score: number }>`(select story_id,
              (array_agg(chapter_id order by rank desc, chapter_id))[1] as chapter_id,
              cast(max(rank) * ${SCALE} as bigint) as score
            from (select story_id, chapter_id, ts_rank_cd(document, query) as rank
              from chapter_search, cast(${tsQuery(groups)} as tsquery) as query where document @@ query) as ranked
            group by story_id)`,
      excluded:
        excludedGroups.length === 0
          ? null
          : sql<{ story_id: number }>`(select story_id from chapter_search where document @@ cast(${tsQuery(excludedGroups)} as tsquery))`,
    };
  }
  return {
    // SQLite gives the bare column chapter_id from the row that holds min(rank): the best chapter.
    matches:
      groups.length === 0
        ? null
        : sql<{ story_id: number; chapter_id: number; score: number }>`(select chapters.story_id as story_id,
            chapters.id as chapter_id, cast(-min(chapter_search.rank) * ${SCALE} as integer) as score
          from chapter_search join chapters on chapters.id = chapter_search.rowid
          where chapter_search match ${fts5Query(groups)} group by chapters.story_id)`,
    excluded:
      excludedGroups.length === 0
        ? null
        : sql<{ story_id: number }>`(select chapters.story_id from chapter_search join chapters on chapters.id = chapter_search.rowid
          where chapter_search match ${fts5Query(excludedGroups)})`,
  };
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
