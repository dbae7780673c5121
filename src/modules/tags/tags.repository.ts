import { type SelectQueryBuilder, sql } from 'kysely';
import { amongIds } from '../../kernel/db/dialect-sql.ts';
import { escapeLike } from '../../kernel/db/like.ts';
import type { Database, Db, TagType } from '../../kernel/db/schema.ts';
import { CHOSEN_TYPES, TAG_TYPES, type TypedTag } from '../../kernel/db/tag-types.ts';

export type StoryTag = { story_id: number; tag_id: number; name: string; type: string };

/**
 * Replaces a story's tags, creating typed ones that do not exist yet (a tag is its type and its name,
 * ignoring case: the first spelling stays). Chosen types (warnings, categories, genres) are only ever
 * matched to existing tags, never created.
 */
export async function setStoryTags(db: Db, storyId: number, tags: TypedTag[], now: number) {
  await db.deleteFrom('story_tags').where('story_id', '=', storyId).execute();
  if (tags.length === 0) return;
  const typed = tags.filter((tag) => !(CHOSEN_TYPES as readonly string[]).includes(tag.type));
  if (typed.length > 0) {
    await db
      .insertInto('tags')
      .values(typed.map((tag) => ({ name: tag.name, name_key: tag.name.toLowerCase(), type: tag.type, created_at: now })))
      .onConflict((oc) => oc.columns(['type', 'name_key']).doNothing())
      .execute();
  }
  const ids = await findTagIds(db, tags);
  if (ids.length > 0) {
    await db
      .insertInto('story_tags')
      .values(ids.map((id) => ({ story_id: storyId, tag_id: id })))
      .onConflict((oc) => oc.columns(['story_id', 'tag_id']).doNothing())
      .execute();
  }
  await refreshFilterSets(db, [storyId]);
}

/**
 * Recomputes the filter sets of these stories from their tags and the wrangling as it stands:
 * their own tags, the canonical tag of each synonym, and every metatag above those. `union` in the
 * recursive step stops at tags already reached, so even a cycle (which wrangling refuses) ends.
 */
/**
 * The filter sets of these stories as a `closure (story_id, tag_id)` to select from: each story's
 * own tags, their canonical tags, and every meta tag above those. `oak check` compares it with
 * what refreshFilterSets stored.
 */
export function filterClosure(storyIds: number[]) {
  const ids = sql.join(storyIds.map((id) => sql`${id}`));
  return sql`with recursive closure (story_id, tag_id) as (
      select st.story_id, st.tag_id from story_tags st where st.story_id in (${ids})
      union
      select st.story_id, t.canonical_id from story_tags st join tags t on t.id = st.tag_id
        where st.story_id in (${ids}) and t.canonical_id is not null
      union
      select c.story_id, l.parent_id from closure c join tag_links l on l.tag_id = c.tag_id and l.kind = 'meta'
    )`;
}

export async function refreshFilterSets(db: Db, storyIds: number[]) {
  if (storyIds.length === 0) return;
  await db.deleteFrom('story_filter_tags').where('story_id', 'in', storyIds).execute();
  await sql`${filterClosure(storyIds)} insert into story_filter_tags (story_id, tag_id) select story_id, tag_id from closure`.execute(db);
}

/** How many stories hold any of these tags in their filter set, counted no further than `upTo`. */
export async function filterSetSize(db: Db, tagIds: number[], upTo: number): Promise<number> {
  if (tagIds.length === 0) return 0;
  const held = db.selectFrom('story_filter_tags').select('story_id').where('tag_id', 'in', tagIds).limit(upTo);
  const row = await db
    .selectFrom(held.as('held'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A page of the stories whose filter set holds the tag, in id order after `afterStoryId`. */
export async function storiesFilteredBy(db: Db, tagId: number, afterStoryId: number, limit: number): Promise<number[]> {
  const rows = await db
    .selectFrom('story_filter_tags')
    .select('story_id')
    .where('tag_id', '=', tagId)
    .where('story_id', '>', afterStoryId)
    .orderBy('story_id')
    .limit(limit)
    .execute();
  return rows.map((row) => row.story_id);
}

/**
 * The filter-set tags each name stands for (any type, ignoring case): a synonym stands for its
 * canonical tag, so including or excluding it does exactly what its canonical tag does.
 */
export async function filterTagIds(db: Db, names: string[]): Promise<Map<string, number[]>> {
  const byName = new Map<string, number[]>(names.map((name) => [name, []]));
  if (names.length === 0) return byName;
  const rows = await db.selectFrom('tags').select(['name_key', 'id', 'canonical_id']).where('name_key', 'in', names).execute();
  for (const row of rows) byName.get(row.name_key)?.push(row.canonical_id ?? row.id);
  return byName;
}

/** The ids of the tags named, by type and case-insensitive name; names with no tag are left out. */
export async function findTagIds(db: Db, tags: TypedTag[]): Promise<number[]> {
  const byType = new Map<TagType, string[]>();
  for (const tag of tags) byType.set(tag.type, [...(byType.get(tag.type) ?? []), tag.name.toLowerCase()]);
  const rows = await db
    .selectFrom('tags')
    .select('id')
    .where((eb) => eb.or([...byType].map(([type, keys]) => eb.and([eb('type', '=', type), eb('name_key', 'in', keys)]))))
    .execute();
  return rows.map((row) => row.id);
}

/** The canonical tags of one type, by name: what a form's check boxes list (genres an admin may change). */
export async function canonicalTags(db: Db, type: TagType): Promise<string[]> {
  const rows = await db.selectFrom('tags').select('name').where('type', '=', type).where('canonical', '=', 1).orderBy('name').execute();
  return rows.map((row) => row.name);
}

export async function tagsForStories(db: Db, storyIds: number[]): Promise<Map<number, StoryTag[]>> {
  const byStory = new Map<number, StoryTag[]>();
  if (storyIds.length === 0) return byStory;
  const rows = await db
    .selectFrom('story_tags')
    .innerJoin('tags', 'tags.id', 'story_tags.tag_id')
    .select(['story_tags.story_id', 'story_tags.tag_id', 'tags.name', 'tags.type'])
    .where('story_tags.story_id', 'in', storyIds)
    .orderBy('tags.name')
    .execute();
  // Warnings first, then categories, fandoms, relationships, characters, genres, additional tags.
  rows.sort((a, b) => TAG_TYPES.indexOf(a.type as TagType) - TAG_TYPES.indexOf(b.type as TagType));
  for (const row of rows) byStory.set(row.story_id, [...(byStory.get(row.story_id) ?? []), row]);
  return byStory;
}

export async function findTag(db: Db, id: number) {
  return db.selectFrom('tags').select(['id', 'name', 'type', 'canonical', 'canonical_id']).where('id', '=', id).executeTakeFirst();
}

/** A tag as lists count it: how many of the stories in question carry it. */
export type CountedTag = { id: number; name: string; uses: number };

/**
 * Each type's `perType` most used tags among `stories` (a subquery of story ids), most used first,
 * counted over filter sets (a metatag counts its subtags' stories) and leaving synonyms out (their
 * canonical tag counts them). One pass over the stories' filter sets, split by type here.
 */
export async function topTags(db: Db, stories: StoryIds, perType: number): Promise<Map<TagType, CountedTag[]>> {
  const rows = await db
    .selectFrom('story_filter_tags')
    .innerJoin('tags', 'tags.id', 'story_filter_tags.tag_id')
    .select((eb) => ['tags.id', 'tags.name', 'tags.type', eb.fn.countAll<number>().as('uses')])
    .where('tags.canonical_id', 'is', null)
    .where(amongIds(db, 'story_filter_tags.story_id', stories))
    .groupBy(['tags.id', 'tags.name', 'tags.type'])
    .execute();
  const byType = new Map<TagType, CountedTag[]>();
  const ordered = rows.map((row) => ({ ...row, uses: Number(row.uses) })).sort((a, b) => b.uses - a.uses || a.name.localeCompare(b.name));
  for (const type of TAG_TYPES) {
    const top = ordered.filter((row) => row.type === type).slice(0, perType);
    if (top.length > 0)
      byType.set(
        type,
        top.map(({ id, name, uses }) => ({ id, name, uses })),
      );
  }
  return byType;
}
type StoryIds = SelectQueryBuilder<Database, keyof Database, { id: number }>;

/** Tags of one type whose names start as typed, for the story form's suggestions; canonical ones first. */
export async function suggestTags(db: Db, type: TagType, prefix: string, limit: number): Promise<string[]> {
  const like = `${escapeLike(prefix.toLowerCase())}%`;
  const rows = await db
    .selectFrom('tags')
    .select('name')
    .where('type', '=', type)
    .where(sql<boolean>`name_key like ${like} escape '\\'`)
    // Approved tags, and others only once a story anyone can read uses them: a tag typed on a draft
    // or a hidden story is not shown to the world.
    .where((eb) =>
      eb.or([
        eb('canonical', '=', 1),
        eb.exists(
          eb
            .selectFrom('story_tags')
            .innerJoin('stories', 'stories.id', 'story_tags.story_id')
            .select('story_tags.story_id')
            .whereRef('story_tags.tag_id', '=', 'tags.id')
            .where('stories.published_at', 'is not', null)
            .where('stories.hidden_at', 'is', null),
        ),
      ]),
    )
    .orderBy('canonical', 'desc')
    .orderBy('name_key')
    .limit(limit)
    .execute();
  return rows.map((row) => row.name);
}
