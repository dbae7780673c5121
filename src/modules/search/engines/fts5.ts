import { sql } from 'kysely';
import type { SearchEngine } from '../engine.ts';
import { fts5Query } from '../query.ts';
import { CANDIDATE_LIMIT, keptMatches, MATCH_LIMIT, SCORE_SCALE } from './limits.ts';

const ids = (list: number[]) => sql.join(list.map((id) => sql`${id}`));

/**
 * SQLite's FTS5: a contentless table keyed by chapter id (rows leave by a trigger when a chapter
 * goes), ranked by bm25 weighted by column (title, then the story's words, then the text). Phrases
 * are exact.
 */
export const fts5Engine: SearchEngine = {
  async remove(db, storyId, chapterIds) {
    const which = chapterIds ? ids(chapterIds) : sql`select id from chapters where story_id = ${storyId}`;
    await sql`delete from chapter_search where rowid in (${which})`.execute(db);
  },

  async index(db, storyId, chapters, chapterIds) {
    await this.remove(db, storyId, chapterIds);
    for (const { chapterId, meta, title, body } of chapters) {
      await sql`insert into chapter_search (rowid, meta, title, body)
        values (${chapterId}, ${meta.join(' ')}, ${title.join(' ')}, ${body.join(' ')})`.execute(db);
    }
  },

  async match(db, groups, excluded) {
    const excludedStories =
      excluded.length === 0
        ? null
        : (
            await sql<{ story_id: number }>`select distinct chapters.story_id from chapter_search
              join chapters on chapters.id = chapter_search.rowid where chapter_search match ${fts5Query([excluded])}`.execute(db)
          ).rows.map((row) => Number(row.story_id));
    if (groups.length === 0) return { matches: null, excluded: excludedStories, capped: false, approximate: false };
    // SQLite gives the bare column chapter_id from the row that holds min(rank): the best chapter.
    const { rows } = await sql<{ story_id: number; chapter_id: number; score: number; chapters: number }>`
      select chapters.story_id as story_id, chapters.id as chapter_id,
          cast(-min(candidates.rank) * ${SCORE_SCALE} as integer) as score, count(*) as chapters
        from (select rowid as id, rank from chapter_search where chapter_search match ${fts5Query(groups)}
          order by rowid desc limit ${CANDIDATE_LIMIT}) as candidates
        join chapters on chapters.id = candidates.id
        group by chapters.story_id order by score desc, story_id desc limit ${MATCH_LIMIT + 1}`.execute(db);
    return { ...keptMatches(rows), excluded: excludedStories, approximate: false };
  },

  async indexed(db, storyIds) {
    if (storyIds.length === 0) return new Set();
    const { rows } = await sql<{ id: number }>`select rowid as id from chapter_search
      where rowid in (select id from chapters where story_id in (${ids(storyIds)}))`.execute(db);
    return new Set(rows.map((row) => Number(row.id)));
  },
};
