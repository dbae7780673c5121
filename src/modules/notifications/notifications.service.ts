import type { Context } from '../../kernel/context.ts';
import { type PageAt, toPage } from '../../kernel/db/pagination.ts';
import type { Db, NotificationKind, NotificationMode } from '../../kernel/db/schema.ts';
import { notFound } from '../../kernel/errors.ts';
import { enqueue } from '../../kernel/jobs/jobs.ts';
import { authorPath, chapterPath, storyPath } from '../../kernel/web/paths.ts';
import * as notifications from './notifications.repository.ts';

export const KINDS: { kind: NotificationKind; label: string }[] = [
  { kind: 'new_chapter', label: 'A new chapter of a story you subscribe to, or by an author you follow' },
  { kind: 'new_story', label: 'A new story by an author you follow' },
  { kind: 'reply', label: 'A reply to your comment' },
  { kind: 'comment', label: 'A comment on your story' },
  { kind: 'kudos', label: 'Kudos on your story' },
  { kind: 'follower', label: 'A new follower' },
];
export const MODES: { mode: NotificationMode; label: string; mail: boolean }[] = [
  { mode: 'off', label: 'Off', mail: false },
  { mode: 'site', label: 'On the site', mail: false },
  { mode: 'email', label: 'On the site and by e-mail', mail: true },
  { mode: 'digest', label: 'On the site and in a daily e-mail', mail: true },
];

/** Context parts a write needs to notify inside its own transaction. */
type Notifier = Pick<Context, 'mailer' | 'clock'>;

/**
 * Notifies in the caller's transaction. When any of it may be due by mail, the mail job (now) and
 * the digest job (next midnight, UTC) are queued in the same transaction, one waiting copy of each.
 */
async function notify(
  ctx: Notifier,
  trx: Db,
  recipients: notifications.Recipients,
  facts: Omit<notifications.NotificationFacts, 'created_at'>,
) {
  const now = ctx.clock.now();
  const added = await notifications.insertNotifications(trx, recipients, { ...facts, created_at: now }, ctx.mailer !== null);
  if (added > 0 && ctx.mailer) {
    await enqueue(trx, now, 'notifications.mail', {}, { uniqueKey: 'notifications.mail' });
    await enqueue(trx, now, 'notifications.digest', {}, { runAt: Math.floor(now / DAY + 1) * DAY, uniqueKey: 'notifications.digest' });
  }
}

const DAY = 24 * 60 * 60 * 1000;
const none = { story_id: null, chapter_id: null, comment_id: null };

/** A new comment tells the writer of the comment it answers, and the story's author (once, if they are the same). */
export async function commentPosted(
  ctx: Notifier,
  trx: Db,
  comment: { id: number; story_id: number; chapter_id: number; author_id: number },
  storyAuthorId: number,
  parentAuthorId: number | null,
) {
  const subject = { actor_id: comment.author_id, story_id: comment.story_id, chapter_id: comment.chapter_id, comment_id: comment.id };
  if (parentAuthorId !== null) await notify(ctx, trx, notifications.oneRecipient(trx, parentAuthorId), { kind: 'reply', ...subject });
  if (parentAuthorId !== storyAuthorId)
    await notify(ctx, trx, notifications.oneRecipient(trx, storyAuthorId), { kind: 'comment', ...subject });
}

/** Kudos tell the story's author; a guest's have no actor. */
export async function kudosGiven(ctx: Notifier, trx: Db, story: { id: number; author_id: number }, giverId: number | null) {
  await notify(ctx, trx, notifications.oneRecipient(trx, story.author_id), {
    kind: 'kudos',
    ...none,
    actor_id: giverId,
    story_id: story.id,
  });
}

export async function followed(ctx: Notifier, trx: Db, followerId: number, authorId: number) {
  await notify(ctx, trx, notifications.oneRecipient(trx, authorId), { kind: 'follower', ...none, actor_id: followerId });
}

/**
 * The job behind a chapterPublished event (notifications.subscriber.ts). The first published chapter
 * makes a new story, for the author's followers; a later one is a new chapter, for the story's
 * subscribers and the author's followers. A chapter taken back to draft before the job ran tells no one.
 */
export async function fanOutChapter(ctx: Context, { chapterId, newStory }: { chapterId: number; newStory: boolean }) {
  const chapter = await ctx.db
    .selectFrom('chapters')
    .innerJoin('stories', 'stories.id', 'chapters.story_id')
    .select([
      'chapters.id',
      'chapters.story_id',
      'chapters.published_at',
      'stories.author_id',
      'stories.published_at as story_published_at',
    ])
    .where('chapters.id', '=', chapterId)
    .executeTakeFirst();
  if (!chapter || chapter.published_at === null || chapter.story_published_at === null) return;
  const facts = { actor_id: chapter.author_id, story_id: chapter.story_id, chapter_id: chapter.id, comment_id: null };
  await ctx.db
    .transaction()
    .execute((trx) =>
      !newStory
        ? notify(ctx, trx, notifications.storyAudience(trx, chapter.story_id, chapter.author_id), { kind: 'new_chapter', ...facts })
        : notify(ctx, trx, notifications.followersOf(trx, chapter.author_id), { kind: 'new_story', ...facts }),
    );
}

export type Described = { text: string; href: string };

/** What a notification says, for the page and for mail alike. */
export function describe(row: notifications.NotificationRow): Described {
  const actor = row.actor_display_name || row.actor_username || 'A guest';
  const story = row.story_id !== null && row.story_slug !== null ? { id: row.story_id, slug: row.story_slug } : null;
  const chapter = story && row.chapter_id !== null ? chapterPath(story, { id: row.chapter_id, title: row.chapter_title ?? '' }) : null;
  const title = `“${row.story_title ?? 'a story'}”`;
  const chapterName = row.chapter_title || `chapter ${row.chapter_position ?? ''}`.trim();
  switch (row.kind) {
    case 'new_chapter':
      return { text: `${actor} posted ${chapterName} of ${title}.`, href: chapter ?? '/' };
    case 'new_story':
      return { text: `${actor} published a new story, ${title}.`, href: story ? storyPath(story) : '/' };
    case 'reply':
      return { text: `${actor} replied to your comment on ${title}.`, href: `/comments/${row.comment_id}` };
    case 'comment':
      return { text: `${actor} commented on ${chapterName} of ${title}.`, href: `/comments/${row.comment_id}` };
    case 'kudos':
      return { text: `${actor} left kudos on ${title}.`, href: story ? `${storyPath(story)}#kudos` : '/' };
    case 'follower':
      return { text: `${actor} now follows you.`, href: row.actor_username ? authorPath(row.actor_username) : '/' };
  }
}

const PER_PAGE = 30;

export async function notificationPage(ctx: Context, userId: number, at: PageAt) {
  const rows = await notifications.notificationPage(ctx.db, userId, at, PER_PAGE);
  const page = toPage(rows, PER_PAGE, (row) => ({ sort: row.id, id: row.id }), at);
  return { ...page, items: page.items.map((row) => ({ ...row, ...describe(row) })) };
}

/** Opening a notification marks it read; returns where it points. */
export async function openNotification(ctx: Context, userId: number, notificationId: number): Promise<string> {
  const row = await notifications.findNotification(ctx.db, userId, notificationId);
  if (!row) throw notFound('Notification');
  await notifications.markRead(ctx.db, userId, ctx.clock.now(), notificationId);
  return describe(row).href;
}

export const markAllRead = (ctx: Context, userId: number) => notifications.markRead(ctx.db, userId, ctx.clock.now());

/** The header's count; more than 99 shows as "99+". */
export const unreadCount = (ctx: Context, userId: number) => notifications.unreadCount(ctx.db, userId, 100);

/** Each kind's mode for this reader, 'site' where they chose nothing. */
export async function preferencesOf(ctx: Context, userId: number): Promise<Record<NotificationKind, NotificationMode>> {
  const saved = new Map((await notifications.preferences(ctx.db, userId)).map((row) => [row.kind, row.mode]));
  return Object.fromEntries(KINDS.map(({ kind }) => [kind, saved.get(kind) ?? 'site'])) as Record<NotificationKind, NotificationMode>;
}

export async function savePreferences(ctx: Context, userId: number, modes: Record<NotificationKind, NotificationMode>) {
  const rows = KINDS.map(({ kind }) => ({ kind, mode: modes[kind] })).filter((row) => row.mode !== 'site');
  await ctx.db.transaction().execute((trx) => notifications.setPreferences(trx, userId, rows));
}
