import type { Db } from '../../db/schema.ts';

export type StoryTag = { story_id: number; name: string; type: string };

/** Replaces a story's free-form tags, creating tags that do not exist yet. */
export async function setStoryTags(db: Db, storyId: number, names: string[], now: number) {
  await db.deleteFrom('story_tags').where('story_id', '=', storyId).execute();
  if (names.length === 0) return;
  const keys = names.map((name) => name.toLowerCase());
  await db
    .insertInto('tags')
    .values(names.map((name) => ({ name, name_key: name.toLowerCase(), type: 'freeform' as const, created_at: now })))
    .onConflict((oc) => oc.columns(['type', 'name_key']).doNothing())
    .execute();
  const tags = await db.selectFrom('tags').select('id').where('type', '=', 'freeform').where('name_key', 'in', keys).execute();
  await db
    .insertInto('story_tags')
    .values(tags.map((tag) => ({ story_id: storyId, tag_id: tag.id })))
    .execute();
}

export async function tagsForStories(db: Db, storyIds: number[]): Promise<Map<number, StoryTag[]>> {
  const byStory = new Map<number, StoryTag[]>();
  if (storyIds.length === 0) return byStory;
  const rows = await db
    .selectFrom('story_tags')
    .innerJoin('tags', 'tags.id', 'story_tags.tag_id')
    .select(['story_tags.story_id', 'tags.name', 'tags.type'])
    .where('story_tags.story_id', 'in', storyIds)
    .orderBy('tags.name')
    .execute();
  for (const row of rows) byStory.set(row.story_id, [...(byStory.get(row.story_id) ?? []), row]);
  return byStory;
}
