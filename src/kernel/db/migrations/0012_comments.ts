import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.ts';
import type { Migration } from './migration.ts';

/**
 * Comments on chapters, threaded: `thread_id` is the top comment's id (its own for a top comment),
 * so a page of threads loads every reply in one query. A deleted comment keeps its row, emptied,
 * so its replies keep their place. A story's author may lock its comments.
 */
export function comments(dialect: Dialect): Migration {
  const id = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('comments')
        .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
          dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('story_id', id, (c) => c.notNull().references('stories.id').onDelete('cascade'))
        .addColumn('chapter_id', id, (c) => c.notNull().references('chapters.id').onDelete('cascade'))
        .addColumn('author_id', id, (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('parent_id', id, (c) => c.references('comments.id').onDelete('cascade'))
        .addColumn('thread_id', id, (c) => c.notNull())
        .addColumn('format', 'text', (c) => c.notNull())
        .addColumn('body_source', 'text', (c) => c.notNull())
        .addColumn('body_html', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('edited_at', 'bigint')
        .addColumn('deleted_at', 'bigint')
        .execute();
      await db.schema.createIndex('comments_chapter_threads').on('comments').columns(['chapter_id', 'thread_id', 'id']).execute();
      await db.schema.createIndex('comments_by_author').on('comments').columns(['author_id', 'id']).execute();
      await db.schema
        .alterTable('stories')
        .addColumn('comments_locked', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
    },
  };
}
