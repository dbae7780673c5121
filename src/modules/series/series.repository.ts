import type { Db } from '../../kernel/db/schema.ts';

export async function insertSeries(db: Db, series: { owner_id: number; title: string; description: string; created_at: number }) {
  return (await db.insertInto('series').values(series).returning('id').executeTakeFirstOrThrow()).id;
}

export function findSeries(db: Db, id: number) {
  return db
    .selectFrom('series')
    .innerJoin('users', 'users.id', 'series.owner_id')
    .select([
      'series.id',
      'series.owner_id',
      'series.title',
      'series.description',
      'users.username as owner_username',
      'users.display_name as owner_display_name',
    ])
    .where('series.id', '=', id)
    .executeTakeFirst();
}

/** A series' stories in order, each with what a list of parts shows and who may see it. */
export function partsOf(db: Db, seriesIds: number[]) {
  if (seriesIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('series_parts')
    .innerJoin('stories', 'stories.id', 'series_parts.story_id')
    .select([
      'series_parts.series_id',
      'series_parts.position',
      'stories.id',
      'stories.slug',
      'stories.title',
      'stories.summary',
      'stories.word_count',
      'stories.author_id',
      'stories.published_at',
      'stories.hidden_at',
    ])
    .where('series_parts.series_id', 'in', seriesIds)
    .orderBy('series_parts.series_id')
    .orderBy('series_parts.position')
    .execute();
}
export type PartRow = Awaited<ReturnType<typeof partsOf>>[number];

/** The series a story is in, with their titles. */
export function seriesContaining(db: Db, storyId: number) {
  return db
    .selectFrom('series_parts')
    .innerJoin('series', 'series.id', 'series_parts.series_id')
    .select(['series.id', 'series.title'])
    .where('series_parts.story_id', '=', storyId)
    .orderBy('series.id')
    .execute();
}

export function seriesOwnedBy(db: Db, ownerId: number) {
  return db.selectFrom('series').select(['id', 'title']).where('owner_id', '=', ownerId).orderBy('id', 'desc').execute();
}

/** Adds a story at the end; nothing if it is already a part. */
export async function addPart(db: Db, seriesId: number, storyId: number) {
  const last = await db
    .selectFrom('series_parts')
    .select((eb) => eb.fn.max('position').as('position'))
    .where('series_id', '=', seriesId)
    .executeTakeFirst();
  await db
    .insertInto('series_parts')
    .values({ series_id: seriesId, story_id: storyId, position: Number(last?.position ?? 0) + 1 })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** Writes the parts' positions as given (1 first), after a removal or a move. */
export async function renumber(db: Db, seriesId: number, storyIds: number[]) {
  // Through negative positions first, so no two parts ever share one mid-way.
  for (const [index, storyId] of storyIds.entries()) {
    await db
      .updateTable('series_parts')
      .set({ position: -(index + 1) })
      .where('series_id', '=', seriesId)
      .where('story_id', '=', storyId)
      .execute();
  }
  await db
    .updateTable('series_parts')
    .set((eb) => ({ position: eb.neg(eb.ref('position')) }))
    .where('series_id', '=', seriesId)
    .execute();
}

export async function removePart(db: Db, seriesId: number, storyId: number) {
  await db.deleteFrom('series_parts').where('series_id', '=', seriesId).where('story_id', '=', storyId).execute();
}
