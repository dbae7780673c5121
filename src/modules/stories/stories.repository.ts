import { type ExpressionBuilder, type SelectQueryBuilder, sql } from 'kysely';
import { commaJoined } from '../../kernel/db/dialect-sql.ts';
import { numberRows } from '../../kernel/db/number-rows.ts';
import { keysetPage, type PageAt } from '../../kernel/db/pagination.ts';
import type { Database as DB, Db, NewStory, StoryUpdate, TagType } from '../../kernel/db/schema.ts';
import { topTags } from '../tags/tags.service.ts';
import type { Filters, TagSet } from './filters.ts';

const AUTHOR_NAMES = ['users.username as author_username', 'users.display_name as author_display_name'] as const;

/** What a story card shows; lists skip the long description columns. */
const CARD_COLUMNS = [
  'stories.id',
  'stories.author_id',
  'stories.title',
  'stories.slug',
  'stories.summary',
  'stories.original_author',
  'stories.cover_key',
  'stories.cover_width',
  'stories.cover_height',
  'stories.rating',
  'stories.status',
  'stories.word_count',
  'stories.chapter_count',
  'stories.updated_at',
  'stories.published_at',
  'stories.sort_title',
  'stories.kudos_count',
  'stories.view_count',
] as const;

/**
 * The story's accepted co-authors' ids joined by commas (null for none), for the edit policy. The
 * two databases name the aggregate differently.
 */
export const coauthorsOf = (db: Db) =>
  sql<string | null>`(select ${commaJoined(db, 'user_id')} from story_authors
    where story_authors.story_id = stories.id and story_authors.accepted_at is not null)`.as('coauthors');

function storiesWithAuthor(db: Db) {
  return db.selectFrom('stories').innerJoin('users', 'users.id', 'stories.author_id');
}

/** A whole story with its author's names, for its own page and its editor. */
export async function findStory(db: Db, id: number) {
  return storiesWithAuthor(db)
    .selectAll('stories')
    .select(AUTHOR_NAMES)
    .select(coauthorsOf(db))
    .where('stories.id', '=', id)
    .executeTakeFirst();
}
export type StoryWithAuthor = NonNullable<Awaited<ReturnType<typeof findStory>>>;

/** Who may see the story a cover belongs to. */
export async function findStoryByCover(db: Db, coverKey: string) {
  return db
    .selectFrom('stories')
    .select(['id', 'author_id', 'published_at', 'hidden_at'])
    .where('cover_key', '=', coverKey)
    .executeTakeFirst();
}

function storyCards(db: Db) {
  return storiesWithAuthor(db).select(CARD_COLUMNS).select(AUTHOR_NAMES);
}
export type StoryCardRow = Awaited<ReturnType<typeof listStories>>[number];
type CardQueryBase = SelectQueryBuilder<DB, 'stories' | 'users', object>;

/** The column each sort orders by; all numeric, so one keyset cursor shape serves them all. */
export const SORT_COLUMNS = {
  relevance: 'matches.score',
  updated: 'stories.updated_at',
  published: 'stories.published_at',
  words: 'stories.word_count',
  kudos: 'stories.kudos_count',
  views: 'stories.view_count',
  title: 'stories.sort_title',
} as const;

/** Titles read A to Z; every other sort puts the most (recent, long, relevant) first. */
export const ascending = (sort: Filters['sort']) => sort === 'title';

/** The keyset columns of a list in this order. */
const orderOf = (sort: Filters['sort']) => ({ sort: SORT_COLUMNS[sort], id: 'stories.id', ascending: ascending(sort) });

/** A tag on at most this many stories is read from its side (see withFilters). */
export const SMALL_TAG_SET = 2000;

/**
 * Whose mute list applies to a list (a signed-in reader who mutes something), or null; with the
 * tags their patterns match, found once per page (null when the patterns match too many tags to
 * list, and are matched in the query instead).
 */
export type Muter = { id: number; tagIds: number[] | null } | null;

/** At most this many muted tags are listed by id; broader patterns are matched in the query. */
const MUTED_TAG_IDS = 500;

/**
 * The reader's mute list, its tag patterns resolved to the tags they match now: exact names by the
 * name index, patterns with `*` by matching every tag's name.
 */
export async function muterFor(db: Db, userId: number): Promise<NonNullable<Muter>> {
  const patterns = db.selectFrom('muted_tags').where('muted_tags.user_id', '=', userId);
  const exact = await db
    .selectFrom('tags')
    .select('tags.id')
    .where('tags.name_key', 'in', patterns.select('muted_tags.pattern').where('muted_tags.pattern', 'not like', '%*%'))
    .limit(MUTED_TAG_IDS + 1)
    .execute();
  const wild = await db
    .selectFrom('tags')
    .innerJoin('muted_tags', (join) =>
      join
        .on('muted_tags.user_id', '=', userId)
        .on('muted_tags.pattern', 'like', '%*%')
        .on(sql<boolean>`tags.name_key like muted_tags.like_pattern escape '\\'`),
    )
    .select('tags.id')
    .limit(MUTED_TAG_IDS + 1)
    .execute();
  const ids = [...new Set([...exact, ...wild].map((row) => row.id))];
  return { id: userId, tagIds: ids.length > MUTED_TAG_IDS ? null : ids };
}

/**
 * The published stories a list holds: its filters and its reader's mute list, and for a search the
 * stories its text matches (joined as `matches`), as one query to select from.
 */
function listed(db: Db, filters: Filters, muter: Muter) {
  const query = withMutes(
    withFilters(db, storiesWithAuthor(db).where('stories.published_at', 'is not', null).where('stories.hidden_at', 'is', null), filters),
    muter,
  );
  const matches = filters.text?.matches;
  if (!matches) return query as CardQueryBase;
  const rows = numberRows(
    db,
    ['story_id', 'chapter_id', 'score'],
    matches.map((m) => [m.storyId, m.chapterId, m.score]),
  );
  // The join adds a table the shared query type does not name; the columns it adds are read by name.
  return query.innerJoin(rows.as('matches'), 'matches.story_id' as never, 'stories.id') as CardQueryBase;
}

/** Published stories matching the filters and not muted by `muter`, a keyset page at a time. */
export async function listStories(db: Db, filters: Filters, muter: Muter, at: PageAt, limit: number) {
  let query = listed(db, filters, muter).select(CARD_COLUMNS).select(AUTHOR_NAMES);
  if (filters.text?.matches)
    query = query.select([sql<number>`matches.score`.as('score'), sql<number>`matches.chapter_id`.as('match_chapter_id')]) as typeof query;
  const rows = await keysetPage(query, orderOf(filters.sort), at, limit).execute();
  return rows as ((typeof rows)[number] & { score?: number; match_chapter_id?: number })[];
}

/**
 * The tags most used by the stories a list shows (filters and mute list applied), with counts:
 * what the list's sidebar offers to include or exclude next, and (unfiltered) the tags page.
 * `within` counts the list's first that many stories only, so a long list does not count the archive.
 */
export async function facetCounts(db: Db, filters: Filters, muter: Muter, perType: number, within?: number) {
  let stories = listed(db, filters, muter).select('stories.id');
  if (within !== undefined) {
    const order = orderOf(filters.sort);
    const direction = order.ascending ? 'asc' : 'desc';
    stories = stories
      .orderBy(order.sort as never, direction)
      .orderBy('stories.id', direction)
      .limit(within);
  }
  return topTags(db, stories, perType);
}
export type Facets = Awaited<ReturnType<typeof facetCounts>>;

/**
 * How many stories the filters match (`all`) and how many of those the muter's mute list leaves
 * (`shown`; the same without a muter), in one walk over at most `upTo` matching stories; `among`
 * narrows the walk to some stories (the most recent, for an estimate).
 */
export async function countWithMutes(db: Db, filters: Filters, muter: Muter, upTo: number, among?: number) {
  let base = listed(db, filters, null).select((eb) => [
    'stories.id',
    (muter === null ? eb.lit(0) : eb.case().when(isMuted(eb, muter)).then(1).else(0).end()).as('muted'),
  ]);
  if (among !== undefined) {
    const recent = db
      .selectFrom('stories')
      .select('id')
      .where('published_at', 'is not', null)
      .orderBy('updated_at', 'desc')
      .orderBy('id', 'desc')
      .limit(among);
    base = base.where('stories.id', 'in', recent);
  }
  const row = await db
    .selectFrom(base.limit(upTo).as('counted'))
    .select((eb) => [eb.fn.countAll<number>().as('all'), eb.fn.sum<number>('counted.muted').as('muted')])
    .executeTakeFirstOrThrow();
  const all = Number(row.all);
  return { all, shown: all - Number(row.muted ?? 0) };
}

export async function countPublished(db: Db): Promise<number> {
  const row = await db
    .selectFrom('stories')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('published_at', 'is not', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** All of an author's stories and those they co-write, drafts included (for their own page), a keyset page at a time. */
export async function listByAuthor(db: Db, authorId: number, filters: Filters, at: PageAt, limit: number) {
  const query = withFilters(
    db,
    storyCards(db).where((eb) =>
      eb.or([
        eb('stories.author_id', '=', authorId),
        eb(
          'stories.id',
          'in',
          eb.selectFrom('story_authors').select('story_id').where('user_id', '=', authorId).where('accepted_at', 'is not', null),
        ),
      ]),
    ),
    filters,
  );
  return keysetPage(query, orderOf(filters.sort), at, limit).execute();
}

/** A condition on the story's filter set (its tags, the canonical tags they stand for, and their metatags). */
function inFilterSet(eb: ExpressionBuilder<DB, 'stories' | 'users'>, narrow: (sub: FilterSetQuery) => FilterSetQuery) {
  return eb.exists(
    narrow(
      eb
        .selectFrom('story_filter_tags')
        .innerJoin('tags', 'tags.id', 'story_filter_tags.tag_id')
        .select(eb.lit(1).as('one'))
        .whereRef('story_filter_tags.story_id', '=', 'stories.id'),
    ),
  );
}
type FilterSetQuery = SelectQueryBuilder<DB, 'stories' | 'users' | 'story_filter_tags' | 'tags', { one: 1 }>;

/** Whether the story's filter set holds any of these tags (by id: no name needed, so no join). */
function holdsAny(eb: ExpressionBuilder<DB, 'stories' | 'users'>, tagIds: number[]) {
  return eb.exists(
    eb
      .selectFrom('story_filter_tags')
      .select(eb.lit(1).as('one'))
      .whereRef('story_filter_tags.story_id', '=', 'stories.id')
      .where('story_filter_tags.tag_id', 'in', tagIds),
  );
}

/**
 * Whether the reader's mute list hides the story: a tag in its filter set whose name matches one of
 * their patterns (so muting a canonical tag mutes its synonyms and subtags), or an author they
 * mute. Patterns are LIKE patterns over lower-cased names, `\\` escaping the % and _ a reader
 * typed, resolved to tag ids by muterFor when they match few enough tags.
 */
function isMuted(eb: ExpressionBuilder<DB, 'stories' | 'users'>, muter: NonNullable<Muter>) {
  const { id, tagIds } = muter;
  const tagged =
    tagIds === null
      ? inFilterSet(eb, (sub) =>
          sub.innerJoin('muted_tags', (join) =>
            join.on('muted_tags.user_id', '=', id).on(sql<boolean>`tags.name_key like muted_tags.like_pattern escape '\\'`),
          ),
        )
      : tagIds.length === 0
        ? eb.lit(false)
        : holdsAny(eb, tagIds);
  return eb.or([
    tagged,
    eb('stories.author_id', 'in', eb.selectFrom('muted_authors').select('muted_authors.author_id').where('muted_authors.user_id', '=', id)),
  ]);
}

/** The reader's mute list as SQL, in the same query as the filters (so a page of 20 shows 20). */
function withMutes<Q extends CardQueryBase>(query: Q, muter: Muter): Q {
  if (muter === null) return query;
  return query.where((eb) => eb.not(isMuted(eb, muter))) as Q;
}

/**
 * The filters as SQL, inside the one query that pages (so a page of 20 shows 20), over each
 * story's filter set: every included tag (or what it stands for) must be there, no excluded one
 * may be; ratings, warnings and categories match any of those chosen; then status and length.
 */
function withFilters<Q extends CardQueryBase>(db: Db, query: Q, filters: Filters): Q {
  // A tag few stories hold is read from its side (its stories by the tag index), a common one while
  // walking the list in order: each the fast way round, on both databases, whatever the planner guesses.
  const holds =
    ({ ids, stories }: TagSet) =>
    (eb: ExpressionBuilder<DB, 'stories' | 'users'>) =>
      ids.length === 0
        ? eb.lit(false)
        : stories <= SMALL_TAG_SET
          ? eb(
              'stories.id',
              'in',
              eb.selectFrom('story_filter_tags').select('story_filter_tags.story_id').where('story_filter_tags.tag_id', 'in', ids),
            )
          : // `is true` keeps PostgreSQL from turning the test into a join that reads every holder first.
            sql<boolean>`(${holdsAny(eb, ids)}) is true`;
  const named = (type: TagType, names: string[]) => (eb: ExpressionBuilder<DB, 'stories' | 'users'>) =>
    inFilterSet(eb, (sub) =>
      sub.where('tags.type', '=', type).where(
        'tags.name_key',
        'in',
        names.map((name) => name.toLowerCase()),
      ),
    );
  let q = query as CardQueryBase;
  // The service resolves names (and a tag page's tag) to filter-set ids; without that, by id alone.
  const include = filters.tagIds?.include ?? (filters.tagId === null ? [] : [{ ids: [filters.tagId], stories: SMALL_TAG_SET + 1 }]);
  for (const set of include) q = q.where(holds(set));
  const excluded = filters.tagIds?.exclude ?? [];
  if (excluded.length) q = q.where((eb) => eb.not(holdsAny(eb, excluded)));
  if (filters.ratings.length) q = q.where('stories.rating', 'in', filters.ratings);
  if (filters.warnings.length) q = q.where(named('warning', filters.warnings));
  if (filters.categories.length) q = q.where(named('category', filters.categories));
  if (filters.complete === 'complete') q = q.where('stories.status', '=', 'complete');
  if (filters.complete === 'in-progress') q = q.where('stories.status', '!=', 'complete');
  if (filters.wordsFrom !== null) q = q.where('stories.word_count', '>=', filters.wordsFrom);
  if (filters.wordsTo !== null) q = q.where('stories.word_count', '<=', filters.wordsTo);
  if (filters.updatedSince) q = q.where('stories.updated_at', '>=', filters.updatedSince);
  const { authors } = filters;
  // An author's stories include those they co-write.
  if (authors?.length)
    q = q.where((eb) =>
      eb.or([
        eb('users.username_key', 'in', authors),
        eb(
          'stories.id',
          'in',
          eb
            .selectFrom('story_authors')
            .innerJoin('users as coauthor', 'coauthor.id', 'story_authors.user_id')
            .select('story_authors.story_id')
            .where('coauthor.username_key', 'in', authors)
            .where('story_authors.accepted_at', 'is not', null),
        ),
      ]),
    );
  if (filters.language !== null) q = q.where('stories.language', '=', filters.language);
  if (filters.kudosFrom) q = q.where('stories.kudos_count', '>=', filters.kudosFrom);
  if (filters.viewsFrom) q = q.where('stories.view_count', '>=', filters.viewsFrom);
  const { shelfId } = filters;
  if (shelfId)
    q = q.where('stories.id', 'in', (eb) =>
      eb.selectFrom('shelf_items').select('shelf_items.story_id').where('shelf_items.shelf_id', '=', shelfId),
    );
  const excludedText = filters.text?.excluded;
  if (excludedText && excludedText.length > 0) {
    const rows = numberRows(
      db,
      ['story_id'],
      excludedText.map((id) => [id]),
    );
    q = q.where('stories.id', 'not in', sql<number>`(select story_id from ${rows} as excluded)`);
  }
  if (filters.crossovers !== 'include') {
    // A crossover is tagged with two or more fandoms.
    const fandoms = (eb: ExpressionBuilder<DB, 'stories' | 'users'>) =>
      eb
        .selectFrom('story_tags')
        .innerJoin('tags', 'tags.id', 'story_tags.tag_id')
        .select((sub) => sub.fn.countAll<number>().as('n'))
        .whereRef('story_tags.story_id', '=', 'stories.id')
        .where('tags.type', '=', 'fandom');
    q = q.where((eb) => eb(fandoms(eb), filters.crossovers === 'only' ? '>=' : '<', 2));
  }
  return q as Q;
}

export async function storyIdsByAuthor(db: Db, authorId: number): Promise<number[]> {
  return (await db.selectFrom('stories').select('id').where('author_id', '=', authorId).execute()).map((row) => row.id);
}

/** A cover kept for its uploader's next submit of a failed form. */
export async function insertPendingCover(db: Db, userId: number, cover: { key: string; width: number; height: number }, now: number) {
  await db
    .insertInto('pending_covers')
    .values({ ...cover, user_id: userId, created_at: now })
    .execute();
}

export async function findPendingCover(db: Db, userId: number, key: string) {
  return db
    .selectFrom('pending_covers')
    .select(['key', 'width', 'height'])
    .where('key', '=', key)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

/** Called in the transaction that gives the cover to a story: it is no longer pending. */
export async function claimPendingCover(db: Db, key: string) {
  await db.deleteFrom('pending_covers').where('key', '=', key).execute();
}

/** Pending covers older than `before`, removed from the table; their files are the caller's to remove. */
export async function takeStalePendingCovers(db: Db, before: number): Promise<string[]> {
  const rows = await db.deleteFrom('pending_covers').where('created_at', '<', before).returning('key').execute();
  return rows.map((row) => row.key);
}

export async function insertStory(db: Db, story: NewStory) {
  return db.insertInto('stories').values(story).returning('id').executeTakeFirstOrThrow();
}

export async function updateStory(db: Db, id: number, changes: StoryUpdate) {
  await db.updateTable('stories').set(changes).where('id', '=', id).execute();
}

export async function deleteStory(db: Db, id: number) {
  await db.deleteFrom('stories').where('id', '=', id).execute();
}

/** Recomputes the cached counts from the published chapters; the first publication publishes the story. Returns the published chapters. */
export async function refreshStoryCounts(db: Db, storyId: number, now: number, bumpUpdated: boolean): Promise<number> {
  const totals = await db
    .selectFrom('chapters')
    .select((eb) => [eb.fn.countAll<number>().as('chapters'), eb.fn.sum<number>('word_count').as('words')])
    .where('story_id', '=', storyId)
    .where('published_at', 'is not', null)
    .executeTakeFirstOrThrow();
  const chapters = Number(totals.chapters);
  await db
    .updateTable('stories')
    .set((eb) => ({
      chapter_count: chapters,
      word_count: Number(totals.words ?? 0),
      published_at: chapters > 0 ? eb.fn.coalesce('published_at', eb.val(now)) : null,
      ...(bumpUpdated ? { updated_at: now } : {}),
    }))
    .where('id', '=', storyId)
    .execute();
  return chapters;
}

/** A story's table of contents: every chapter's place, title, length and state. */
export async function listChapterHeadings(db: Db, storyId: number) {
  return db
    .selectFrom('chapters')
    .select(['id', 'story_id', 'position', 'title', 'word_count', 'published_at', 'updated_at'])
    .where('story_id', '=', storyId)
    .orderBy('position')
    .execute();
}
export type ChapterHeading = Awaited<ReturnType<typeof listChapterHeadings>>[number];
