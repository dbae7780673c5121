import type { ColumnDataType, ColumnDefinitionBuilder, Kysely } from 'kysely';
import type { Dialect } from '../schema.ts';

export type Migration = { up(db: Kysely<unknown>): Promise<void> };

type ColumnArgs = [ColumnDataType, (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder];

/** An integer primary key that the database numbers itself (0001's form; 0002 widens them to bigint on PostgreSQL). */
export function idColumn(dialect: Dialect): ColumnArgs {
  return dialect === 'postgres' ? ['serial', (c) => c.primaryKey()] : ['integer', (c) => c.primaryKey().autoIncrement()];
}
