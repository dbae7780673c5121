import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, keysetPage, toPage } from './pagination.ts';
import type { Database } from './schema.ts';

type Row = { id: number; at: number };

describe('keyset cursors', () => {
  it('round-trip', () => {
    expect(decodeCursor(encodeCursor({ sort: 1795600000000, id: 42 }))).toEqual({ sort: 1795600000000, id: 42 });
    for (const title of ['', 'the lantern keeper', '猫の物語', 'a.b/c?d=e&f']) {
      expect(decodeCursor(encodeCursor({ sort: title, id: 7 }))).toEqual({ sort: title, id: 7 });
    }
    expect(encodeCursor({ sort: 'ab', id: 3 })).toBe('tYWI.3');
    expect(decodeCursor(`t${Buffer.from('a\0b').toString('base64url')}.3`)).toBeNull();
  });

  it.each([undefined, '', 'abc', '1.2.3', '-1.5', `${'9'.repeat(20)}.1`, ['1.2'], 't!!.1', `t${'A'.repeat(2000)}.1`])(
    'ignore garbage: %s',
    (value) => {
      expect(decodeCursor(value)).toBeNull();
    },
  );

  it('offer a next cursor only when there is another row', () => {
    const rows = [1, 2, 3].map((id) => ({ id, at: 100 - id }));
    const cursorOf = (row: { id: number; at: number }) => ({ sort: row.at, id: row.id });
    expect(toPage(rows, 2, cursorOf)).toEqual({ items: rows.slice(0, 2), next: '98.2', previous: null });
    expect(toPage(rows, 3, cursorOf)).toEqual({ items: rows, next: null, previous: null });
  });

  it('offer a previous (newer) cursor after the first page, and turn a page read backwards around', () => {
    const [one, two, three] = [1, 2, 3].map((id) => ({ id, at: 100 - id })) as [Row, Row, Row];
    const rows = [one, two, three];
    const cursorOf = (row: Row) => ({ sort: row.at, id: row.id });
    const after = { after: { sort: 100, id: 0 }, before: null };
    expect(toPage(rows, 3, cursorOf, after)).toEqual({ items: rows, next: null, previous: '99.1' });
    // Read ascending from a cursor below them: rows 3, 2 (and 1, the extra that shows newer ones exist).
    const before = { after: null, before: { sort: 96, id: 4 } };
    expect(toPage([three, two, one], 2, cursorOf, before)).toEqual({ items: [two, three], next: '97.3', previous: '98.2' });
    expect(toPage([three, two], 2, cursorOf, before)).toEqual({ items: [two, three], next: '97.3', previous: null });
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
      { after: { sort: 5, id: 2147483648 }, before: null },
      20,
    );
    const { sql, parameters } = query.compile();
    expect(sql).toContain('where ("stories"."updated_at", "stories"."id") < ($1, $2)');
    expect(sql).toContain('order by "stories"."updated_at" desc, "stories"."id" desc limit $3');
    expect(parameters).toEqual([5, 2147483648, 21]);
  });
});
