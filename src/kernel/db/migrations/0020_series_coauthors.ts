import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import type { Dialect } from '../schema.ts';
import type { Migration } from './migration.ts';

/**
 * Series (stories grouped in an order, by the account that made the series) and co-authors (an
 * account invited to a story, who may edit it once they accept).
 */
export function seriesCoauthors(dialect: Dialect): Migration {
  const id = dialect === 'postgres' ? 'bigint' : 'integer';
  const ref = (table: string) => (c: ColumnDefinitionBuilder) => c.notNull().references(`${table}.id`).onDelete('cascade');
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('series')
        .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
          dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('owner_id', id, ref('users'))
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('series_by_owner').on('series').column('owner_id').execute();
      await db.schema
        .createTable('series_parts')
        .addColumn('series_id', id, ref('series'))
        .addColumn('story_id', id, ref('stories'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('series_parts_pk', ['series_id', 'story_id'])
        .execute();
      await db.schema.createIndex('series_parts_by_story').on('series_parts').column('story_id').execute();
      await db.schema
        .createTable('story_authors')
        .addColumn('story_id', id, ref('stories'))
        .addColumn('user_id', id, ref('users'))
        .addColumn('invited_at', 'bigint', (c) => c.notNull())
        .addColumn('accepted_at', 'bigint')
        .addPrimaryKeyConstraint('story_authors_pk', ['story_id', 'user_id'])
        .execute();
      await db.schema.createIndex('story_authors_by_user').on('story_authors').columns(['user_id', 'story_id']).execute();
    },
  };
}
