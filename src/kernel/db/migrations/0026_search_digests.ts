import { type Kysely, sql } from 'kysely';
import type { Migration } from './migration.ts';

/**
 * A digest of what the search index holds for each chapter, written with it, so `oak check` can
 * tell an index that drifted from its source (SQLite's index keeps no copy of the text to compare).
 * The index is rebuilt once, digests and all, by a job this migration queues: the search module
 * builds it exactly as writes do, and the migration runs no live code of its own.
 */
export function searchDigests(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('chapter_search_digests')
        .addColumn('chapter_id', 'bigint', (c) => c.primaryKey().references('chapters.id').onDelete('cascade'))
        .addColumn('story_id', 'bigint', (c) => c.notNull().references('stories.id').onDelete('cascade'))
        .addColumn('digest', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('chapter_search_digests_story').on('chapter_search_digests').column('story_id').execute();
      // Only an archive with chapters has an index to rebuild; a new one starts with none.
      await sql`insert into jobs (kind, payload, unique_key, run_at, max_attempts, created_at)
        select 'search.reindex', '{}', 'search.reindex', 0, 8, 0 where exists (select 1 from chapters)`.execute(db);
    },
  };
}
