import type { Kysely } from 'kysely';
import type { Migration } from './migration.ts';

/** The language a story is written in (a BCP 47 code), for the language filter; stories so far were English. */
export function storyLanguage(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('stories')
        .addColumn('language', 'text', (c) => c.notNull().defaultTo('en'))
        .execute();
    },
  };
}
