import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import type { Dialect } from '../schema.ts';
import type { Migration } from './migration.ts';

/**
 * ActivityPub: each account's signing keys, Fedify's key-value store, the remote actors we know,
 * who of them follows our authors, whom our readers follow elsewhere, and what those sent us.
 */
export function federation(dialect: Dialect): Migration {
  const id = dialect === 'postgres' ? 'bigint' : 'integer';
  const serial = (c: ColumnDefinitionBuilder) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement());
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('federation_kv')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'bigint')
        .execute();
      await db.schema
        .createTable('actor_keys')
        .addColumn('user_id', id, (c) => c.primaryKey().references('users.id').onDelete('cascade'))
        .addColumn('key_pairs', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('remote_actors')
        .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', serial)
        .addColumn('uri', 'text', (c) => c.notNull().unique())
        .addColumn('inbox', 'text', (c) => c.notNull())
        .addColumn('shared_inbox', 'text')
        .addColumn('handle', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('url', 'text')
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('remote_followers')
        .addColumn('user_id', id, (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('actor_id', id, (c) => c.notNull().references('remote_actors.id').onDelete('cascade'))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('remote_followers_pk', ['user_id', 'actor_id'])
        .execute();
      await db.schema
        .createTable('remote_follows')
        .addColumn('user_id', id, (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('actor_id', id, (c) => c.notNull().references('remote_actors.id').onDelete('cascade'))
        .addColumn('activity_uri', 'text', (c) => c.notNull().unique())
        .addColumn('accepted_at', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('remote_follows_pk', ['user_id', 'actor_id'])
        .execute();
      await db.schema.createIndex('remote_follows_by_actor').on('remote_follows').columns(['actor_id']).execute();
      await db.schema
        .createTable('remote_posts')
        .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', serial)
        .addColumn('actor_id', id, (c) => c.notNull().references('remote_actors.id').onDelete('cascade'))
        .addColumn('uri', 'text', (c) => c.notNull().unique())
        .addColumn('url', 'text')
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('content_warning', 'text', (c) => c.notNull())
        .addColumn('published_at', 'bigint', (c) => c.notNull())
        .addColumn('received_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('remote_posts_by_actor').on('remote_posts').columns(['actor_id', 'id']).execute();
    },
  };
}
