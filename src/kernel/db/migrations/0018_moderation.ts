import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import type { Dialect } from '../schema.ts';
import type { Migration } from './migration.ts';

/**
 * Moderation: reports with a snapshot of what was reported, hidden stories and comments (kept, and
 * shown to their authors with a notice), suspended accounts, and an audit log of every moderation
 * and admin action.
 */
export function moderation(dialect: Dialect): Migration {
  const id = dialect === 'postgres' ? 'bigint' : 'integer';
  const serial = (c: ColumnDefinitionBuilder) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement());
  const serialType = dialect === 'postgres' ? 'bigserial' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      for (const table of ['stories', 'comments']) {
        await db.schema.alterTable(table).addColumn('hidden_at', 'bigint').execute();
        await db.schema
          .alterTable(table)
          .addColumn('hidden_reason', 'text', (c) => c.notNull().defaultTo(''))
          .execute();
      }
      await db.schema.alterTable('users').addColumn('suspended_until', 'bigint').execute();
      await db.schema
        .alterTable('users')
        .addColumn('suspension_reason', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
      await db.schema
        .createTable('reports')
        .addColumn('id', serialType, serial)
        .addColumn('reporter_id', id, (c) => c.references('users.id').onDelete('set null'))
        .addColumn('target_kind', 'text', (c) => c.notNull())
        .addColumn('target_id', id, (c) => c.notNull())
        /** Who wrote what was reported, so a report outlives a deleted target and can lead to a suspension. */
        .addColumn('target_user_id', id, (c) => c.references('users.id').onDelete('set null'))
        .addColumn('snapshot', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('resolved_at', 'bigint')
        .addColumn('resolved_by', id, (c) => c.references('users.id').onDelete('set null'))
        .addColumn('resolution', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
      await db.schema.createIndex('reports_open').on('reports').columns(['resolved_at', 'id']).execute();
      await db.schema
        .createTable('audit_log')
        .addColumn('id', serialType, serial)
        .addColumn('actor_id', id, (c) => c.references('users.id').onDelete('set null'))
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('target_kind', 'text', (c) => c.notNull())
        .addColumn('target_id', id)
        .addColumn('detail', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
    },
  };
}
