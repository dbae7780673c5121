import type { Context } from '../../kernel/context.ts';
import { lockWrangling } from '../../kernel/db/locks.ts';
import type { Db, TagType } from '../../kernel/db/schema.ts';
import { TYPED_TYPES } from '../../kernel/db/tag-types.ts';
import { badRequest, forbidden, notFound } from '../../kernel/errors.ts';
import { record, write } from '../../kernel/events/events.ts';
import { FormError } from '../../kernel/web/validation.ts';
import type { Viewer } from '../../kernel/web/viewer.ts';
import { audit } from '../audit/audit.service.ts';
import { refreshFilterSets, storiesFilteredBy } from '../tags/tags.service.ts';
import { canEditGenres, canWrangle } from './wrangling.policy.ts';
import * as wrangling from './wrangling.repository.ts';
import type { GenreInput, WrangleInput } from './wrangling.schema.ts';

export type { TagRef } from './wrangling.repository.ts';

/** Up to this many stories are refiled in the wrangler's own transaction; a larger tag's go to the queue. */
export const REFILE_NOW_LIMIT = 500;
const BATCH = 500;

/** The types wranglers work on; ratings, warnings and categories are fixed, genres a chosen set. */
export const WRANGLED_TYPES = TYPED_TYPES;
const wrangled = (type: TagType) => (WRANGLED_TYPES as readonly string[]).includes(type);

function requireWrangler(viewer: Viewer | null): Viewer {
  if (!canWrangle(viewer) || !viewer) throw forbidden('Only moderators and admins wrangle tags.');
  return viewer;
}

/** The wrangling queue: one type's unwrangled tags, most used first, and how many wait in each type. */
export async function wranglingQueue(ctx: Context, viewer: Viewer | null, type: TagType) {
  requireWrangler(viewer);
  return {
    tags: await wrangling.unwrangledTags(ctx.db, type, 100),
    counts: await wrangling.unwrangledCounts(ctx.db),
    refiling: (await wrangling.queuedTags(ctx.db)).length,
  };
}

/** A tag with everything wrangling has said about it, for its page and its wrangling form. */
export async function tagRelations(ctx: Pick<Context, 'db'>, tagId: number) {
  const { db } = ctx;
  const tag = await wrangling.findWrangledTag(db, tagId);
  if (!tag) throw notFound('Tag');
  const [synonyms, fandoms, metatags, subtags, members] = await Promise.all([
    wrangling.synonymsOf(db, tag.id),
    wrangling.parentsOf(db, tag.id, 'fandom'),
    wrangling.parentsOf(db, tag.id, 'meta'),
    wrangling.childrenOf(db, tag.id, 'meta'),
    tag.type === 'fandom' ? wrangling.childrenOf(db, tag.id, 'fandom') : Promise.resolve([]),
  ]);
  const canonicalTag = tag.canonical_id === null ? null : ((await wrangling.findWrangledTag(db, tag.canonical_id)) ?? null);
  return { tag, canonicalTag, synonyms, fandoms, metatags, subtags, members };
}
export type TagRelations = Awaited<ReturnType<typeof tagRelations>>;

export async function tagToWrangle(ctx: Pick<Context, 'db'>, viewer: Viewer | null, tagId: number) {
  requireWrangler(viewer);
  const relations = await tagRelations(ctx, tagId);
  if (!wrangled(relations.tag.type)) throw badRequest('Archive warnings, categories and genres are a fixed list: they are not wrangled.');
  return relations;
}

/** Finds the named canonical tags of one type, or says which names are missing or not canonical. */
async function canonicalNamed(db: Db, type: TagType, names: string[], field: string, label: string) {
  const found = await wrangling.tagsNamed(db, type, names);
  const missing = names.filter((name) => !found.some((tag) => tag.name_key === name && tag.canonical === 1));
  if (missing.length > 0) throw new FormError({ [field]: `No canonical ${label} is named ${missing.join(', ')}.` });
  return found;
}

/**
 * Applies a wrangling form to a tag: canonical or not, a synonym of one canonical tag of its type,
 * a canonical character's or relationship's fandoms, a canonical tag's metatags (no cycles). The
 * filter sets of the stories it touches change in the same transaction, or, for a tag on more
 * than REFILE_NOW_LIMIT stories, by the refiling queue (refileQueued). Returns how it went.
 */
/** A wrangling change as the audit log shows it. */
function describeWrangling(input: WrangleInput): string {
  const parts = [input.canonical ? 'canonical' : 'not canonical'];
  if (input.synonym_of) parts.push(`synonym of ${input.synonym_of}`);
  if (input.fandoms.length) parts.push(`fandoms: ${input.fandoms.join(', ')}`);
  if (input.metatags.length) parts.push(`under: ${input.metatags.join(', ')}`);
  return parts.join('; ');
}

export async function wrangleTag(ctx: Context, viewer: Viewer | null, tagId: number, input: WrangleInput) {
  requireWrangler(viewer);
  // Checked and written in one transaction, one wrangling change at a time: two changes checked
  // side by side could otherwise make a loop neither would allow alone.
  return write(ctx, async (trx) => {
    await lockWrangling(trx);
    record(trx, { type: 'tagsWrangled', tagIds: [tagId] });
    const saved = await wrangleIn(trx, ctx.clock.now(), viewer, tagId, input);
    await audit(
      trx,
      { actor_id: viewer?.id ?? null, action: 'wrangle', target_kind: 'tag', target_id: tagId, detail: describeWrangling(input) },
      ctx.clock.now(),
    );
    return saved;
  });
}

async function wrangleIn(db: Db, now: number, viewer: Viewer | null, tagId: number, input: WrangleInput) {
  const { tag, synonyms, subtags } = await tagToWrangle({ db }, viewer, tagId);
  const errors: Record<string, string> = {};
  let canonicalId: number | null = null;
  if (input.synonym_of) {
    const [target] = await canonicalNamed(db, tag.type, [input.synonym_of], 'synonym_of', `${tag.type} tag`);
    if (target?.id === tag.id) errors.synonym_of = 'A tag cannot be a synonym of itself.';
    if (input.canonical) errors.canonical = 'A synonym cannot be canonical itself: untick Canonical, or clear “Synonym of”.';
    if (subtags.length > 0) errors.synonym_of = `${tag.name} has subtags: move them under another tag first.`;
    canonicalId = target?.id ?? null;
  } else if (!input.canonical && synonyms.length > 0) {
    errors.canonical = `${tag.name} has ${synonyms.length} synonym(s): make them synonyms of another tag first.`;
  } else if (!input.canonical && subtags.length > 0) {
    errors.canonical = `${tag.name} has subtags: move them under another tag first.`;
  }
  const linking = input.fandoms.length > 0 || input.metatags.length > 0;
  if (linking && (!input.canonical || canonicalId !== null)) {
    errors.metatags = 'Only a canonical tag has fandoms and metatags.';
  }
  if (input.fandoms.length > 0 && tag.type !== 'character' && tag.type !== 'relationship') {
    errors.fandoms = 'Only characters and relationships belong to a fandom.';
  }
  if (Object.keys(errors).length > 0) throw new FormError(errors);
  const fandoms = await canonicalNamed(db, 'fandom', input.fandoms, 'fandoms', 'fandom');
  const metatags = await canonicalNamed(db, tag.type, input.metatags, 'metatags', `${tag.type} tag`);
  if (metatags.some((meta) => meta.id === tag.id)) throw new FormError({ metatags: 'A tag cannot be its own metatag.' });
  const above = await wrangling.metaAncestors(
    db,
    metatags.map((meta) => meta.id),
  );
  if (above.has(tag.id)) throw new FormError({ metatags: `That would make a loop: ${tag.name} is already above one of those metatags.` });

  await wrangling.setTagWrangling(db, tag.id, { canonical: canonicalId === null && input.canonical ? 1 : 0, canonical_id: canonicalId });
  if (canonicalId !== null) await wrangling.moveSynonyms(db, tag.id, canonicalId);
  await wrangling.replaceParents(
    db,
    tag.id,
    'fandom',
    fandoms.map((fandom) => fandom.id),
  );
  await wrangling.replaceParents(
    db,
    tag.id,
    'meta',
    metatags.map((meta) => meta.id),
  );
  return { tag, ...(await refile(db, tag.id, now)) };
}

/** Refiles the stories whose filter set holds the tag: now if few, else by the queue. */
async function refile(db: Db, tagId: number, now: number): Promise<{ stories: number; queued: boolean }> {
  const stories = await wrangling.filterSetUses(db, tagId);
  if (stories > REFILE_NOW_LIMIT) {
    await wrangling.queueRefresh(db, tagId, now);
    return { stories, queued: true };
  }
  for (let after = 0; ; ) {
    const ids = await storiesFilteredBy(db, tagId, after, BATCH);
    await refreshFilterSets(db, ids);
    if (ids.length < BATCH) break;
    after = ids.at(-1) ?? after;
  }
  return { stories, queued: false };
}

/**
 * One step of the refiling queue: the next BATCH stories of the oldest queued tag, refiled in one
 * transaction with the queue's place. Returns how many stories it refiled (0 when the queue is empty).
 * `oak serve` runs it every few seconds until the queue is empty.
 */
export async function refileQueued(ctx: Context): Promise<number> {
  return write(ctx, async (trx) => {
    const job = await wrangling.takeQueued(trx);
    if (!job) return 0;
    record(trx, { type: 'tagsWrangled', tagIds: [job.tag_id] });
    const ids = await storiesFilteredBy(trx, job.tag_id, job.after_story_id, BATCH);
    await refreshFilterSets(trx, ids);
    await wrangling.advanceQueued(trx, job.tag_id, ids.length < BATCH ? null : (ids.at(-1) ?? null));
    return Math.max(ids.length, 1);
  });
}

/** Works the refiling queue until it is empty. */
export async function drainRefileQueue(ctx: Context) {
  while ((await refileQueued(ctx)) > 0) {}
}

function requireAdmin(viewer: Viewer | null): Viewer {
  if (!canEditGenres(viewer)) throw forbidden('Only admins change the list of genres.');
  return viewer;
}

/** The genre list the story form offers, and the retired genres, for admins. */
export async function genreList(ctx: Context, viewer: Viewer | null) {
  requireAdmin(viewer);
  return wrangling.genres(ctx.db);
}

export async function addGenre(ctx: Context, viewer: Viewer | null, input: GenreInput) {
  requireAdmin(viewer);
  await write(ctx, async (trx) => {
    record(trx, { type: 'tagsWrangled', tagIds: [] });
    await wrangling.offerGenre(trx, input.name, ctx.clock.now());
    await audit(
      trx,
      { actor_id: viewer?.id ?? null, action: 'add genre', target_kind: 'tag', target_id: null, detail: input.name },
      ctx.clock.now(),
    );
  });
}

export async function offerGenre(ctx: Context, viewer: Viewer | null, tagId: number, offered: boolean) {
  requireAdmin(viewer);
  const changed = await write(ctx, async (trx) => {
    record(trx, { type: 'tagsWrangled', tagIds: [tagId] });
    const done = await wrangling.setGenreOffered(trx, tagId, offered);
    if (done) {
      const action = offered ? 'offer genre' : 'retire genre';
      await audit(trx, { actor_id: viewer?.id ?? null, action, target_kind: 'tag', target_id: tagId, detail: '' }, ctx.clock.now());
    }
    return done;
  });
  if (!changed) throw notFound('Genre');
}
