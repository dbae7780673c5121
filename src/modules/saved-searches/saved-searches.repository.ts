import type { Db } from '../../kernel/db/schema.ts';

export async function listSavedSearches(db: Db, userId: number) {
  return db.selectFrom('saved_searches').selectAll().where('user_id', '=', userId).orderBy('id').execute();
}

export async function countSavedSearches(db: Db, userId: number): Promise<number> {
  const row = await db
    .selectFrom('saved_searches')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findSavedSearch(db: Db, id: number) {
  return db.selectFrom('saved_searches').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertSavedSearch(db: Db, search: { user_id: number; name: string; query: string; created_at: number }) {
  return db.insertInto('saved_searches').values(search).returning('id').executeTakeFirstOrThrow();
}

/** Deletes one of the user's saved searches; false when they have none with that id. */
export async function deleteSavedSearch(db: Db, id: number, userId: number): Promise<boolean> {
  const result = await db.deleteFrom('saved_searches').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
