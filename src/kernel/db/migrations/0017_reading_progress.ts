import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import type { Dialect } from '../schema.ts';
import type { Migration } from './migration.ts';

/**
 * Where each signed-in reader is in each story (the chapter and how far into it, in thousandths),
 * which is also their reading history; and which chapters they have read.
 */
export function readingProgress(dialect: Dialect): Migration {
  const id = dialect === 'postgres' ? 'bigint' : 'integer';
  const ref = (table: string) => (c: ColumnDefinitionBuilder) => c.notNull().references(`${table}.id`).onDelete('cascade');
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('reading_progress')
        .addColumn('user_id', id, ref('users'))
        .addColumn('story_id', id, ref('stories'))
        .addColumn('chapter_id', id, ref('chapters'))
        .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('reading_progress_pk', ['user_id', 'story_id'])
        .execute();
      await db.schema.createIndex('reading_progress_recent').on('reading_progress').columns(['user_id', 'updated_at']).execute();
      await db.schema.createIndex('reading_progress_chapter').on('reading_progress').column('chapter_id').execute();
      await db.schema
        .createTable('read_marks')
        .addColumn('user_id', id, ref('users'))
        .addColumn('chapter_id', id, ref('chapters'))
        .addColumn('story_id', id, ref('stories'))
        .addColumn('read_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('read_marks_pk', ['user_id', 'chapter_id'])
        .execute();
      await db.schema.createIndex('read_marks_by_story').on('read_marks').columns(['user_id', 'story_id']).execute();
    },
  };
}
