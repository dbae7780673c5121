import type { Context } from '../../kernel/context.ts';
import type { PageAt } from '../../kernel/db/pagination.ts';
import type { ShelfVisibility } from '../../kernel/db/schema.ts';
import { notFound } from '../../kernel/errors.ts';
import { record, write } from '../../kernel/events/events.ts';
import { keyedHash, sameToken } from '../../kernel/web/keyed-hash.ts';
import { FormError } from '../../kernel/web/validation.ts';
import type { Viewer } from '../../kernel/web/viewer.ts';
import type { Filters } from '../stories/filters.ts';
import { canViewStory } from '../stories/stories.policy.ts';
import { findStory, listStories } from '../stories/stories.service.ts';
import * as shelves from './shelves.repository.ts';
import type { ShelfInput, ShelvingInput } from './shelves.schema.ts';

/** A reader keeps at most this many shelves. */
const MAX_SHELVES = 100;

type ShelfKey = { id: number; user_id: number; visibility: ShelfVisibility };

/**
 * How a shelf is named in its addresses: its id, and for an unlisted shelf its id and a key derived
 * from the archive's secret (`12-Xk3…`), so that "anyone with the address" cannot mean anyone who
 * counts up from 1.
 */
export function shelfRef(ctx: Context, shelf: ShelfKey): string {
  return shelf.visibility === 'unlisted'
    ? `${shelf.id}-${keyedHash(ctx.config.sessionSecret, 'shelf', `${shelf.id}:${shelf.user_id}`)}`
    : `${shelf.id}`;
}

export const shelfPath = (ctx: Context, shelf: ShelfKey) => `/shelves/${shelfRef(ctx, shelf)}`;

/** The reader's shelves, each with the address it is shared by. */
export async function myShelves(ctx: Context, viewer: Viewer) {
  await shelves.ensureDefaultShelves(ctx.db, viewer.id, ctx.clock.now());
  return (await shelves.listShelves(ctx.db, viewer.id)).map((shelf) => ({
    ...shelf,
    path: shelfPath(ctx, { ...shelf, user_id: viewer.id }),
  }));
}

/** Makes a shelf; returns its id and the address it is shared by. */
export async function createShelf(ctx: Context, viewer: Viewer, input: ShelfInput): Promise<{ id: number; path: string }> {
  if ((await shelves.countShelves(ctx.db, viewer.id)) >= MAX_SHELVES) throw new FormError({ name: `You can keep ${MAX_SHELVES} shelves.` });
  // A public shelf shows on its reader's profile, a cached list page.
  const id = await write(ctx, (trx) => {
    record(trx, { type: 'shelvesChanged', storyId: null });
    return shelves.insertShelf(trx, {
      user_id: viewer.id,
      name: input.name,
      kind: 'custom',
      visibility: input.visibility,
      created_at: ctx.clock.now(),
    });
  });
  return { id, path: shelfPath(ctx, { id, user_id: viewer.id, visibility: input.visibility }) };
}

async function shelvableStory(ctx: Context, viewer: Viewer, storyId: number) {
  const story = await findStory(ctx.db, storyId);
  if (!story || story.published_at === null || !canViewStory(viewer, story)) throw notFound('Story');
  return story;
}

/** The shelving form for a story: the reader's shelves, which hold it, and their note. */
export async function shelving(ctx: Context, viewer: Viewer, storyId: number) {
  const story = await shelvableStory(ctx, viewer, storyId);
  const mine = await myShelves(ctx, viewer);
  const holding = await shelves.shelvesHolding(ctx.db, viewer.id, storyId);
  return { story, shelves: mine, chosen: holding.map((row) => row.shelf_id), note: holding[0]?.note ?? '' };
}

/** Puts the story on exactly the chosen shelves (only the reader's own count) with the note. */
export async function saveShelving(ctx: Context, viewer: Viewer, storyId: number, input: ShelvingInput) {
  await shelvableStory(ctx, viewer, storyId);
  const own = new Set((await myShelves(ctx, viewer)).map((shelf) => shelf.id));
  if (input.shelves.some((id) => !own.has(id))) throw notFound('Shelf');
  await write(ctx, (trx) => {
    record(trx, { type: 'shelvesChanged', storyId });
    return shelves.setShelving(trx, viewer.id, storyId, input.shelves, input.note, ctx.clock.now());
  });
  return input.shelves.length;
}

/**
 * The shelf an address names, as this viewer may see it: a private one only by its reader, an
 * unlisted one by its reader or with its key; anyone else gets a 404, as for a wrong id.
 */
export async function visibleShelf(ctx: Context, viewer: Viewer | null, ref: string) {
  const [, id, key] = /^([1-9]\d{0,14})(?:-([A-Za-z0-9_-]{1,64}))?$/.exec(ref) ?? [];
  const shelf = id ? await shelves.findShelf(ctx.db, Number(id)) : undefined;
  if (!shelf) throw notFound('Shelf');
  const own = viewer?.id === shelf.user_id;
  if (shelf.visibility === 'private' && !own) throw notFound('Shelf');
  if (shelf.visibility === 'unlisted' && !own && !sameToken(`${id}-${key ?? ''}`, shelfRef(ctx, shelf))) throw notFound('Shelf');
  return { ...shelf, path: shelfPath(ctx, shelf) };
}

/** A shelf as a list like any other (filters, sorting, the reader's mute list), with the shelf's notes. */
export async function shelfStories(ctx: Context, viewer: Viewer | null, ref: string, filters: Filters, at: PageAt) {
  const shelf = await visibleShelf(ctx, viewer, ref);
  const list = await listStories(ctx, viewer, { ...filters, shelfId: shelf.id }, at);
  const notes = await shelves.notesOn(
    ctx.db,
    shelf.id,
    list.items.map((story) => story.id),
  );
  return { shelf, list, notes };
}

export async function storyShelfCount(ctx: Context, storyId: number) {
  return shelves.shelfCount(ctx.db, storyId);
}

export async function profileShelves(ctx: Context, userId: number) {
  return shelves.publicShelves(ctx.db, userId);
}
