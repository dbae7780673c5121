import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.ts';
import type { Migration } from './migration.ts';

/**
 * A reader's mute list (tag patterns with * wildcards, and authors) and default filter, applied
 * inside every list query.
 */
export function muteLists(dialect: Dialect): Migration {
  const id = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('muted_tags')
        .addColumn('user_id', id, (c) => c.notNull().references('users.id').onDelete('cascade'))
        /** As the reader typed it, lower-cased: `*death*`. */
        .addColumn('pattern', 'text', (c) => c.notNull())
        /** The same as a LIKE pattern (escape character `\`), matched against tags.name_key. */
        .addColumn('like_pattern', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('muted_tags_pk', ['user_id', 'pattern'])
        .execute();
      await db.schema
        .createTable('muted_authors')
        .addColumn('user_id', id, (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('author_id', id, (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addPrimaryKeyConstraint('muted_authors_pk', ['user_id', 'author_id'])
        .execute();
      // The filters a reader's lists start with, as the query string of a filtered list ('' for none).
      await db.schema
        .alterTable('users')
        .addColumn('default_filter', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
    },
  };
}
