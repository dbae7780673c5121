import { dialectOf } from '../../kernel/db/database.ts';
import type { Db } from '../../kernel/db/schema.ts';
import type { TextMatch as EngineMatch } from '../stories/filters.ts';
import { fts5Engine } from './engines/fts5.ts';
import { tsvectorEngine } from './engines/tsvector.ts';
import type { Term } from './query.ts';

/** One published chapter's searchable tokens: the story's words (meta), the chapter's title, its text and notes. */
export type IndexedChapter = { chapterId: number; meta: string[]; title: string[]; body: string[] };

/** What `match` returns is what the list query joins (stories/filters.ts says its shape). */
export type { Match, TextMatch as EngineMatch } from '../stories/filters.ts';

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
