import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../schema.ts';
import type { Migration } from './migration.ts';

/**
 * Full-text search, one row per published chapter: the story's title, summary, description, tags
 * and author names (meta), the chapter's title, and its text and notes (body). SQLite keeps an
 * FTS5 index without a copy of the text (contentless; rows deleted by chapter id, by a trigger when
 * a chapter goes); PostgreSQL a tsvector per chapter with a GIN index. Both are fed the tokens of
 * text/search-text.ts, so they match alike.
 */
export function search(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (dialect === 'sqlite') {
        await sql`create virtual table chapter_search using fts5(meta, title, body, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2')`.execute(
          db,
        );
        // Title matches weigh most, then the story's own words, then the chapter text.
        await sql`insert into chapter_search (chapter_search, rank) values ('rank', 'bm25(4.0, 8.0, 1.0)')`.execute(db);
        await sql`create trigger chapters_leave_search after delete on chapters begin delete from chapter_search where rowid = old.id; end`.execute(
          db,
        );
      } else {
        await db.schema
          .createTable('chapter_search')
          .addColumn('chapter_id', 'bigint', (c) => c.primaryKey().references('chapters.id').onDelete('cascade'))
          .addColumn('story_id', 'bigint', (c) => c.notNull().references('stories.id').onDelete('cascade'))
          .addColumn('document', sql`tsvector`, (c) => c.notNull())
          .execute();
        await sql`create index chapter_search_document on chapter_search using gin (document)`.execute(db);
        await db.schema.createIndex('chapter_search_story').on('chapter_search').column('story_id').execute();
      }
      // Stories written before this migration are indexed by 0026, with their digests.
    },
  };
}
