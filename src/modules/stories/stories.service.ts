import type { Context } from '../../kernel/context.ts';
import { type Cursor, type Page, type PageAt, toPage } from '../../kernel/db/pagination.ts';
import type { Db } from '../../kernel/db/schema.ts';
import { TYPED_TYPES } from '../../kernel/db/tag-types.ts';
import { AppError, forbidden, notFound } from '../../kernel/errors.ts';
import { record, write } from '../../kernel/events/events.ts';
import { slugify } from '../../kernel/text/slug.ts';
import { sortKey } from '../../kernel/text/sort-key.ts';
import type { StoryRef } from '../../kernel/web/paths.ts';
import { FormError, fieldErrors } from '../../kernel/web/validation.ts';
import type { Viewer } from '../../kernel/web/viewer.ts';
import * as tags from '../tags/tags.service.ts';
import { canonicalTags, type StoryTag, setStoryTags, tagsForStories } from '../tags/tags.service.ts';
import { type Cover, coverFile, removeCover, storeCover } from './cover.ts';
import { type Filters, NO_FILTERS } from './filters.ts';
import { canEditStory, canOwnStory, canViewChapter, canViewStory } from './stories.policy.ts';
import type { StoryCardRow, StoryWithAuthor } from './stories.repository.ts';
import * as stories from './stories.repository.ts';
import { StoryFormSchema, type StoryInput, tagsOf } from './stories.schema.ts';

export {
  type ChapterHeading,
  coauthorsOf,
  findStory,
  listChapterHeadings,
  refreshStoryCounts,
  storyIdsByAuthor,
} from './stories.repository.ts';

export type StoryCard = StoryCardRow & { tags: StoryTag[] };
export type FullStory = StoryWithAuthor & { tags: StoryTag[] };
export const PAGE_SIZE = 20;

/** The stored columns of a story form: the description is formatted here, before any transaction opens. */
export async function storyFields(ctx: Context, input: StoryInput) {
  const [description] = await ctx.renderer.render([{ source: input.description, format: input.description_format }]);
  return {
    title: input.title,
    slug: slugify(input.title),
    sort_title: sortKey(input.title),
    summary: input.summary,
    description_format: input.description_format,
    description_source: input.description,
    description_html: description?.html ?? '',
    cover_artist_name: input.cover_artist_name,
    cover_artist_url: input.cover_artist_url,
    cover_source_url: input.cover_source_url,
    original_author: input.original_author,
    source_url: input.source_url,
    rating: input.rating,
    status: input.status,
    language: input.language,
    tags: tagsOf(input),
  };
}
export type StoryFields = Awaited<ReturnType<typeof storyFields>>;

/**
 * Checks a story form's fields and its cover in one round, so every problem is reported at once.
 * The cover is stored as soon as it is good: when a field is wrong, the form gets a token for it
 * and keeps the image across the next submit. A token only counts for a cover no story has yet.
 */
export async function readStoryForm(
  ctx: Context,
  viewer: Viewer,
  values: Record<string, string>,
  upload: string | null,
): Promise<{ input: StoryInput; cover: Cover | null }> {
  const parsed = StoryFormSchema.safeParse(values);
  const errors = parsed.success ? {} : fieldErrors(parsed.error);
  if (parsed.success) {
    const genres = await canonicalTags(ctx.db, 'genre');
    if (!parsed.data.genres.every((genre) => genres.includes(genre))) Object.assign(errors, { genres: 'Choose genres from the list.' });
  }
  let cover: Cover | null = null;
  try {
    cover = upload ? await storeCover(ctx.storage, upload) : await pendingCover(ctx, viewer, values.cover_token);
  } catch (error) {
    if (!(error instanceof AppError) || error.status !== 400) throw error;
    Object.assign(errors, { cover: error.fields.cover ?? error.message });
  }
  if (!parsed.success || Object.keys(errors).length > 0) {
    // A fresh upload is kept for the next submit; one carried by its token already is.
    if (cover && upload) await stories.insertPendingCover(ctx.db, viewer.id, cover, ctx.clock.now());
    throw new FormError(errors, { cover_token: cover?.key ?? '' });
  }
  return { input: parsed.data, cover };
}

/** What the story form offers to choose from: the archive's genres. */
export async function storyFormChoices(ctx: Context) {
  return { genres: await canonicalTags(ctx.db, 'genre') };
}
export type StoryFormChoices = Awaited<ReturnType<typeof storyFormChoices>>;

/** The cover a failed form kept for this account, by the key its form carried; anyone else's is not found. */
async function pendingCover(ctx: Context, viewer: Viewer, token: string | undefined): Promise<Cover | null> {
  if (!token || !/^[0-9a-f]{24}$/.test(token)) return null;
  return (await stories.findPendingCover(ctx.db, viewer.id, token)) ?? null;
}

/** Removes covers kept for forms that were never sent again; `oak serve` runs it with the session sweep. */
export async function sweepPendingCovers(ctx: Context, maxAgeMs = 24 * 60 * 60 * 1000) {
  const keys = await stories.takeStalePendingCovers(ctx.db, ctx.clock.now() - maxAgeMs);
  for (const key of keys) await removeCover(ctx.storage, key);
  return keys.length;
}

/**
 * Runs a write that records a new cover and, in its transaction, takes the cover off the pending
 * list (if a failed form had kept it). If the write fails, the cover goes too, file and row.
 */
async function withCover<T>(ctx: Context, cover: Cover | null, write: (claim: (trx: Db) => Promise<void>) => Promise<T>): Promise<T> {
  const claim = async (trx: Db) => {
    if (cover) await stories.claimPendingCover(trx, cover.key);
  };
  try {
    return await write(claim);
  } catch (error) {
    await removeCover(ctx.storage, cover?.key ?? null);
    await claim(ctx.db);
    throw error;
  }
}

const coverColumns = (cover: Cover | null) => (cover ? { cover_key: cover.key, cover_width: cover.width, cover_height: cover.height } : {});

/** Inserts a new, unpublished story and its tags in the caller's transaction (imports add a chapter in the same one). */
export async function insertNewStory(db: Db, authorId: number, { tags, ...fields }: StoryFields, cover: Cover | null, now: number) {
  const { id } = await stories.insertStory(db, {
    ...fields,
    ...coverColumns(cover),
    author_id: authorId,
    created_at: now,
    updated_at: now,
    published_at: null,
  });
  await setStoryTags(db, id, tags, now);
  record(db, { type: 'storyCreated', storyId: id });
  return id;
}

/** `cover` is one readStoryForm stored, if the form chose one. */
export async function createStory(ctx: Context, viewer: Viewer, input: StoryInput, cover: Cover | null = null): Promise<StoryRef> {
  const fields = await storyFields(ctx, input);
  const id = await withCover(ctx, cover, (claim) =>
    write(ctx, async (trx) => {
      await claim(trx);
      return insertNewStory(trx, viewer.id, fields, cover, ctx.clock.now());
    }),
  );
  return { id, slug: fields.slug };
}

declare const editable: unique symbol;
/** A story that storyToEdit has loaded and checked against the policy; write services take only this. */
export type EditableStory = StoryWithAuthor & { readonly [editable]: true };

/** Loads a story the viewer may edit, or fails with 404 (unseen) / 403 (seen but not theirs). */
export async function storyToEdit(ctx: Context, viewer: Viewer | null, storyId: number): Promise<EditableStory> {
  const story = await stories.findStory(ctx.db, storyId);
  if (!story || !canViewStory(viewer, story)) throw notFound('Story');
  if (!canEditStory(viewer, story)) throw forbidden('Only the author can change this story.');
  return story as EditableStory;
}

/** Deleting a story is for its own author (or an admin): co-authors may edit it, not delete it. */
export async function storyToDelete(ctx: Context, viewer: Viewer | null, storyId: number): Promise<EditableStory> {
  const story = await storyToEdit(ctx, viewer, storyId);
  if (!canOwnStory(viewer, story)) throw forbidden('Only the story’s own author can delete it.');
  return story;
}

export async function updateStory(ctx: Context, story: EditableStory, input: StoryInput, cover: Cover | null) {
  const storyId = story.id;
  const dropOld = cover !== null || input.remove_cover;
  const { tags, ...fields } = await storyFields(ctx, input);
  await withCover(ctx, cover, (claim) =>
    write(ctx, async (trx) => {
      const clearCover = input.remove_cover && !cover ? { cover_key: null, cover_width: null, cover_height: null } : {};
      await claim(trx);
      await stories.updateStory(trx, storyId, { ...fields, ...coverColumns(cover), ...clearCover });
      await setStoryTags(trx, storyId, tags, ctx.clock.now());
      record(trx, { type: 'storyChanged', storyId });
    }),
  );
  if (dropOld) await removeCover(ctx.storage, story.cover_key);
}

export async function deleteStory(ctx: Context, story: EditableStory) {
  await write(ctx, async (trx) => {
    if (story.published_at !== null) {
      const published = (await stories.listChapterHeadings(trx, story.id)).filter((chapter) => chapter.published_at !== null);
      const chapterIds = published.map((chapter) => chapter.id);
      record(trx, { type: 'chaptersWithdrawn', storyId: story.id, authorId: story.author_id, chapterIds });
    }
    await stories.deleteStory(trx, story.id);
    record(trx, { type: 'storyDeleted', storyId: story.id });
  });
  await removeCover(ctx.storage, story.cover_key);
}

/** The story page: the story, its tags, and the chapters this viewer may see. */
export async function storyPage(ctx: Context, viewer: Viewer | null, storyId: number) {
  const story = await stories.findStory(ctx.db, storyId);
  if (!story || !canViewStory(viewer, story)) throw notFound('Story');
  const chapters = (await stories.listChapterHeadings(ctx.db, storyId)).filter((chapter) => canViewChapter(viewer, story, chapter));
  const tags = (await tagsForStories(ctx.db, [storyId])).get(storyId) ?? [];
  return { story: { ...story, tags }, chapters, canEdit: canEditStory(viewer, story) };
}

async function withTags(ctx: Context, rows: StoryCardRow[]): Promise<StoryCard[]> {
  const tags = await tagsForStories(
    ctx.db,
    rows.map((row) => row.id),
  );
  return rows.map((row) => ({ ...row, tags: tags.get(row.id) ?? [] }));
}

/** The keyset cursor of a card under a sort: its sort column's value (0 for a draft's missing date) and its id. */
const cursorFor =
  (sort: Filters['sort']) =>
  (story: StoryCardRow): Cursor => {
    const values = {
      relevance: story.score ?? 0,
      updated: story.updated_at,
      published: story.published_at ?? 0,
      words: story.word_count,
      kudos: story.kudos_count,
      views: story.view_count,
      title: story.sort_title,
    };
    return { sort: values[sort], id: story.id };
  };

/**
 * A page of a list, how many stories the reader's mute list hid from it, and the tags most used in
 * the whole list (both counted on the first page only).
 */
export type ListedStories = Page<StoryCard> & {
  total: number | null;
  /**
   * Whether `total` and `hidden` were counted, estimated (counting would read too much), or are a
   * floor (a search that matched more stories than it keeps).
   */
  counted: 'exact' | 'about' | 'at least';
  hidden: number;
  facets: stories.Facets;
  /** The sidebar counted only this many of the list's first stories, the list being longer. */
  facetsWithin: number | null;
};

/** The filters as the database needs them: "updated within 30 days" as a time by the archive's clock, tag names as filter-set ids. */
async function resolveFilters(ctx: Context, filters: Filters): Promise<Filters> {
  const ids = await tags.filterTagIds(ctx.db, [...new Set([...filters.include, ...filters.exclude])]);
  const sets = [...filters.include.map((name) => ids.get(name) ?? []), ...(filters.tagId === null ? [] : [[filters.tagId]])];
  const include = await Promise.all(
    sets.map(async (set) => ({ ids: set, stories: await tags.filterSetSize(ctx.db, set, stories.SMALL_TAG_SET + 1) })),
  );
  return {
    ...filters,
    // Only a search's text can be matched well or badly.
    sort: filters.sort === 'relevance' && !filters.text?.matches ? 'updated' : filters.sort,
    updatedSince: filters.updatedWithin === null ? null : ctx.clock.now() - filters.updatedWithin * 24 * 60 * 60 * 1000,
    tagIds: { include, exclude: filters.exclude.flatMap((name) => ids.get(name) ?? []) },
  };
}

/** Whose mute list applies: the signed-in reader's, unless they asked to see what it hides. */
const muterOf = async (ctx: Context, viewer: Viewer | null, showMuted: boolean): Promise<stories.Muter> =>
  viewer?.muting && !showMuted ? stories.muterFor(ctx.db, viewer.id) : null;

type ListCounts = Pick<ListedStories, 'total' | 'counted' | 'hidden' | 'facets' | 'facetsWithin'>;
const NO_COUNTS: ListCounts = { total: null, counted: 'exact', hidden: 0, facets: new Map(), facetsWithin: null };

/** Lists count exactly up to this many stories; the sidebar counts the tags of the list's first FACET_WINDOW. */
const COUNT_LIMIT = 1000;
const FACET_WINDOW = 300;

/**
 * How many stories a list holds, and how many of them the mute list hides: exact up to
 * COUNT_LIMIT; past it (or when the most recent stories show it is far past it), estimated from
 * the share of the most recent stories that match, so a page never counts the whole archive.
 */
async function listCounts(ctx: Context, filters: Filters, muter: stories.Muter) {
  const sample = 2 * COUNT_LIMIT;
  const published = await stories.countPublished(ctx.db);
  const scale = published / Math.max(1, Math.min(sample, published));
  const estimate = ({ all, shown }: { all: number; shown: number }) => {
    // Rounded to two figures, since it is an estimate; never below what a count found.
    const round = (n: number) => {
      const magnitude = 10 ** Math.max(0, Math.floor(Math.log10(Math.max(1, n))) - 1);
      return Math.round(n / magnitude) * magnitude;
    };
    const total = Math.max(COUNT_LIMIT + 1, all * scale);
    const kept = Math.min(total, shown * scale);
    return { total: round(kept), hidden: round(total - kept), estimated: true };
  };
  // A search holds at most its kept matches: counting them is bounded already.
  const sampled =
    published > sample && !filters.text?.matches ? await stories.countWithMutes(ctx.db, filters, muter, sample, sample) : null;
  if (sampled && sampled.all * scale > 2 * COUNT_LIMIT) return estimate(sampled);
  const counted = await stories.countWithMutes(ctx.db, filters, muter, COUNT_LIMIT + 1);
  if (counted.all <= COUNT_LIMIT) return { total: counted.shown, hidden: counted.all - counted.shown, estimated: false };
  return estimate(sampled ?? (await stories.countWithMutes(ctx.db, filters, muter, sample, sample)));
}

/** A page of cards with their tags; the counts are made for the first page only. */
async function listPage(
  ctx: Context,
  rows: StoryCardRow[],
  sort: Filters['sort'],
  at: PageAt,
  counts: () => Promise<ListCounts>,
): Promise<ListedStories> {
  const page = toPage(rows, PAGE_SIZE, cursorFor(sort), at);
  const first = at.after === null && at.before === null;
  return { ...page, items: await withTags(ctx, page.items), ...(first ? await counts() : NO_COUNTS) };
}

/** Each type's eight most used tags in a list. */
const FACETS_PER_TYPE = 8;

/** Published stories, newest first unless the filters sort otherwise, narrowed by the filters and the reader's mute list. */
export async function listStories(
  ctx: Context,
  viewer: Viewer | null,
  given: Filters,
  at: PageAt,
  { showMuted = false }: { showMuted?: boolean } = {},
): Promise<ListedStories> {
  const filters = await resolveFilters(ctx, given);
  const muter = await muterOf(ctx, viewer, showMuted);
  const rows = await stories.listStories(ctx.db, filters, muter, at, PAGE_SIZE);
  return listPage(ctx, rows, filters.sort, at, async () => {
    const counts = await listCounts(ctx, filters, muter);
    const facets = await stories.facetCounts(ctx.db, filters, muter, FACETS_PER_TYPE, FACET_WINDOW);
    return {
      total: counts.total,
      counted: filters.text?.capped ? 'at least' : counts.estimated || filters.text?.approximate ? 'about' : 'exact',
      hidden: counts.hidden,
      facets,
      facetsWithin: counts.total > FACET_WINDOW ? FACET_WINDOW : null,
    };
  });
}

/**
 * An author's stories: to readers, their published ones as a list like any other (counts, sidebar,
 * mute list); to the author (and admins), drafts too.
 */
export async function storiesByAuthor(
  ctx: Context,
  viewer: Viewer | null,
  author: { id: number; username_key: string },
  given: Filters,
  at: PageAt,
  showMuted = false,
): Promise<ListedStories> {
  const authorId = author.id;
  const includeDrafts = canEditStory(viewer, { author_id: authorId });
  if (!includeDrafts) return listStories(ctx, viewer, { ...given, authors: [author.username_key] }, at, { showMuted });
  const filters = await resolveFilters(ctx, given);
  // Drafts have no publication date to page by: with them listed, "published" pages by update instead.
  const sorted: Filters = includeDrafts && filters.sort === 'published' ? { ...filters, sort: 'updated' } : filters;
  const rows = await stories.listByAuthor(ctx.db, authorId, sorted, at, PAGE_SIZE);
  return listPage(ctx, rows, sorted.sort, at, async () => NO_COUNTS);
}

/** A cover's bytes and whether they may be cached publicly, or null when this viewer may not see its story. */
export async function coverFor(ctx: Context, key: string, size: 'full' | 'thumb', viewer: () => Promise<Viewer | null>) {
  const story = await stories.findStoryByCover(ctx.db, key);
  if (!story) return null;
  const published = story.published_at !== null && story.hidden_at === null;
  // Only a draft's or hidden story's cover needs the session: published covers are the same for everyone.
  if (!published && !canViewStory(await viewer(), story)) return null;
  const bytes = await ctx.storage.get(coverFile(key, size));
  return bytes ? { bytes, published } : null;
}

export async function findTag(ctx: Context, id: number) {
  return tags.findTag(ctx.db, id);
}

/** The tags browse page: each type's 100 most used on published stories. */
export async function tagsInUse(ctx: Context) {
  return stories.facetCounts(ctx.db, NO_FILTERS, null, 100);
}

/** Up to ten tags of a typed type starting with `prefix` (at least two characters); [] for anything else. */
export async function suggestTags(ctx: Context, type: unknown, prefix: unknown): Promise<string[]> {
  const typed = TYPED_TYPES.find((t) => t === type);
  if (!typed || typeof prefix !== 'string') return [];
  const trimmed = prefix.replace(/\s+/g, ' ').trim();
  if (trimmed.length < 2 || trimmed.length > 100) return [];
  return tags.suggestTags(ctx.db, typed, trimmed, 10);
}
