import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../schema.ts';
import { idColumn, type Migration } from './migration.ts';

export function initial(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('users')
        .addColumn('id', ...idColumn(dialect))
        .addColumn('username', 'text', (c) => c.notNull())
        .addColumn('username_key', 'text', (c) => c.notNull().unique())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('bio', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('role', 'text', (c) => c.notNull().defaultTo('user'))
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('sessions')
        .addColumn('id', ...idColumn(dialect))
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('user_agent', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sessions_user_id').on('sessions').column('user_id').execute();

      await db.schema
        .createTable('stories')
        .addColumn('id', ...idColumn(dialect))
        .addColumn('author_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('slug', 'text', (c) => c.notNull())
        .addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('description_format', 'text', (c) => c.notNull().defaultTo('markdown'))
        .addColumn('description_source', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('description_html', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('cover_key', 'text')
        .addColumn('cover_width', 'integer')
        .addColumn('cover_height', 'integer')
        .addColumn('cover_artist_name', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('cover_artist_url', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('cover_source_url', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('rating', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('word_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('chapter_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('published_at', 'bigint')
        .execute();
      await db.schema.createIndex('stories_author_id').on('stories').columns(['author_id', 'updated_at']).execute();
      // The home page walks published stories newest-updated first.
      await db.schema
        .createIndex('stories_recently_updated')
        .on('stories')
        .columns(['updated_at', 'id'])
        .where(sql.ref('published_at'), 'is not', null)
        .execute();

      await db.schema
        .createTable('chapters')
        .addColumn('id', ...idColumn(dialect))
        .addColumn('story_id', 'integer', (c) => c.notNull().references('stories.id').onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('format', 'text', (c) => c.notNull())
        .addColumn('body_source', 'text', (c) => c.notNull())
        .addColumn('body_html', 'text', (c) => c.notNull())
        .addColumn('note_before_source', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('note_before_html', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('note_after_source', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('note_after_html', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('word_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('published_at', 'bigint')
        .addUniqueConstraint('chapters_story_position', ['story_id', 'position'])
        .execute();

      await db.schema
        .createTable('tags')
        .addColumn('id', ...idColumn(dialect))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('name_key', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull().defaultTo('freeform'))
        .addColumn('canonical_id', 'integer', (c) => c.references('tags.id').onDelete('set null'))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addUniqueConstraint('tags_type_name_key', ['type', 'name_key'])
        .execute();

      await db.schema
        .createTable('story_tags')
        .addColumn('story_id', 'integer', (c) => c.notNull().references('stories.id').onDelete('cascade'))
        .addColumn('tag_id', 'integer', (c) => c.notNull().references('tags.id').onDelete('cascade'))
        .addPrimaryKeyConstraint('story_tags_pk', ['story_id', 'tag_id'])
        .execute();
      await db.schema.createIndex('story_tags_tag_id').on('story_tags').column('tag_id').execute();
    },
  };
}
