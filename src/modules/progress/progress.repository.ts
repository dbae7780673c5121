import { sql } from 'kysely';
import { escapeLike } from '../../kernel/db/like.ts';
import type { Db } from '../../kernel/db/schema.ts';

/**
 * Moves a reader's place in a story to a chapter, only if it is a published chapter of that story.
 * The same chapter keeps its position unless a new one is given; another chapter starts at its top.
 */
export async function savePlace(
  db: Db,
  place: { user_id: number; story_id: number; chapter_id: number; position: number | null; now: number },
) {
  const position = place.position === null ? 0 : place.position;
  await db
    .insertInto('reading_progress')
    .columns(['user_id', 'story_id', 'chapter_id', 'position', 'updated_at'])
    .expression(
      db
        .selectFrom('chapters')
        .innerJoin('stories', 'stories.id', 'chapters.story_id')
        .select([
          sql<number>`cast(${place.user_id} as bigint)`.as('user_id'),
          'chapters.story_id',
          'chapters.id',
          sql<number>`cast(${position} as integer)`.as('position'),
          sql<number>`cast(${place.now} as bigint)`.as('updated_at'),
        ])
        .where('chapters.id', '=', place.chapter_id)
        .where('chapters.story_id', '=', place.story_id)
        .where('chapters.published_at', 'is not', null)
        .where('stories.published_at', 'is not', null),
    )
    .onConflict((oc) =>
      oc.columns(['user_id', 'story_id']).doUpdateSet((eb) => ({
        chapter_id: eb.ref('excluded.chapter_id'),
        updated_at: eb.ref('excluded.updated_at'),
        position:
          place.position === null
            ? eb
                .case()
                .when('reading_progress.chapter_id', '=', eb.ref('excluded.chapter_id'))
                .then(eb.ref('reading_progress.position'))
                .else(0)
                .end()
            : eb.ref('excluded.position'),
      })),
    )
    .execute();
}

export function placeIn(db: Db, userId: number, storyId: number) {
  return db
    .selectFrom('reading_progress')
    .innerJoin('chapters', 'chapters.id', 'reading_progress.chapter_id')
    .select([
      'reading_progress.chapter_id',
      'reading_progress.position',
      'chapters.position as chapter_number',
      'chapters.title as chapter_title',
    ])
    .where('reading_progress.user_id', '=', userId)
    .where('reading_progress.story_id', '=', storyId)
    .executeTakeFirst();
}

/** The reader's history, most recent first, optionally only stories whose title contains `q`. */
export function history(db: Db, userId: number, q: string, limit: number) {
  return (
    db
      .selectFrom('reading_progress')
      .innerJoin('stories', 'stories.id', 'reading_progress.story_id')
      .innerJoin('chapters', 'chapters.id', 'reading_progress.chapter_id')
      .select([
        'stories.id as story_id',
        'stories.slug as story_slug',
        'stories.title as story_title',
        'stories.chapter_count',
        'chapters.id as chapter_id',
        'chapters.title as chapter_title',
        'chapters.position as chapter_number',
        'reading_progress.position',
        'reading_progress.updated_at',
      ])
      .where('reading_progress.user_id', '=', userId)
      // Only what the reader may still open: a story a moderator hid, or a chapter back in draft, keeps no title here.
      .where('stories.published_at', 'is not', null)
      .where('stories.hidden_at', 'is', null)
      .where('chapters.published_at', 'is not', null)
      .$if(q !== '', (query) => query.where(sql<boolean>`lower(stories.title) like ${`%${escapeLike(q.toLowerCase())}%`} escape '\\'`))
      .orderBy('reading_progress.updated_at', 'desc')
      .limit(limit)
      .execute()
  );
}
export type HistoryRow = Awaited<ReturnType<typeof history>>[number];

export async function forget(db: Db, userId: number, storyId?: number) {
  await db
    .deleteFrom('reading_progress')
    .where('user_id', '=', userId)
    .$if(storyId !== undefined, (q) => q.where('story_id', '=', storyId as number))
    .execute();
}

export async function markChapterRead(db: Db, userId: number, storyId: number, chapterId: number, now: number) {
  await db
    .insertInto('read_marks')
    .values({ user_id: userId, story_id: storyId, chapter_id: chapterId, read_at: now })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** Marks every published chapter of the story read. */
export async function markStoryRead(db: Db, userId: number, storyId: number, now: number) {
  await db
    .insertInto('read_marks')
    .columns(['user_id', 'chapter_id', 'story_id', 'read_at'])
    .expression(
      db
        .selectFrom('chapters')
        .select([sql<number>`cast(${userId} as bigint)`.as('user_id'), 'id', 'story_id', sql<number>`cast(${now} as bigint)`.as('read_at')])
        .where('story_id', '=', storyId)
        .where('published_at', 'is not', null),
    )
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function markStoryUnread(db: Db, userId: number, storyId: number) {
  await db.deleteFrom('read_marks').where('user_id', '=', userId).where('story_id', '=', storyId).execute();
}

export async function readChapters(db: Db, userId: number, storyId: number): Promise<Set<number>> {
  const rows = await db
    .selectFrom('read_marks')
    .select('chapter_id')
    .where('user_id', '=', userId)
    .where('story_id', '=', storyId)
    .execute();
  return new Set(rows.map((row) => row.chapter_id));
}
