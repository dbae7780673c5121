import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../schema.ts';
import type { Migration } from './migration.ts';

/**
 * Tag wrangling: links between tags (a character's or relationship's fandom, a tag's broader
 * metatag), and each story's filter set, the tags lists match it by: its own tags, the canonical
 * tags they are synonyms of, and every metatag above those. Lists read the filter set, so a synonym
 * or subtag finds its story without walking links per query. Large tags' filter sets are
 * recomputed by a queue rather than in the wrangler's request.
 */
export function wrangling(dialect: Dialect): Migration {
  const id = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('tag_links')
        .addColumn('tag_id', id, (c) => c.notNull().references('tags.id').onDelete('cascade'))
        .addColumn('parent_id', id, (c) => c.notNull().references('tags.id').onDelete('cascade'))
        /** 'fandom': the parent is the fandom a character or relationship belongs to; 'meta': the parent is a broader tag of the same type. */
        .addColumn('kind', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('tag_links_pk', ['tag_id', 'kind', 'parent_id'])
        .execute();
      await db.schema.createIndex('tag_links_parent').on('tag_links').columns(['parent_id', 'kind']).execute();

      await db.schema
        .createTable('story_filter_tags')
        .addColumn('story_id', id, (c) => c.notNull().references('stories.id').onDelete('cascade'))
        .addColumn('tag_id', id, (c) => c.notNull().references('tags.id').onDelete('cascade'))
        .addPrimaryKeyConstraint('story_filter_tags_pk', ['story_id', 'tag_id'])
        .execute();
      await db.schema.createIndex('story_filter_tags_tag').on('story_filter_tags').columns(['tag_id', 'story_id']).execute();
      // Nothing is wrangled yet: every story's filter set is its own tags.
      await sql`insert into story_filter_tags (story_id, tag_id) select story_id, tag_id from story_tags`.execute(db);

      /** Tags whose stories' filter sets are being recomputed in batches, from `after_story_id` on. */
      await db.schema
        .createTable('filter_refresh_queue')
        .addColumn('tag_id', id, (c) => c.primaryKey().references('tags.id').onDelete('cascade'))
        .addColumn('after_story_id', id, (c) => c.notNull().defaultTo(0))
        .addColumn('queued_at', 'bigint', (c) => c.notNull())
        .execute();
    },
  };
}
