import type { ColumnDataType, ColumnDefinitionBuilder, Kysely } from 'kysely';
import type { Dialect } from '../schema.ts';

export type Migration = { up(db: Kysely<unknown>): Promise<void> };

type ColumnArgs = [ColumnDataType, (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder];

/** An integer primary key that the database numbers itself. */
export function idColumn(dialect: Dialect): ColumnArgs {
  return dialect === 'postgres' ? ['serial', (c) => c.primaryKey()] : ['integer', (c) => c.primaryKey().autoIncrement()];
}
