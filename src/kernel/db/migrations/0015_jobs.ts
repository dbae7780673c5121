import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../schema.ts';
import type { Migration } from './migration.ts';

/**
 * The durable job queue (mail, notification fan-out, data exports): a job is written in the same
 * transaction as the change that needs it, so it is never lost nor run for a change that rolled
 * back. A worker leases a job (locked_until); a failure sets run_at later, and a job out of attempts
 * stays, dead, for inspection. `unique_key` keeps one pending copy of a job that must not pile up.
 */
export function jobs(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('jobs')
        .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
          dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('unique_key', 'text')
        .addColumn('run_at', 'bigint', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('max_attempts', 'integer', (c) => c.notNull())
        .addColumn('locked_by', 'text')
        .addColumn('locked_until', 'bigint')
        .addColumn('last_error', 'text')
        .addColumn('dead_at', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('jobs_unique_key').on('jobs').column('unique_key').unique().execute();
      await db.schema.createIndex('jobs_due').on('jobs').columns(['run_at', 'id']).where(sql.ref('dead_at'), 'is', null).execute();
    },
  };
}
