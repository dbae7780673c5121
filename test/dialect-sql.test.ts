import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { amongIds, commaJoined } from '../src/kernel/db/dialect-sql.ts';
import { createHarness, dialects, type Harness } from './harness.ts';

/** The expressions the two databases write differently answer alike. */
describe.each(dialects)('dialect expressions on %s', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(dialect);
    for (const name of ['ash', 'birch', 'cedar']) await h.login(name);
  });
  afterAll(() => h.close());

  it('matches every id a subquery yields, not only its first', async () => {
    const db = h.ctx.db;
    const people = db.selectFrom('users').select('id').where('username', 'in', ['ash', 'birch', 'cedar']);
    const row = await db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(amongIds(db, 'users.id', people))
      .executeTakeFirstOrThrow();
    expect(Number(row.n)).toBe(3);
  });

  it('joins a column’s values with commas', async () => {
    const db = h.ctx.db;
    const row = await db
      .selectFrom('users')
      .select(commaJoined(db, 'username').as('names'))
      .where('username', 'in', ['ash', 'birch', 'cedar'])
      .executeTakeFirstOrThrow();
    expect(row.names?.split(',').sort()).toEqual(['ash', 'birch', 'cedar']);
  });
});
