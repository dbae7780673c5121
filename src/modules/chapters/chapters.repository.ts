import type { ChapterUpdate, Db, NewChapter } from '../../kernel/db/schema.ts';

/** Chapter titles and states for a table of contents, in reading order; no bodies. */
export async function findChapter(db: Db, storyId: number, chapterId: number) {
  return db.selectFrom('chapters').selectAll().where('story_id', '=', storyId).where('id', '=', chapterId).executeTakeFirst();
}

export async function insertChapter(db: Db, chapter: Omit<NewChapter, 'position'>) {
  const last = await db
    .selectFrom('chapters')
    .select((eb) => eb.fn.max('position').as('position'))
    .where('story_id', '=', chapter.story_id)
    .executeTakeFirst();
  const position = Number(last?.position ?? 0) + 1;
  return db
    .insertInto('chapters')
    .values({ ...chapter, position })
    .returning(['id', 'position'])
    .executeTakeFirstOrThrow();
}

export async function updateChapter(db: Db, chapterId: number, changes: ChapterUpdate) {
  await db.updateTable('chapters').set(changes).where('id', '=', chapterId).execute();
}

/** Deletes a chapter and closes the gap it leaves in the order. */
export async function deleteChapter(db: Db, storyId: number, chapterId: number, position: number) {
  await db.deleteFrom('chapters').where('id', '=', chapterId).execute();
  await renumber(db, storyId, position);
}

/** Shifts chapters after `from` down by one, one row at a time so the (story, position) key never collides. */
async function renumber(db: Db, storyId: number, from: number) {
  const later = await db
    .selectFrom('chapters')
    .select(['id', 'position'])
    .where('story_id', '=', storyId)
    .where('position', '>', from)
    .orderBy('position')
    .execute();
  for (const chapter of later) {
    await db
      .updateTable('chapters')
      .set({ position: chapter.position - 1 })
      .where('id', '=', chapter.id)
      .execute();
  }
}

/**
 * Numbers a story's chapters 1, 2, 3… in the order given. Every row first moves to a negative
 * place, so the unique (story, position) key holds at every step on both databases.
 */
export async function setOrder(db: Db, ids: number[]) {
  for (const [index, id] of ids.entries())
    await db
      .updateTable('chapters')
      .set({ position: -(index + 1) })
      .where('id', '=', id)
      .execute();
  for (const [index, id] of ids.entries())
    await db
      .updateTable('chapters')
      .set({ position: index + 1 })
      .where('id', '=', id)
      .execute();
}
