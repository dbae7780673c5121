import type { Kysely } from 'kysely';
import type { Migration } from './migration.ts';

/**
 * What the first-five-minutes review asked for: credit for a story's original author and where it
 * came from (imports), a formatted author bio, and reading settings kept on the account.
 */
export function firstSteps(): Migration {
  return {
    async up(db: Kysely<unknown>) {
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
