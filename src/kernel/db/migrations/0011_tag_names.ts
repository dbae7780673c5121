import type { Kysely } from 'kysely';
import type { Migration } from './migration.ts';

/** Tags looked up by name alone, whatever their type (a mute list's exact names, a filter's included tags). */
export function tagNames(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.createIndex('tags_name_key').on('tags').column('name_key').execute();
    },
  };
}
