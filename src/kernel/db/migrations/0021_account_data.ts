import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.ts';
import type { Migration } from './migration.ts';

/**
 * An account's own data: the names it had (their author pages redirect to the current one, and no
 * one else may take them), and the downloads of everything it holds, kept for a week.
 */
export function accountData(dialect: Dialect): Migration {
  const id = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('old_usernames')
        .addColumn('username_key', 'text', (c) => c.primaryKey())
        .addColumn('user_id', id, (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('changed_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('account_exports')
        .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
          dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('user_id', id, (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('file_key', 'text')
        .addColumn('bytes', 'integer')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('ready_at', 'bigint')
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('account_exports_by_user').on('account_exports').columns(['user_id', 'id']).execute();
    },
  };
}
