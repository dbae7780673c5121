import { sql } from 'kysely';
import { dialectOf } from './database.ts';
import type { Db } from './schema.ts';

/**
 * Serialises writes to one story's chapters (positions are numbered in the application). PostgreSQL
 * locks the story row until the transaction ends; SQLite needs nothing, as it runs one write
 * transaction at a time.
 */
export async function lockStory(db: Db, storyId: number): Promise<void> {
  if (dialectOf(db) === 'postgres') await db.selectFrom('stories').select('id').where('id', '=', storyId).forUpdate().execute();
}

/**
 * Serialises wrangling changes, whose checks (no loops, synonyms only of canonical tags) read what
 * other changes write. PostgreSQL takes a transaction-wide advisory lock; SQLite runs one write
 * transaction at a time already.
 */
export async function lockWrangling(db: Db): Promise<void> {
  if (dialectOf(db) === 'postgres') await sql`select pg_advisory_xact_lock(${WRANGLING_LOCK})`.execute(db);
}
/** Any fixed number, the same in every process. */
const WRANGLING_LOCK = 7_204_117;
