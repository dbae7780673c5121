import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, keysetPage, toPage } from './pagination.ts';
import type { Database } from './schema.ts';

describe('keyset cursors', () => {
  it('round-trip', () => {
    expect(decodeCursor(encodeCursor({ sort: 1795600000000, id: 42 }))).toEqual({ sort: 1795600000000, id: 42 });
  });

  it.each([undefined, '', 'abc', '1.2.3', '-1.5', `${'9'.repeat(20)}.1`, ['1.2']])('ignore garbage: %s', (value) => {
    expect(decodeCursor(value)).toBeNull();
  });

  it('offer a next cursor only when there is another row', () => {
    const rows = [1, 2, 3].map((id) => ({ id, at: 100 - id }));
    const cursorOf = (row: { id: number; at: number }) => ({ sort: row.at, id: row.id });
    expect(toPage(rows, 2, cursorOf)).toEqual({ items: rows.slice(0, 2), next: '98.2' });
    expect(toPage(rows, 3, cursorOf)).toEqual({ items: rows, next: null });
  });
});

describe('keyset pages', () => {
  const db = new Kysely<Database>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (inner) => new PostgresIntrospector(inner),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });

  it('compare (sort, id) as a row value, which the index answers without scanning from the top', () => {
    const query = keysetPage(
      db.selectFrom('stories').select('id'),
      { sort: 'stories.updated_at', id: 'stories.id' },
      { sort: 5, id: 2147483648 },
      20,
    );
    const { sql, parameters } = query.compile();
    expect(sql).toContain('where ("stories"."updated_at", "stories"."id") < ($1, $2)');
    expect(sql).toContain('order by "stories"."updated_at" desc, "stories"."id" desc limit $3');
    expect(parameters).toEqual([5, 2147483648, 21]);
  });
});
