import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../schema.ts';
import { sortKey } from './frozen-text.ts';
import type { Migration } from './migration.ts';

/**
 * Sorting by title: each story keeps its title as a sort key (text/sort-key.ts), compared byte by
 * byte on both databases (PostgreSQL's "C" collation is SQLite's binary order), so a list sorted by
 * title is in the same order, and pages the same way, on either.
 */
export function titleSort(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('stories')
        .addColumn('sort_title', dialect === 'postgres' ? sql`text collate "C"` : 'text', (c) => c.notNull().defaultTo(''))
        .execute();
      const stories = await sql<{ id: number; title: string }>`select id, title from stories`.execute(db);
      for (const story of stories.rows)
        await sql`update stories set sort_title = ${sortKey(story.title)} where id = ${story.id}`.execute(db);
      await db.schema
        .createIndex('stories_by_title')
        .on('stories')
        .columns(['sort_title', 'id'])
        .where(sql.ref('published_at'), 'is not', null)
        .execute();
    },
  };
}
