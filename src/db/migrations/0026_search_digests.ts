import type { Kysely } from 'kysely';
import { reindexAll } from '../../features/search/search.index.ts';
import type { Db } from '../schema.ts';
import type { Migration } from './migration.ts';

/**
 * A digest of what the search index holds for each chapter, written with it, so `oak check` can
 * tell an index that drifted from its source (SQLite's index keeps no copy of the text to compare).
 * The index is rebuilt once, digests and all. (It is the only migration that runs live feature
 * code, so that the index is built exactly as writes build it; 0007 no longer does.)
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
      await reindexAll(db as unknown as Db);
    },
  };
}
