import type { Context } from '../../kernel/context.ts';
import { AppError, forbidden, notFound } from '../../kernel/errors.ts';
import { record, write } from '../../kernel/events/events.ts';
import type { Viewer } from '../../kernel/web/viewer.ts';
import { canEditStory, canViewStory } from '../stories/stories.policy.ts';
import { findStory } from '../stories/stories.service.ts';
import { canManageSeries } from './series.policy.ts';
import * as series from './series.repository.ts';

export type { PartRow } from './series.repository.ts';

/** The parts of a series this viewer may see: published, not hidden (or their own). */
const visibleParts = (viewer: Viewer | null, parts: series.PartRow[]) => parts.filter((part) => canViewStory(viewer, part));

export type StoryRef = { id: number; slug: string; title: string };
/** A story's place in one series: "part 2 of 5", with the parts before and after it. */
export type SeriesPlace = { id: number; title: string; part: number; of: number; previous: StoryRef | null; next: StoryRef | null };

export async function seriesOf(ctx: Context, storyId: number, viewer: Viewer | null = null): Promise<SeriesPlace[]> {
  const found = await series.seriesContaining(ctx.db, storyId);
  const parts = await series.partsOf(
    ctx.db,
    found.map((s) => s.id),
  );
  return found.map(({ id, title }) => {
    const shown = visibleParts(
      viewer,
      parts.filter((part) => part.series_id === id),
    );
    const index = shown.findIndex((part) => part.id === storyId);
    return { id, title, part: index + 1, of: shown.length, previous: shown[index - 1] ?? null, next: shown[index + 1] ?? null };
  });
}

export async function createSeries(ctx: Context, viewer: Viewer, input: { title: string; description: string }) {
  return series.insertSeries(ctx.db, { owner_id: viewer.id, ...input, created_at: ctx.clock.now() });
}

export async function seriesPage(ctx: Context, viewer: Viewer | null, seriesId: number) {
  const found = await series.findSeries(ctx.db, seriesId);
  if (!found) throw notFound('Series');
  const own = canManageSeries(viewer, found);
  const parts = visibleParts(viewer, await series.partsOf(ctx.db, [seriesId]));
  // The owner may add any story they can edit that is not in the series yet.
  const addable = own ? await ownStoriesOutside(ctx, viewer, parts) : [];
  return { series: found, parts, own, addable };
}

async function ownStoriesOutside(ctx: Context, viewer: Viewer, parts: series.PartRow[]) {
  const inSeries = new Set(parts.map((part) => part.id));
  const rows = await ctx.db
    .selectFrom('stories')
    .select(['id', 'title'])
    .where((eb) =>
      eb.or([
        eb('author_id', '=', viewer.id),
        eb(
          'id',
          'in',
          eb.selectFrom('story_authors').select('story_id').where('user_id', '=', viewer.id).where('accepted_at', 'is not', null),
        ),
      ]),
    )
    .orderBy('title')
    .limit(500)
    .execute();
  return rows.filter((row) => !inSeries.has(row.id));
}

/** A series' owner changes its parts; every story in it before and after shows the change. */
async function changeParts(ctx: Context, viewer: Viewer, seriesId: number, change: (order: number[]) => number[] | Promise<number[]>) {
  const found = await series.findSeries(ctx.db, seriesId);
  if (!found) throw notFound('Series');
  if (!canManageSeries(viewer, found)) throw forbidden('Only the series’ owner changes its parts.');
  const before = (await series.partsOf(ctx.db, [seriesId])).map((part) => part.id);
  const after = await change(before);
  await write(ctx, async (trx) => {
    record(trx, { type: 'seriesChanged', storyIds: [...new Set([...before, ...after])] });
    for (const gone of before.filter((id) => !after.includes(id))) await series.removePart(trx, seriesId, gone);
    for (const added of after.filter((id) => !before.includes(id))) await series.addPart(trx, seriesId, added);
    await series.renumber(trx, seriesId, after);
  });
}

export async function addToSeries(ctx: Context, viewer: Viewer, seriesId: number, storyId: number) {
  await changeParts(ctx, viewer, seriesId, async (order) => {
    const story = await findStory(ctx.db, storyId);
    if (!story || !canEditStory(viewer, story)) throw new AppError(400, 'Add a story you wrote (or co-write).');
    return order.includes(storyId) ? order : [...order, storyId];
  });
}

export async function removeFromSeries(ctx: Context, viewer: Viewer, seriesId: number, storyId: number) {
  await changeParts(ctx, viewer, seriesId, (order) => order.filter((id) => id !== storyId));
}

export async function moveInSeries(ctx: Context, viewer: Viewer, seriesId: number, storyId: number, by: -1 | 1) {
  await changeParts(ctx, viewer, seriesId, (order) => {
    const from = order.indexOf(storyId);
    const to = from + by;
    if (from < 0 || to < 0 || to >= order.length) return order;
    const moved = [...order];
    [moved[from], moved[to]] = [moved[to] as number, moved[from] as number];
    return moved;
  });
}

export const seriesBy = (ctx: Context, viewer: Viewer) => series.seriesOwnedBy(ctx.db, viewer.id);
