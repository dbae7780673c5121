import type { ExpressionBuilder, SelectQueryBuilder } from 'kysely';

/** A position in a list sorted newest first: the sort key and id of the last row shown. */
export type Cursor = { sort: number; id: number };
export type Page<T> = { items: T[]; next: string | null };

export function encodeCursor(cursor: Cursor): string {
  return `${cursor.sort}.${cursor.id}`;
}

/** An unreadable cursor is treated as the first page rather than an error. */
export function decodeCursor(value: unknown): Cursor | null {
  if (typeof value !== 'string') return null;
  const match = /^(\d{1,16})\.(\d{1,12})$/.exec(value);
  return match ? { sort: Number(match[1]), id: Number(match[2]) } : null;
}

/**
 * Keyset pagination, newest first: rows strictly after the cursor by (sort, id) descending.
 * `sort` and `id` are column references such as 'stories.updated_at'. Never OFFSET.
 */
export function keysetPage<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  columns: { sort: string; id: string },
  cursor: Cursor | null,
  limit: number,
): SelectQueryBuilder<DB, TB, O> {
  // A row-value comparison, `(sort, id) < (?, ?)`, which both databases answer from the (sort, id)
  // index; the equivalent OR form makes PostgreSQL scan from the top. Column names are fixed strings
  // chosen by callers, not user input.
  const after = cursor
    ? query.where((eb: ExpressionBuilder<DB, TB>) =>
        eb(eb.refTuple(columns.sort as never, columns.id as never), '<', eb.tuple(cursor.sort as never, cursor.id as never)),
      )
    : query;
  return after
    .orderBy(columns.sort as never, 'desc')
    .orderBy(columns.id as never, 'desc')
    .limit(limit + 1);
}

/** Splits the extra row fetched by keysetPage into a `next` cursor. */
export function toPage<T>(rows: T[], limit: number, cursorOf: (row: T) => Cursor): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, next: rows.length > limit && last ? encodeCursor(cursorOf(last)) : null };
}
