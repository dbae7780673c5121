import type { Context } from '../../context.ts';
import { storyScope, writeChanges } from '../../db/change-feed.ts';
import { type Cursor, type Page, toPage } from '../../db/pagination.ts';
import type { Db } from '../../db/schema.ts';
import { forbidden, notFound } from '../../errors.ts';
import { slugify } from '../../text/slug.ts';
import type { Viewer } from '../accounts/viewer.ts';
import * as chaptersRepo from '../chapters/chapters.repository.ts';
import { type Cover, coverFile, removeCover, storeCover } from './cover.ts';
import { canEditStory, canViewChapter, canViewStory } from './stories.policy.ts';
import type { StoryCardRow, StoryWithAuthor } from './stories.repository.ts';
import * as stories from './stories.repository.ts';
import type { StoryInput } from './stories.schema.ts';
import { type StoryTag, setStoryTags, tagsForStories } from './tags.repository.ts';

export type StoryCard = StoryCardRow & { tags: StoryTag[] };
export type FullStory = StoryWithAuthor & { tags: StoryTag[] };
export const PAGE_SIZE = 20;

/** The stored columns of a story form: the description is formatted here, before any transaction opens. */
export async function storyFields(ctx: Context, input: StoryInput) {
  const [description] = await ctx.renderer.render([{ source: input.description, format: input.description_format }]);
  return {
    title: input.title,
    slug: slugify(input.title),
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
    tags: input.tags,
  };
}
export type StoryFields = Awaited<ReturnType<typeof storyFields>>;

/** Runs a write that follows storing a new cover; if the write fails, the cover goes too. */
async function withCover<T>(ctx: Context, upload: string | null, write: (cover: Cover | null) => Promise<T>): Promise<T> {
  const cover = upload ? await storeCover(ctx.storage, upload) : null;
  try {
    return await write(cover);
  } catch (error) {
    await removeCover(ctx.storage, cover?.key ?? null);
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
  return id;
}

/** `upload` is the path of a cover image the form streamed to disk, if one was chosen. */
export async function createStory(ctx: Context, viewer: Viewer, input: StoryInput, upload: string | null = null) {
  const fields = await storyFields(ctx, input);
  return withCover(ctx, upload, (cover) =>
    writeChanges(ctx, ['lists'], (trx) => insertNewStory(trx, viewer.id, fields, cover, ctx.clock.now())),
  );
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

export async function updateStory(ctx: Context, story: EditableStory, input: StoryInput, upload: string | null) {
  const storyId = story.id;
  const dropOld = upload !== null || input.remove_cover;
  const { tags, ...fields } = await storyFields(ctx, input);
  await withCover(ctx, upload, (cover) =>
    writeChanges(ctx, ['lists', storyScope(storyId)], async (trx) => {
      const clearCover = input.remove_cover && !cover ? { cover_key: null, cover_width: null, cover_height: null } : {};
      await stories.updateStory(trx, storyId, { ...fields, ...coverColumns(cover), ...clearCover });
      await setStoryTags(trx, storyId, tags, ctx.clock.now());
    }),
  );
  if (dropOld) await removeCover(ctx.storage, story.cover_key);
}

export async function deleteStory(ctx: Context, story: EditableStory) {
  await writeChanges(ctx, ['lists', storyScope(story.id)], (trx) => stories.deleteStory(trx, story.id));
  await removeCover(ctx.storage, story.cover_key);
}

/** The story page: the story, its tags, and the chapters this viewer may see. */
export async function storyPage(ctx: Context, viewer: Viewer | null, storyId: number) {
  const story = await stories.findStory(ctx.db, storyId);
  if (!story || !canViewStory(viewer, story)) throw notFound('Story');
  const chapters = (await chaptersRepo.listChapterHeadings(ctx.db, storyId)).filter((chapter) => canViewChapter(viewer, story, chapter));
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

const cursorOf = (story: StoryCardRow): Cursor => ({ sort: story.updated_at, id: story.id });

export async function recentlyUpdated(ctx: Context, cursor: Cursor | null): Promise<Page<StoryCard>> {
  const page = toPage(await stories.listRecentlyUpdated(ctx.db, cursor, PAGE_SIZE), PAGE_SIZE, cursorOf);
  return { ...page, items: await withTags(ctx, page.items) };
}

export async function storiesByAuthor(ctx: Context, viewer: Viewer | null, authorId: number, cursor: Cursor | null) {
  const includeDrafts = canEditStory(viewer, { author_id: authorId });
  const rows = await stories.listByAuthor(ctx.db, authorId, includeDrafts, cursor, PAGE_SIZE);
  const page = toPage(rows, PAGE_SIZE, cursorOf);
  return { ...page, items: await withTags(ctx, page.items) };
}

/** A cover's bytes and whether they may be cached publicly, or null when this viewer may not see its story. */
export async function coverFor(ctx: Context, key: string, size: 'full' | 'thumb', viewer: () => Promise<Viewer | null>) {
  const story = await stories.findStoryByCover(ctx.db, key);
  if (!story) return null;
  const published = story.published_at !== null;
  // Only a draft's cover needs the session: published covers are the same for everyone.
  if (!published && !canViewStory(await viewer(), story)) return null;
  const bytes = await ctx.storage.get(coverFile(key, size));
  return bytes ? { bytes, published } : null;
}
