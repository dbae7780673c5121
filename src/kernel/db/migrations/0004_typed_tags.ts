import { type Kysely, sql } from 'kysely';
import type { Migration } from './migration.ts';

// The fixed tags as they were when this migration was written: a frozen copy, so later changes to
// features/stories/tag-types.ts never change what this migration does.
const WARNINGS = [
  'Creator Chose Not To Use Archive Warnings',
  'No Archive Warnings Apply',
  'Graphic Depictions Of Violence',
  'Major Character Death',
  'Rape/Non-Con',
  'Underage Sex',
];
const CATEGORIES = ['F/F', 'F/M', 'Gen', 'M/M', 'Multi', 'Other'];
const DEFAULT_GENRES = [
  'Adventure',
  'Alternate Universe',
  'Comedy',
  'Crossover',
  'Dark',
  'Drama',
  'Horror',
  'Mystery',
  'Romance',
  'Sad',
  'Science Fiction',
  'Slice of Life',
  'Thriller',
  'Tragedy',
];

/**
 * Typed tags: `canonical` is 1 or 0 (an integer, which both databases bind alike). The fixed warnings and categories and the starting genres exist as canonical tags, so
 * forms list them and filters find them. Existing tags were free-form and stay so.
 */
export function typedTags(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('tags')
        .addColumn('canonical', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      const now = Date.now();
      const fixed = [
        ...WARNINGS.map((name) => ({ type: 'warning', name })),
        ...CATEGORIES.map((name) => ({ type: 'category', name })),
        ...DEFAULT_GENRES.map((name) => ({ type: 'genre', name })),
      ];
      for (const { type, name } of fixed) {
        await sql`insert into tags (name, name_key, type, canonical, created_at) values (${name}, ${name.toLowerCase()}, ${type}, 1, ${now})
          on conflict (type, name_key) do update set canonical = 1`.execute(db);
      }
      await db.schema.createIndex('tags_type_canonical').on('tags').columns(['type', 'canonical']).execute();
    },
  };
}
