import type { Db } from '../../kernel/db/schema.ts';

/** Records kudos once per account or guest; returns whether this one was new. */
export async function giveKudos(
  db: Db,
  kudos: { story_id: number; user_id: number | null; guest_hash: string | null; created_at: number },
) {
  // A repeat meets a unique index and inserts nothing, so returns no row.
  const added =
    (await db
      .insertInto('kudos')
      .values(kudos)
      .onConflict((oc) => oc.doNothing())
      .returning('story_id')
      .executeTakeFirst()) !== undefined;
  if (added) {
    await db
      .updateTable('stories')
      .set((eb) => ({ kudos_count: eb('kudos_count', '+', 1) }))
      .where('id', '=', kudos.story_id)
      .execute();
  }
  return added;
}

/** Who left kudos (accounts, most recent first, up to `limit`) and how many guests did. */
export async function kudosGivers(db: Db, storyId: number, limit: number) {
  const accounts = await db
    .selectFrom('kudos')
    .innerJoin('users', 'users.id', 'kudos.user_id')
    .select(['users.username', 'users.display_name'])
    .where('kudos.story_id', '=', storyId)
    .orderBy('kudos.created_at', 'desc')
    .orderBy('users.id', 'desc')
    .limit(limit)
    .execute();
  const guests = await db
    .selectFrom('kudos')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('story_id', '=', storyId)
    .where('user_id', 'is', null)
    .executeTakeFirstOrThrow();
  return { accounts, guests: Number(guests.n) };
}
