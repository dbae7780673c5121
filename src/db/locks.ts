import type { Db, Dialect } from './schema.ts';

/**
 * Serialises writes to one story's chapters (positions are numbered in the application). PostgreSQL
 * locks the story row until the transaction ends; SQLite needs nothing, as it runs one write
 * transaction at a time.
 */
export async function lockStory(db: Db, dialect: Dialect, storyId: number): Promise<void> {
  if (dialect === 'postgres') await db.selectFrom('stories').select('id').where('id', '=', storyId).forUpdate().execute();
}
