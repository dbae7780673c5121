import { type Kysely, sql } from 'kysely';
import { nameSkeleton } from './frozen-text.ts';
import type { Migration } from './migration.ts';

/**
 * The account orphaned stories belong to is a system account: marked, so no lookup by name can
 * mistake a person for it. Before this, anyone could sign up as `orphan_account` (on an empty
 * archive even as its admin) and receive every story orphaned after. The archive's own row (no
 * password) is marked; a person who took the name is renamed, and the system account made anew.
 */
export function systemAccount(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('users')
        .addColumn('system', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await sql`update users set system = 1 where username_key = 'orphan_account' and password_hash = '!'`.execute(db);
      const { rows } = await sql<{ id: number }>`select id from users where username_key = 'orphan_account' and system = 0`.execute(db);
      for (const { id } of rows) {
        const name = `orphan_claimant_${id}`;
        await sql`update users set username = ${name}, username_key = ${name}, username_skeleton = ${nameSkeleton(name)} where id = ${id}`.execute(
          db,
        );
      }
    },
  };
}
