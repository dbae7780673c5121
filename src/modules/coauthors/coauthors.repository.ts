import type { Db } from '../../kernel/db/schema.ts';

export async function invite(db: Db, storyId: number, userId: number, now: number) {
  await db
    .insertInto('story_authors')
    .values({ story_id: storyId, user_id: userId, invited_at: now, accepted_at: null })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** Accepts a waiting invitation; false when there was none. */
export async function accept(db: Db, storyId: number, userId: number, now: number): Promise<boolean> {
  const result = await db
    .updateTable('story_authors')
    .set({ accepted_at: now })
    .where('story_id', '=', storyId)
    .where('user_id', '=', userId)
    .where('accepted_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Declines an invitation, leaves a story, or is removed from it by its author. */
export async function remove(db: Db, storyId: number, userId: number): Promise<boolean> {
  const result = await db.deleteFrom('story_authors').where('story_id', '=', storyId).where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** A story's co-authors and invitees, in the order they were invited. */
export function coauthorsOf(db: Db, storyId: number) {
  return db
    .selectFrom('story_authors')
    .innerJoin('users', 'users.id', 'story_authors.user_id')
    .select(['users.id', 'users.username', 'users.display_name', 'story_authors.accepted_at'])
    .where('story_authors.story_id', '=', storyId)
    .orderBy('story_authors.invited_at')
    .execute();
}

/** Invitations waiting for this account's answer. */
export function invitationsFor(db: Db, userId: number) {
  return db
    .selectFrom('story_authors')
    .innerJoin('stories', 'stories.id', 'story_authors.story_id')
    .innerJoin('users', 'users.id', 'stories.author_id')
    .select(['stories.id', 'stories.slug', 'stories.title', 'users.display_name as author_display_name'])
    .where('story_authors.user_id', '=', userId)
    .where('story_authors.accepted_at', 'is', null)
    .orderBy('story_authors.invited_at', 'desc')
    .execute();
}
