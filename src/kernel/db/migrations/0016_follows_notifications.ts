import { type ColumnDefinitionBuilder, type Kysely, sql } from 'kysely';
import type { Dialect } from '../schema.ts';
import type { Migration } from './migration.ts';

/**
 * Follows (reader → author), subscriptions (reader → story), blocks (one account shuts another
 * out), notifications with per-kind preferences, and an optional verified e-mail address per
 * account. A notification due by mail carries `mail` ('now' or 'digest') until it is sent.
 */
export function followsNotifications(dialect: Dialect): Migration {
  const id = dialect === 'postgres' ? 'bigint' : 'integer';
  const user = (c: ColumnDefinitionBuilder) => c.notNull().references('users.id').onDelete('cascade');
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('follows')
        .addColumn('follower_id', id, user)
        .addColumn('author_id', id, user)
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('follows_pk', ['follower_id', 'author_id'])
        .execute();
      await db.schema.createIndex('follows_by_author').on('follows').columns(['author_id', 'follower_id']).execute();
      await db.schema
        .createTable('subscriptions')
        .addColumn('user_id', id, user)
        .addColumn('story_id', id, (c) => c.notNull().references('stories.id').onDelete('cascade'))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('subscriptions_pk', ['user_id', 'story_id'])
        .execute();
      await db.schema.createIndex('subscriptions_by_story').on('subscriptions').columns(['story_id', 'user_id']).execute();
      await db.schema
        .createTable('blocks')
        .addColumn('blocker_id', id, user)
        .addColumn('blocked_id', id, user)
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('blocks_pk', ['blocker_id', 'blocked_id'])
        .execute();
      await db.schema.createIndex('blocks_by_blocked').on('blocks').columns(['blocked_id', 'blocker_id']).execute();
      await db.schema
        .createTable('notifications')
        .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
          dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('user_id', id, user)
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('actor_id', id, (c) => c.references('users.id').onDelete('cascade'))
        .addColumn('story_id', id, (c) => c.references('stories.id').onDelete('cascade'))
        .addColumn('chapter_id', id, (c) => c.references('chapters.id').onDelete('cascade'))
        .addColumn('comment_id', id, (c) => c.references('comments.id').onDelete('cascade'))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('read_at', 'bigint')
        .addColumn('mail', 'text')
        .execute();
      await db.schema.createIndex('notifications_by_user').on('notifications').columns(['user_id', 'id']).execute();
      await db.schema
        .createIndex('notifications_unread')
        .on('notifications')
        .columns(['user_id', 'id'])
        .where(sql.ref('read_at'), 'is', null)
        .execute();
      await db.schema
        .createIndex('notifications_mail_due')
        .on('notifications')
        .columns(['mail', 'user_id', 'id'])
        .where(sql.ref('mail'), 'is not', null)
        .execute();
      await db.schema
        .createTable('notification_prefs')
        .addColumn('user_id', id, user)
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('mode', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('notification_prefs_pk', ['user_id', 'kind'])
        .execute();
      await db.schema.alterTable('users').addColumn('email', 'text').execute();
      await db.schema.alterTable('users').addColumn('email_verified_at', 'bigint').execute();
    },
  };
}
