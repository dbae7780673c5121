import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../schema.ts';
import { nameSkeleton } from './frozen-text.ts';
import type { Migration } from './migration.ts';

/** Every id and reference to one, by table: bigint on PostgreSQL so ids past 2^31 work as on SQLite. */
const ID_COLUMNS: Record<string, string[]> = {
  users: ['id'],
  sessions: ['id', 'user_id'],
  stories: ['id', 'author_id'],
  chapters: ['id', 'story_id'],
  tags: ['id', 'canonical_id'],
  story_tags: ['story_id', 'tag_id'],
};

export function hardening(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (dialect === 'postgres') {
        for (const [table, columns] of Object.entries(ID_COLUMNS)) {
          for (const column of columns) await sql`alter table ${sql.table(table)} alter column ${sql.ref(column)} type bigint`.execute(db);
          if (columns.includes('id')) await sql`alter sequence ${sql.table(`${table}_id_seq`)} as bigint`.execute(db);
        }
      }

      // One-off claims such as "the first account is the admin": a row's unique name makes them atomic.
      await db.schema
        .createTable('archive_claims')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('claimed_at', 'bigint', (c) => c.notNull())
        .execute();

      // Look-alike names are found by their confusable skeletons.
      await db.schema
        .alterTable('users')
        .addColumn('username_skeleton', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
      await db.schema
        .alterTable('users')
        .addColumn('display_name_skeleton', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
      const users = await sql<{ id: number; username: string; display_name: string }>`select id, username, display_name from users`.execute(
        db,
      );
      for (const user of users.rows) {
        await sql`update users set username_skeleton = ${nameSkeleton(user.username)}, display_name_skeleton = ${nameSkeleton(user.display_name)} where id = ${user.id}`.execute(
          db,
        );
      }
      await db.schema.createIndex('users_username_skeleton').on('users').column('username_skeleton').execute();
      await db.schema.createIndex('users_display_name_skeleton').on('users').column('display_name_skeleton').execute();

      // Covers are served after checking the story they belong to.
      await db.schema.createIndex('stories_cover_key').on('stories').column('cover_key').execute();
    },
  };
}
