import { type RawBuilder, sql } from 'kysely';
import { dialectOf } from './database.ts';
import type { Db } from './schema.ts';

/**
 * Rows of whole numbers as a table a query can join or select from, in one bound parameter per
 * column (PostgreSQL: arrays unnested) or one in all (SQLite: a JSON array read by json_each), so
 * a thousand rows cost no thousand placeholders.
 */
export function numberRows<C extends string>(db: Db, columns: readonly C[], rows: number[][]): RawBuilder<Record<C, number>> {
  if (dialectOf(db) === 'postgres') {
    const arrays = columns.map((_, i) => sql`cast(${`{${rows.map((row) => row[i]).join(',')}}`} as bigint[])`);
    return sql<Record<C, number>>`(select * from unnest(${sql.join(arrays)}) as matched (${sql.join(columns.map((c) => sql.id(c)))}))`;
  }
  const picks = columns.map((column, i) => sql`value ->> ${sql.lit(i)} as ${sql.id(column)}`);
  return sql<Record<C, number>>`(select ${sql.join(picks)} from json_each(${JSON.stringify(rows)}))`;
}
