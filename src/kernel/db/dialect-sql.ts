import { type Expression, type RawBuilder, sql } from 'kysely';
import { dialectOf } from './database.ts';
import type { Db } from './schema.ts';

// The few expressions the two databases write differently, so no module needs to know which it talks to.

/**
 * Rows a write claims: PostgreSQL locks them until the transaction ends, skipping (`skip`) or
 * waiting for (`wait`) those another transaction holds; SQLite runs one write at a time already.
 */
export function lockedForWrite<Q extends { forUpdate(): Q; skipLocked(): Q }>(db: Db, query: Q, mode: 'wait' | 'skip'): Q {
  if (dialectOf(db) !== 'postgres') return query;
  const locked = query.forUpdate();
  return mode === 'skip' ? locked.skipLocked() : locked;
}

/** A column's values joined by commas: string_agg on PostgreSQL, group_concat on SQLite. */
export function commaJoined(db: Db, column: string): RawBuilder<string | null> {
  return dialectOf(db) === 'postgres'
    ? sql<string | null>`string_agg(cast(${sql.ref(column)} as text), ',')`
    : sql<string | null>`group_concat(${sql.ref(column)}, ',')`;
}

/**
 * `column` is one of the ids a subquery yields. PostgreSQL reads the ids once and looks each up in
 * the index (`= any(array(…))`); with `in` it hashes them and may read the whole table.
 */
export function amongIds(db: Db, column: string, ids: Expression<unknown>): RawBuilder<boolean> {
  return dialectOf(db) === 'postgres'
    ? sql<boolean>`${sql.ref(column)} = any(array${ids})`
    : // A subquery compiles with its own parentheses: `in (…)` around it would make SQLite read one row.
      sql<boolean>`${sql.ref(column)} in ${ids}`;
}
