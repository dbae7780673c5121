import { sql } from 'kysely';
import type { Db } from '../../kernel/db/schema.ts';

export type View = { day: number; hash: string; chapterId: number; storyId: number };

/**
 * Counts the views that are new: each mark is inserted once (a repeat meets the primary key), and
 * only the inserted ones add to their chapter's day and their story's total.
 */
export async function countViews(db: Db, views: View[]) {
  const added = new Map<string, { chapterId: number; storyId: number; day: number; n: number }>();
  for (const view of views) {
    const fresh = await db
      .insertInto('view_marks')
      .values({ day: view.day, hash: view.hash })
      .onConflict((oc) => oc.doNothing())
      .returning('day')
      .executeTakeFirst();
    if (!fresh) continue;
    const key = `${view.chapterId}:${view.day}`;
    const entry = added.get(key) ?? { chapterId: view.chapterId, storyId: view.storyId, day: view.day, n: 0 };
    entry.n++;
    added.set(key, entry);
  }
  for (const { chapterId, storyId, day, n } of added.values()) {
    // From the chapters table, so a chapter deleted since its views were seen takes none.
    await db
      .insertInto('chapter_views')
      .columns(['chapter_id', 'day', 'views'])
      .expression(
        db
          .selectFrom('chapters')
          .select(['id', sql<number>`cast(${day} as integer)`.as('day'), sql<number>`cast(${n} as integer)`.as('views')])
          .where('id', '=', chapterId),
      )
      .onConflict((oc) => oc.columns(['chapter_id', 'day']).doUpdateSet((eb) => ({ views: eb('chapter_views.views', '+', n) })))
      .execute();
    await db
      .updateTable('stories')
      .set((eb) => ({ view_count: eb('view_count', '+', n) }))
      .where('id', '=', storyId)
      .execute();
  }
}

/** Marks from before yesterday can no longer match a view; they go. */
export async function dropOldMarks(db: Db, today: number) {
  await db
    .deleteFrom('view_marks')
    .where('day', '<', today - 1)
    .execute();
}

export function dailyViews(db: Db, chapterId: number) {
  return db.selectFrom('chapter_views').select(['day', 'views']).where('chapter_id', '=', chapterId).orderBy('day').execute();
}
