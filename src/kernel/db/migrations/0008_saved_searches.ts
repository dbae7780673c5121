import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.ts';
import type { Migration } from './migration.ts';

/** A reader's named searches (a search or a filtered list, as its query string), each with its own feed. */
export function savedSearches(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('saved_searches')
        // bigint ids on PostgreSQL, as 0002 made every other table's.
        .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
          dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('user_id', dialect === 'postgres' ? 'bigint' : 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('query', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('saved_searches_user').on('saved_searches').columns(['user_id', 'id']).execute();
    },
  };
}
