import { dialectOf } from '../../db/database.ts';
import type { Db } from '../../db/schema.ts';
import { fts5Engine } from './engines/fts5.ts';
import { tsvectorEngine } from './engines/tsvector.ts';
import type { Term } from './query.ts';

/** One published chapter's searchable tokens: the story's words (meta), the chapter's title, its text and notes. */
export type IndexedChapter = { chapterId: number; meta: string[]; title: string[]; body: string[] };

/** A story's best chapter for a search and its score (a whole number, higher is better), best first. */
export type Match = { storyId: number; chapterId: number; score: number };

export type EngineMatch = {
  /** Null when the search has no words to match (only excluded ones). */
  matches: Match[] | null;
  /** Stories an excluded word appears in; null when nothing is excluded. */
  excluded: number[] | null;
  /** More matched than the engine ranks or keeps: counts are lower bounds. */
  capped: boolean;
  /** The engine can only approximate some of this query (phrases in long chapters): counts are "about". */
  approximate: boolean;
};

/**
 * Full-text search over published chapters, one implementation per engine: SQLite's FTS5 and
 * PostgreSQL's tsvector today, and any other (OpenSearch, say) without touching the list query,
 * which joins the ids and scores `match` returns. Indexing is driven by search.index.ts only.
 */
export interface SearchEngine {
  /** Replaces what the index holds for the story's chapters (only `chapterIds`, when given) with `chapters`. */
  index(db: Db, storyId: number, chapters: IndexedChapter[], chapterIds: number[] | null): Promise<void>;
  /** Removes the story's chapters (only `chapterIds`, when given) from the index. */
  remove(db: Db, storyId: number, chapterIds: number[] | null): Promise<void>;
  /** The best-scoring stories whose chapters hold every group (any of a group's terms), without the excluded terms. */
  match(db: Db, groups: Term[][], excluded: Term[]): Promise<EngineMatch>;
  /** The chapters of these stories the index holds: for `oak check`. */
  indexed(db: Db, storyIds: number[]): Promise<Set<number>>;
}

/** The engine of the database a handle talks to. */
export const engineFor = (db: Db): SearchEngine => (dialectOf(db) === 'postgres' ? tsvectorEngine : fts5Engine);
