import { sql } from 'kysely';
import type { SearchEngine } from '../engine.ts';
import { tsQuery } from '../query.ts';
import { CANDIDATE_LIMIT, keptMatches, MATCH_LIMIT, SCORE_SCALE } from './limits.ts';

const ids = (list: number[]) => sql.join(list.map((id) => sql`${id}`));

/**
 * PostgreSQL: a tsvector per chapter with a GIN index, ranked by ts_rank weighted by label
 * (ts_rank_cd took twice as long). It keeps a word's first 256 positions and none past 16,383, so
 * in a long chapter a phrase past those is found by its words but not as a phrase: such searches
 * say their counts are approximate.
 */
export const tsvectorEngine: SearchEngine = {
  async remove(db, storyId, chapterIds) {
    const only = chapterIds ? sql` and chapter_id in (${ids(chapterIds)})` : sql``;
    await sql`delete from chapter_search where story_id = ${storyId}${only}`.execute(db);
  },

  async index(db, storyId, chapters, chapterIds) {
    await this.remove(db, storyId, chapterIds);
    for (const { chapterId, meta, title, body } of chapters) {
      const document = tsvectorLiteral([
        [meta, 'B'],
        [title, 'A'],
        [body, 'D'],
      ]);
      await sql`insert into chapter_search (chapter_id, story_id, document) values (${chapterId}, ${storyId}, ${document}::tsvector)`.execute(
        db,
      );
    }
  },

  async match(db, groups, excluded) {
    const approximate = [...groups.flat(), ...excluded].some((term) => term.length > 1);
    const excludedStories =
      excluded.length === 0
        ? null
        : (
            await sql<{ story_id: number }>`select distinct story_id from chapter_search
              where document @@ cast(${tsQuery([excluded])} as tsquery)`.execute(db)
          ).rows.map((row) => Number(row.story_id));
    if (groups.length === 0) return { matches: null, excluded: excludedStories, capped: false, approximate };
    const { rows } = await sql<{ story_id: number; chapter_id: number; score: number; chapters: number }>`
      select story_id, (array_agg(chapter_id order by rank desc, chapter_id))[1] as chapter_id,
          cast(max(rank) * ${SCORE_SCALE} as bigint) as score, count(*) as chapters
        from (select story_id, chapter_id, ts_rank(document, query) as rank
          from chapter_search, cast(${tsQuery(groups)} as tsquery) as query where document @@ query
          order by chapter_id desc limit ${CANDIDATE_LIMIT}) as ranked
        group by story_id order by score desc, story_id desc limit ${MATCH_LIMIT + 1}`.execute(db);
    return { ...keptMatches(rows), excluded: excludedStories, approximate: approximate };
  },

  async indexed(db, storyIds) {
    if (storyIds.length === 0) return new Set();
    const { rows } = await sql<{ id: number }>`select chapter_id as id from chapter_search
      where story_id in (${ids(storyIds)})`.execute(db);
    return new Set(rows.map((row) => Number(row.id)));
  },
};

/** PostgreSQL keeps positions up to 16383, 256 per word, and a tsvector under 1 MB; past those it refuses. */
const MAX_POSITION = 16383;
const MAX_POSITIONS_PER_WORD = 256;
const MAX_DOCUMENT_BYTES = 900_000;

/**
 * A tsvector literal of our tokens (letters and digits only, so single quotes are quoting enough),
 * columns weighted and kept ten positions apart so a phrase never spans two. Positions past
 * PostgreSQL's last are clamped to it, as to_tsvector does: every word stays findable.
 */
function tsvectorLiteral(columns: [string[], 'A' | 'B' | 'D'][]): string {
  const positions = new Map<string, string[]>();
  let bytes = 0;
  let position = 0;
  for (const [tokens, weight] of columns) {
    for (const token of tokens) {
      position = Math.min(position + 1, MAX_POSITION);
      const seen = positions.get(token);
      // A position costs two bytes, a new word its length and a few more.
      const cost = seen ? 2 : Buffer.byteLength(token) + 8;
      if ((seen && seen.length >= MAX_POSITIONS_PER_WORD) || bytes + cost > MAX_DOCUMENT_BYTES) continue;
      bytes += cost;
      if (seen) seen.push(`${position}${weight}`);
      else positions.set(token, [`${position}${weight}`]);
    }
    position = Math.min(position + 10, MAX_POSITION);
  }
  return [...positions].map(([token, at]) => `'${token}':${at.join(',')}`).join(' ');
}
