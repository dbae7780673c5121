import { sql } from 'kysely';
import { lockedForWrite } from '../../kernel/db/dialect-sql.ts';
import type { Db, Tag, TagLinkKind, TagType } from '../../kernel/db/schema.ts';

export type TagRef = Pick<Tag, 'id' | 'name' | 'type'>;
const REF = ['tags.id', 'tags.name', 'tags.type'] as const;

/** Tags nobody has wrangled yet (neither canonical nor a synonym) of one type, most used first, with their use counts. */
export async function unwrangledTags(db: Db, type: TagType, limit: number) {
  const rows = await db
    .selectFrom('tags')
    .leftJoin('story_tags', 'story_tags.tag_id', 'tags.id')
    .select(REF)
    .select((eb) => eb.fn.count<number>('story_tags.story_id').as('uses'))
    .where('tags.type', '=', type)
    .where('tags.canonical', '=', 0)
    .where('tags.canonical_id', 'is', null)
    .groupBy(REF)
    .orderBy('uses', 'desc')
    .orderBy('tags.name')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ ...row, uses: Number(row.uses) }));
}

/** How many tags of each type are waiting to be wrangled. */
export async function unwrangledCounts(db: Db): Promise<Map<TagType, number>> {
  const rows = await db
    .selectFrom('tags')
    .select((eb) => ['type', eb.fn.countAll<number>().as('n')])
    .where('canonical', '=', 0)
    .where('canonical_id', 'is', null)
    .groupBy('type')
    .execute();
  return new Map(rows.map((row) => [row.type, Number(row.n)]));
}

export async function findWrangledTag(db: Db, id: number) {
  return db.selectFrom('tags').select(['id', 'name', 'type', 'canonical', 'canonical_id']).where('id', '=', id).executeTakeFirst();
}

/** Tags of one type by case-insensitive name. */
export async function tagsNamed(db: Db, type: TagType, names: string[]) {
  if (names.length === 0) return [];
  return db
    .selectFrom('tags')
    .select(['id', 'name', 'name_key', 'type', 'canonical'])
    .where('type', '=', type)
    .where('name_key', 'in', names)
    .execute();
}

/** The synonyms of a canonical tag. */
export async function synonymsOf(db: Db, tagId: number): Promise<TagRef[]> {
  return db.selectFrom('tags').select(REF).where('canonical_id', '=', tagId).orderBy('name').execute();
}

/** The tags a tag links up to (its fandoms, its metatags). */
export async function parentsOf(db: Db, tagId: number, kind: TagLinkKind): Promise<TagRef[]> {
  return db
    .selectFrom('tag_links')
    .innerJoin('tags', 'tags.id', 'tag_links.parent_id')
    .select(REF)
    .where('tag_links.tag_id', '=', tagId)
    .where('tag_links.kind', '=', kind)
    .orderBy('tags.name')
    .execute();
}

/** The tags that link up to this one (a fandom's characters and relationships, a metatag's subtags). */
export async function childrenOf(db: Db, tagId: number, kind: TagLinkKind, limit = 200): Promise<TagRef[]> {
  return db
    .selectFrom('tag_links')
    .innerJoin('tags', 'tags.id', 'tag_links.tag_id')
    .select(REF)
    .where('tag_links.parent_id', '=', tagId)
    .where('tag_links.kind', '=', kind)
    .orderBy('tags.name')
    .limit(limit)
    .execute();
}

/** Every metatag above these tags, however far up (the tags themselves included). */
export async function metaAncestors(db: Db, tagIds: number[]): Promise<Set<number>> {
  if (tagIds.length === 0) return new Set();
  const start = sql.join(tagIds.map((id) => sql`${id}`));
  const rows = await sql<{ id: number }>`with recursive up (id) as (
      select id from tags where id in (${start})
      union
      select l.parent_id from up join tag_links l on l.tag_id = up.id and l.kind = 'meta'
    ) select id from up`.execute(db);
  return new Set(rows.rows.map((row) => Number(row.id)));
}

export async function setTagWrangling(db: Db, tagId: number, changes: { canonical: number; canonical_id: number | null }) {
  await db.updateTable('tags').set(changes).where('id', '=', tagId).execute();
}

/** Points the synonyms of one tag at another (when the first becomes a synonym itself). */
export async function moveSynonyms(db: Db, fromId: number, toId: number) {
  await db.updateTable('tags').set({ canonical_id: toId }).where('canonical_id', '=', fromId).execute();
}

export async function replaceParents(db: Db, tagId: number, kind: TagLinkKind, parentIds: number[]) {
  await db.deleteFrom('tag_links').where('tag_id', '=', tagId).where('kind', '=', kind).execute();
  if (parentIds.length === 0) return;
  await db
    .insertInto('tag_links')
    .values(parentIds.map((parent_id) => ({ tag_id: tagId, parent_id, kind })))
    .execute();
}

/** How many stories hold the tag in their filter set: those a change to it refiles. */
export async function filterSetUses(db: Db, tagId: number): Promise<number> {
  const row = await db
    .selectFrom('story_filter_tags')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tag_id', '=', tagId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Queues a tag's stories for refiling from the start (again, if it was already queued). */
export async function queueRefresh(db: Db, tagId: number, now: number) {
  await db
    .insertInto('filter_refresh_queue')
    .values({ tag_id: tagId, after_story_id: 0, queued_at: now })
    .onConflict((oc) => oc.column('tag_id').doUpdateSet({ after_story_id: 0, queued_at: now }))
    .execute();
}

/**
 * The oldest queued tag, locked for this transaction; on PostgreSQL `skip locked` lets several
 * processes work the queue at once (SQLite has one writer, so no lock is needed).
 */
export async function takeQueued(db: Db) {
  const query = db.selectFrom('filter_refresh_queue').selectAll().orderBy('queued_at').orderBy('tag_id').limit(1);
  return lockedForWrite(db, query, 'skip').executeTakeFirst();
}

export async function advanceQueued(db: Db, tagId: number, afterStoryId: number | null) {
  if (afterStoryId === null) await db.deleteFrom('filter_refresh_queue').where('tag_id', '=', tagId).execute();
  else await db.updateTable('filter_refresh_queue').set({ after_story_id: afterStoryId }).where('tag_id', '=', tagId).execute();
}

export async function queuedTags(db: Db): Promise<number[]> {
  return (await db.selectFrom('filter_refresh_queue').select('tag_id').execute()).map((row) => row.tag_id);
}

/** Every genre, offered (canonical) or retired, by name. */
export async function genres(db: Db) {
  return db.selectFrom('tags').select(['id', 'name', 'canonical']).where('type', '=', 'genre').orderBy('name_key').execute();
}

/** Adds a genre to the story form's list, or offers a retired one again. */
export async function offerGenre(db: Db, name: string, now: number) {
  await db
    .insertInto('tags')
    .values({ name, name_key: name.toLowerCase(), type: 'genre', canonical: 1, created_at: now })
    .onConflict((oc) => oc.columns(['type', 'name_key']).doUpdateSet({ canonical: 1 }))
    .execute();
}

/** Offers or retires a genre; stories keep a retired genre, the story form stops offering it. */
export async function setGenreOffered(db: Db, tagId: number, offered: boolean): Promise<boolean> {
  const result = await db
    .updateTable('tags')
    .set({ canonical: offered ? 1 : 0 })
    .where('id', '=', tagId)
    .where('type', '=', 'genre')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
