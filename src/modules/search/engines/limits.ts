/** Scores become whole numbers so a keyset cursor can hold them (bm25 and ts_rank are small floats). */
export const SCORE_SCALE = 1e9;

/** A search keeps the stories of its best this many matches: what any reader pages through, and a bound on the work. */
export const MATCH_LIMIT = 1000;

/**
 * An engine ranks at most this many matching chapters, the most recently written: ranking every
 * chapter that holds a word as common as "house" would read most of the archive for each search.
 */
export const CANDIDATE_LIMIT = 2000;

type Ranked = { story_id: number; chapter_id: number; score: number; chapters: number };

/** An engine's ranked rows (at most MATCH_LIMIT + 1 stories) as the matches a search keeps, and whether it was capped. */
export function keptMatches(rows: Ranked[]) {
  const ranked = rows.reduce((sum, row) => sum + Number(row.chapters), 0);
  return {
    matches: rows
      .slice(0, MATCH_LIMIT)
      .map((row) => ({ storyId: Number(row.story_id), chapterId: Number(row.chapter_id), score: Number(row.score) })),
    capped: rows.length > MATCH_LIMIT || ranked >= CANDIDATE_LIMIT,
  };
}
