import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, toPage } from './pagination.ts';

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
