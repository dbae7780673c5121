/** Scores become whole numbers so a keyset cursor can hold them (bm25 and ts_rank are small floats). */
export const SCORE_SCALE = 1e9;

/** A search keeps the stories of its best this many matches: what any reader pages through, and a bound on the work. */
export const MATCH_LIMIT = 1000;

/**
 * An engine ranks at most this many matching chapters, the most recently written: ranking every
 * chapter that holds a word as common as "house" would read most of the archive for each search.
 */
export const CANDIDATE_LIMIT = 2000;
