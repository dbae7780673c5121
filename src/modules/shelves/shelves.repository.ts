import type { Db, ShelfKind, ShelfVisibility } from '../../kernel/db/schema.ts';

/** A reader's shelves, defaults first, with how many stories each holds. */
export async function listShelves(db: Db, userId: number) {
  const rows = await db
    .selectFrom('shelves')
    .leftJoin('shelf_items', 'shelf_items.shelf_id', 'shelves.id')
    .select((eb) => [
      'shelves.id',
      'shelves.name',
      'shelves.kind',
      'shelves.visibility',
      eb.fn.count<number>('shelf_items.story_id').as('stories'),
    ])
    .where('shelves.user_id', '=', userId)
    .groupBy(['shelves.id', 'shelves.name', 'shelves.kind', 'shelves.visibility'])
    .orderBy('shelves.id')
    .execute();
  return rows.map((row) => ({ ...row, stories: Number(row.stories) }));
}

export async function countShelves(db: Db, userId: number): Promise<number> {
  const row = await db
    .selectFrom('shelves')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Every account has a "Read later" and a "Favourites" shelf, made the first time they are needed. */
export async function ensureDefaultShelves(db: Db, userId: number, now: number) {
  const kinds = (await db.selectFrom('shelves').select('kind').where('user_id', '=', userId).where('kind', '!=', 'custom').execute()).map(
    (row) => row.kind,
  );
  const missing = (
    [
      ['read_later', 'Read later'],
      ['favourites', 'Favourites'],
    ] as const
  ).filter(([kind]) => !kinds.includes(kind));
  if (missing.length === 0) return;
  await db
    .insertInto('shelves')
    .values(missing.map(([kind, name]) => ({ user_id: userId, name, kind, visibility: 'private' as const, created_at: now })))
    .execute();
}

export async function insertShelf(
  db: Db,
  shelf: { user_id: number; name: string; kind: ShelfKind; visibility: ShelfVisibility; created_at: number },
) {
  return (await db.insertInto('shelves').values(shelf).returning('id').executeTakeFirstOrThrow()).id;
}

export async function findShelf(db: Db, id: number) {
  return db
    .selectFrom('shelves')
    .innerJoin('users', 'users.id', 'shelves.user_id')
    .select(['shelves.id', 'shelves.user_id', 'shelves.name', 'shelves.kind', 'shelves.visibility', 'users.username', 'users.display_name'])
    .where('shelves.id', '=', id)
    .executeTakeFirst();
}

/** Which of the reader's shelves hold the story, and the note they keep on it. */
export async function shelvesHolding(db: Db, userId: number, storyId: number) {
  return db
    .selectFrom('shelf_items')
    .innerJoin('shelves', 'shelves.id', 'shelf_items.shelf_id')
    .select(['shelf_items.shelf_id', 'shelf_items.note'])
    .where('shelves.user_id', '=', userId)
    .where('shelf_items.story_id', '=', storyId)
    .execute();
}

/** Puts the story on exactly these of the reader's shelves (`shelfIds` are theirs), each with the note. */
export async function setShelving(db: Db, userId: number, storyId: number, shelfIds: number[], note: string, now: number) {
  const own = db.selectFrom('shelves').select('id').where('user_id', '=', userId);
  let removal = db.deleteFrom('shelf_items').where('story_id', '=', storyId).where('shelf_id', 'in', own);
  if (shelfIds.length > 0) removal = removal.where('shelf_id', 'not in', shelfIds);
  await removal.execute();
  if (shelfIds.length === 0) return;
  await db
    .insertInto('shelf_items')
    .values(shelfIds.map((shelf_id) => ({ shelf_id, story_id: storyId, note, added_at: now })))
    .onConflict((oc) => oc.columns(['shelf_id', 'story_id']).doUpdateSet({ note }))
    .execute();
}

/** How many shelves hold a story (any reader's, any visibility: a count reveals no one). */
export async function shelfCount(db: Db, storyId: number): Promise<number> {
  const row = await db
    .selectFrom('shelf_items')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('story_id', '=', storyId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The shelf's notes on these stories. */
export async function notesOn(db: Db, shelfId: number, storyIds: number[]): Promise<Map<number, string>> {
  if (storyIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('shelf_items')
    .select(['story_id', 'note'])
    .where('shelf_id', '=', shelfId)
    .where('story_id', 'in', storyIds)
    .where('note', '!=', '')
    .execute();
  return new Map(rows.map((row) => [row.story_id, row.note]));
}

/** A reader's public shelves, for their profile. */
export async function publicShelves(db: Db, userId: number) {
  return db
    .selectFrom('shelves')
    .select(['id', 'name'])
    .where('user_id', '=', userId)
    .where('visibility', '=', 'public')
    .orderBy('id')
    .execute();
}
