import { randomBytes } from 'node:crypto';
import { strToU8, zipSync } from 'fflate';
import type { Context } from '../../kernel/context.ts';
import { isUniqueViolation } from '../../kernel/db/errors.ts';
import { AppError, badRequest, forbidden, notFound } from '../../kernel/errors.ts';
import { record, write } from '../../kernel/events/events.ts';
import { enqueue } from '../../kernel/jobs/jobs.ts';
import { nameSkeleton } from '../../kernel/text/names.ts';
import { slugify } from '../../kernel/text/slug.ts';
import type { Viewer } from '../../kernel/web/viewer.ts';
import {
  confirmPassword,
  countAdmins,
  findUserById,
  findUserByUsername,
  refuseLookalikes,
  renameUser,
  userIdForOldName,
} from '../accounts/accounts.service.ts';
import { removeCover } from '../stories/cover.ts';
import { storyIdsByAuthor } from '../stories/stories.service.ts';
import { canDeleteOwnAccount } from './account-data.policy.ts';
import * as data from './account-data.repository.ts';

const DAY = 24 * 60 * 60 * 1000;
/** A download is offered this long after it is asked for. */
export const EXPORT_DAYS = 7;
const TAKEN = 'That username is taken.';

/** Where a name that is no longer anyone's username now points, for its old author page. */
export async function renamedTo(ctx: Context, username: string): Promise<string | null> {
  const userId = await userIdForOldName(ctx.db, username);
  return userId === null ? null : ((await findUserById(ctx.db, userId))?.username ?? null);
}

/** A new username; the old one redirects to it and stays reserved for this account. */
export async function changeUsername(ctx: Context, viewer: Viewer, input: { username: string; password: string }) {
  const user = await confirmPassword(ctx, viewer, input.password);
  if (input.username === user.username) return user.username;
  const taken = await findUserByUsername(ctx.db, input.username);
  const reserved = await userIdForOldName(ctx.db, input.username);
  if ((taken && taken.id !== user.id) || (reserved !== null && reserved !== user.id)) throw badRequest(TAKEN, { username: TAKEN });
  await refuseLookalikes(ctx.db, { username: input.username }, user.id);
  try {
    await write(ctx, async (trx) => {
      await renameUser(trx, user, { username: input.username, skeleton: nameSkeleton(input.username) }, ctx.clock.now());
      record(trx, { type: 'authorRenamed', userId: user.id, storyIds: await storyIdsByAuthor(trx, user.id) });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw badRequest(TAKEN, { username: TAKEN });
    throw error;
  }
  return input.username;
}

/**
 * Deletes the account, after its password. Its stories go to orphan_account ('orphan') or are
 * deleted with it ('delete'), as the person chose; everything else it holds goes.
 */
export async function deleteAccount(ctx: Context, viewer: Viewer, input: { password: string; stories: 'orphan' | 'delete' }) {
  await confirmPassword(ctx, viewer, input.password);
  if (!canDeleteOwnAccount(viewer, viewer.role === 'admin' ? await countAdmins(ctx.db, 2) : 0))
    throw forbidden('You are the only admin: make someone else an admin before deleting your account.');
  const now = ctx.clock.now();
  const files = await data.filesOf(ctx.db, viewer.id, input.stories === 'delete');
  await write(ctx, async (trx) => {
    const orphan = await data.orphanAccount(trx, now);
    if (orphan === viewer.id) throw new AppError(400, 'The orphan account cannot be deleted.');
    // Its stories' pages name their author: each changes hands, or goes.
    const storyIds = await storyIdsByAuthor(trx, viewer.id);
    await data.removeAccount(trx, viewer.id, input.stories === 'orphan' ? orphan : null, orphan, now);
    if (input.stories === 'orphan') record(trx, { type: 'storiesOrphaned', fromUserId: viewer.id, storyIds });
    record(trx, { type: 'accountDeleted', userId: viewer.id, storyIds });
  });
  // Once the rows are gone, their files go too (covers of deleted stories, downloads of the account's
  // data): nothing of the account stays on disk or in later backups.
  for (const cover of files.covers) await removeCover(ctx.storage, cover);
  for (const key of files.exports) await ctx.storage.remove(key);
}

/** Asks for a download of everything the account holds; a job builds it. */
export async function requestExport(ctx: Context, viewer: Viewer) {
  const now = ctx.clock.now();
  const waiting = (await data.exportsOf(ctx.db, viewer.id, now)).find((row) => row.ready_at === null);
  if (waiting) return waiting.id;
  return ctx.db.transaction().execute(async (trx) => {
    const id = await data.insertExport(trx, viewer.id, now, now + EXPORT_DAYS * DAY);
    await enqueue(trx, now, 'account.export', { exportId: id });
    return id;
  });
}

export const exportsFor = (ctx: Context, viewer: Viewer) => data.exportsOf(ctx.db, viewer.id, ctx.clock.now());

/** The job behind requestExport: JSON of every table the account has rows in, and each story as Markdown, in one zip. */
export async function buildExport(ctx: Context, { exportId }: { exportId: number }) {
  const row = await data.findExport(ctx.db, exportId);
  if (!row || row.ready_at !== null) return;
  const all = await data.everythingOf(ctx.db, row.user_id);
  if (!all.user) return;
  const json = (value: unknown) => strToU8(`${JSON.stringify(value, null, 2)}\n`);
  const files: Record<string, Uint8Array> = {
    'README.txt': strToU8(
      `Everything the Golden Oak account ${all.user.username} held on ${new Date(ctx.clock.now()).toISOString()}.\nJSON files hold the data; stories/ holds each story as Markdown (chapter text as written, in its own format).\n`,
    ),
    'profile.json': json(all.user),
    'settings.json': json({
      reading_preferences: all.user.reading_preferences,
      default_filter: all.user.default_filter,
      notifications: all.notificationPrefs,
      muted_tags: all.mutedTags.map((m) => m.pattern),
      muted_author_ids: all.mutedAuthors.map((m) => m.author_id),
      saved_searches: all.savedSearches,
    }),
    'comments.json': json(all.comments),
    'shelves.json': json(all.shelves.map((shelf) => ({ ...shelf, stories: all.shelfItems.filter((item) => item.shelf_id === shelf.id) }))),
    'history.json': json({ reading: all.history, read_chapters: all.readMarks }),
    'following.json': json({ authors: all.following, stories: all.subscriptions }),
  };
  for (const story of all.stories) {
    const chapters = all.chapters.filter((chapter) => chapter.story_id === story.id);
    const name = `stories/${story.id}-${slugify(story.title) || 'story'}`;
    files[`${name}.json`] = json({ ...story, chapters });
    files[`${name}.md`] = strToU8(storyMarkdown(story, chapters));
  }
  const zip = zipSync(files, { level: 6 });
  const key = `exports/${row.user_id}-${randomBytes(12).toString('hex')}.zip`;
  await ctx.storage.put(key, Buffer.from(zip));
  await data.markExportReady(ctx.db, exportId, key, zip.length, ctx.clock.now());
}

type StoryRow = data.Everything['stories'][number];
type ChapterRow = data.Everything['chapters'][number];

function storyMarkdown(story: StoryRow, chapters: ChapterRow[]): string {
  const parts = [`# ${story.title}`, '', story.summary, '', story.description_source];
  for (const chapter of chapters) {
    parts.push('', `## ${chapter.title}`, '');
    if (chapter.note_before_source) parts.push(`> ${chapter.note_before_source.replace(/\n/g, '\n> ')}`, '');
    parts.push(chapter.body_source);
    if (chapter.note_after_source) parts.push('', `> ${chapter.note_after_source.replace(/\n/g, '\n> ')}`);
  }
  return `${parts.join('\n').trim()}\n`;
}

/** The zip, for its own account only, while it is offered. */
export async function exportDownload(ctx: Context, viewer: Viewer, exportId: number) {
  const row = await data.findExport(ctx.db, exportId);
  if (!row || row.user_id !== viewer.id || row.expires_at <= ctx.clock.now() || !row.file_key) throw notFound('Download');
  const bytes = await ctx.storage.get(row.file_key);
  if (!bytes) throw notFound('Download');
  return bytes;
}

/** Downloads older than a week go, files and rows. */
export async function sweepExports(ctx: Context) {
  for (const row of await data.expiredExports(ctx.db, ctx.clock.now())) {
    if (row.file_key) await ctx.storage.remove(row.file_key);
    await data.deleteExport(ctx.db, row.id);
  }
}
