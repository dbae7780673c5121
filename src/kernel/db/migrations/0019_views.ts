import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../schema.ts';
import type { Migration } from './migration.ts';

/**
 * Views: one per reader per chapter per day, known by a keyed hash of the reader (account or
 * address) and the day, never the reader; rolled up into daily counts per chapter and a total per
 * story (for cards and for sorting by views). Marks older than a day are dropped.
 */
export function views(dialect: Dialect): Migration {
  const id = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('view_marks')
        .addColumn('day', 'integer', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('view_marks_pk', ['day', 'hash'])
        .execute();
      await db.schema
        .createTable('chapter_views')
        .addColumn('chapter_id', id, (c) => c.notNull().references('chapters.id').onDelete('cascade'))
        .addColumn('day', 'integer', (c) => c.notNull())
        .addColumn('views', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('chapter_views_pk', ['chapter_id', 'day'])
        .execute();
      await db.schema
        .alterTable('stories')
        .addColumn('view_count', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createIndex('stories_by_views')
        .on('stories')
        .columns(['view_count', 'id'])
        .where(sql.ref('published_at'), 'is not', null)
        .execute();
    },
  };
}
