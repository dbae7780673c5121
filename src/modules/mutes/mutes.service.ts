import type { Context } from '../../kernel/context.ts';
import { record, write } from '../../kernel/events/events.ts';
import { FormError } from '../../kernel/web/validation.ts';
import type { Viewer } from '../../kernel/web/viewer.ts';
import { updateUser } from '../accounts/accounts.service.ts';
import { filterQuery, parseFilterQuery } from '../stories/filters.ts';
import * as mutes from './mutes.repository.ts';
import { likePattern, type MuteInput } from './mutes.schema.ts';

export async function mutesOf(ctx: Context, viewer: Viewer) {
  return mutes.findMutes(ctx.db, viewer.id);
}

/**
 * Saves a reader's mute list. Every author named must exist; the session lookup says whether the
 * reader mutes anything ('sessions'), which decides whether their lists can come from the shared cache.
 */
export async function saveMutes(ctx: Context, viewer: Viewer, input: MuteInput) {
  const found = await mutes.findUserIds(ctx.db, input.authors);
  const missing = input.authors.filter((name) => !found.some((user) => user.username_key === name));
  if (missing.length > 0) throw new FormError({ authors: `There is no author named ${missing.join(', ')}.` });
  const tags = input.tags.map((pattern) => ({ pattern, like_pattern: likePattern(pattern) }));
  await write(ctx, (trx) => {
    record(trx, { type: 'accountChanged', userId: viewer.id });
    return mutes.replaceMutes(
      trx,
      viewer.id,
      tags,
      found.map((user) => user.id).filter((id) => id !== viewer.id),
    );
  });
}

/** Keeps the filters a reader's lists start with (normalised: only what a list would read), or none. */
export async function saveDefaultFilter(ctx: Context, viewer: Viewer, query: string) {
  const normalised = filterQuery(parseFilterQuery(query));
  await write(ctx, (trx) => {
    record(trx, { type: 'accountChanged', userId: viewer.id });
    return updateUser(trx, viewer.id, { default_filter: normalised });
  });
  return normalised;
}
