import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../schema.ts';
import type { Migration } from './migration.ts';

/**
 * Kudos: one per account per story, and one per guest per story, a guest known only by a keyed
 * hash of their address (never the address itself). Each story caches its count, for cards and
 * for sorting by kudos.
 */
export function kudos(dialect: Dialect): Migration {
  const id = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('kudos')
        .addColumn('story_id', id, (c) => c.notNull().references('stories.id').onDelete('cascade'))
        .addColumn('user_id', id, (c) => c.references('users.id').onDelete('cascade'))
        .addColumn('guest_hash', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('kudos_by_account').on('kudos').columns(['story_id', 'user_id']).unique().execute();
      await db.schema.createIndex('kudos_by_guest').on('kudos').columns(['story_id', 'guest_hash']).unique().execute();
      await db.schema
        .alterTable('stories')
        .addColumn('kudos_count', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createIndex('stories_by_kudos')
        .on('stories')
        .columns(['kudos_count', 'id'])
        .where(sql.ref('published_at'), 'is not', null)
        .execute();
    },
  };
}
