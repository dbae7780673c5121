import type { ExpressionBuilder, SelectQueryBuilder } from 'kysely';

/** A position in a list sorted newest first: the sort key and id of the last row shown. */
export type Cursor = { sort: number; id: number };
/** `next` pages to older rows, `previous` to newer ones; each is null where the list ends. */
export type Page<T> = { items: T[]; next: string | null; previous: string | null };
/** Where a page starts: after a cursor (older), before one (newer), or at the top (both null). */
export type PageAt = { after: Cursor | null; before: Cursor | null };
export const FIRST_PAGE: PageAt = { after: null, before: null };

/** The `after` and `before` query parameters of a list page; `before` wins if both are sent. */
export function pageAt(query: { after?: unknown; before?: unknown }): PageAt {
  const before = decodeCursor(query.before);
  return before ? { after: null, before } : { after: decodeCursor(query.after), before: null };
}

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
 * Keyset pagination, newest first: rows strictly after the cursor by (sort, id) descending, or, for
 * a page of newer rows, strictly before it, read ascending (toPage turns them back). `sort` and
 * `id` are column references such as 'stories.updated_at'. Never OFFSET.
 */
export function keysetPage<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  columns: { sort: string; id: string },
  at: PageAt,
  limit: number,
): SelectQueryBuilder<DB, TB, O> {
  // A row-value comparison, `(sort, id) < (?, ?)`, which both databases answer from the (sort, id)
  // index; the equivalent OR form makes PostgreSQL scan from the top. Column names are fixed strings
  // chosen by callers, not user input.
  const cursor = at.before ?? at.after;
  const newer = at.before !== null;
  const bounded = cursor
    ? query.where((eb: ExpressionBuilder<DB, TB>) =>
        eb(eb.refTuple(columns.sort as never, columns.id as never), newer ? '>' : '<', eb.tuple(cursor.sort as never, cursor.id as never)),
      )
    : query;
  const direction = newer ? 'asc' : 'desc';
  return bounded
    .orderBy(columns.sort as never, direction)
    .orderBy(columns.id as never, direction)
    .limit(limit + 1);
}

/** Turns the rows keysetPage fetched (one extra, to know whether more exist) into a page, newest first. */
export function toPage<T>(rows: T[], limit: number, cursorOf: (row: T) => Cursor, at: PageAt = FIRST_PAGE): Page<T> {
  const more = rows.length > limit;
  const items = at.before ? rows.slice(0, limit).reverse() : rows.slice(0, limit);
  const first = items[0];
  const last = items.at(-1);
  // Coming from a newer page, there are newer rows; coming from an older one, there are older rows.
  const hasOlder = at.before ? true : more;
  const hasNewer = at.before ? more : at.after !== null;
  return {
    items,
    next: hasOlder && last ? encodeCursor(cursorOf(last)) : null,
    previous: hasNewer && first ? encodeCursor(cursorOf(first)) : null,
  };
}
