import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.ts';
import type { Migration } from './migration.ts';

/**
 * What the first-five-minutes review asked for: covers kept across a failed story form, credit for a story's original author and where it
 * came from (imports), a formatted author bio, and reading settings kept on the account.
 */
export function firstSteps(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      // A cover uploaded with a story form that then failed, kept for the form's next submit; swept after a day.
      await db.schema
        .createTable('pending_covers')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('user_id', dialect === 'postgres' ? 'bigint' : 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('width', 'integer', (c) => c.notNull())
        .addColumn('height', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('pending_covers_created_at').on('pending_covers').column('created_at').execute();

      await db.schema
        .alterTable('stories')
        .addColumn('original_author', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
      await db.schema
        .alterTable('stories')
        .addColumn('source_url', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
      // Bios so far were plain text, which is what 'text' renders them as.
      await db.schema
        .alterTable('users')
        .addColumn('bio_format', 'text', (c) => c.notNull().defaultTo('text'))
        .execute();
      await db.schema
        .alterTable('users')
        .addColumn('bio_html', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
      // The reading-settings cookie's value, so the settings follow the reader to every device.
      await db.schema
        .alterTable('users')
        .addColumn('reading_preferences', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
    },
  };
}
