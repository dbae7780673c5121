import type { ExpressionBuilder, SelectQueryBuilder } from 'kysely';

/** A position in a list: the sort key (a number, or a title's sort key) and id of the last row shown. */
export type Cursor = { sort: number | string; id: number };
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

/** `123.45` for a number, `t<base64url>.45` for text. */
export function encodeCursor(cursor: Cursor): string {
  const sort = typeof cursor.sort === 'number' ? String(cursor.sort) : `t${Buffer.from(cursor.sort).toString('base64url')}`;
  return `${sort}.${cursor.id}`;
}

/** An unreadable cursor is treated as the first page rather than an error. */
export function decodeCursor(value: unknown): Cursor | null {
  if (typeof value !== 'string') return null;
  const number = /^(\d{1,16})\.(\d{1,12})$/.exec(value);
  if (number) return { sort: Number(number[1]), id: Number(number[2]) };
  const text = /^t([A-Za-z0-9_-]{0,1100})\.(\d{1,12})$/.exec(value);
  if (!text) return null;
  const sort = Buffer.from(text[1] ?? '', 'base64url').toString('utf8');
  // PostgreSQL text cannot hold NUL; no sort key does either.
  return sort.includes('\0') ? null : { sort, id: Number(text[2]) };
}

/**
 * Keyset pagination: rows strictly after the cursor in the list's order, by (sort, id) descending
 * (newest first) or, with `ascending`, ascending (titles A to Z); for a page of earlier rows,
 * strictly before it, read the other way (toPage turns them back). `sort` and `id` are column
 * references such as 'stories.updated_at'. Never OFFSET.
 */
export function keysetPage<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  columns: { sort: string; id: string; ascending?: boolean },
  at: PageAt,
  limit: number,
): SelectQueryBuilder<DB, TB, O> {
  // A row-value comparison, `(sort, id) < (?, ?)`, which both databases answer from the (sort, id)
  // index; the equivalent OR form makes PostgreSQL scan from the top. Column names are fixed strings
  // chosen by callers, not user input.
  const cursor = at.before ?? at.after;
  // Reading on in a descending list, or back in an ascending one, goes to smaller keys.
  const increasing = (columns.ascending ?? false) === (at.before === null);
  const bounded = cursor
    ? query.where((eb: ExpressionBuilder<DB, TB>) =>
        eb(
          eb.refTuple(columns.sort as never, columns.id as never),
          increasing ? '>' : '<',
          eb.tuple(cursor.sort as never, cursor.id as never),
        ),
      )
    : query;
  const direction = increasing ? 'asc' : 'desc';
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
