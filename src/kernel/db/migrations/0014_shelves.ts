import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.ts';
import type { Migration } from './migration.ts';

/**
 * Shelves: every account's "Read later" and "Favourites", and shelves a reader makes; each private,
 * unlisted (anyone with the address) or public (also on the reader's profile). A story on a shelf
 * may carry the reader's note (AO3's bookmark notes).
 */
export function shelves(dialect: Dialect): Migration {
  const id = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('shelves')
        .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
          dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('user_id', id, (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        /** 'read_later', 'favourites' (one each per account) or 'custom'. */
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('visibility', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('shelves_by_user').on('shelves').columns(['user_id', 'kind']).execute();
      await db.schema
        .createTable('shelf_items')
        .addColumn('shelf_id', id, (c) => c.notNull().references('shelves.id').onDelete('cascade'))
        .addColumn('story_id', id, (c) => c.notNull().references('stories.id').onDelete('cascade'))
        .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('added_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('shelf_items_pk', ['shelf_id', 'story_id'])
        .execute();
      await db.schema.createIndex('shelf_items_story').on('shelf_items').column('story_id').execute();
    },
  };
}
