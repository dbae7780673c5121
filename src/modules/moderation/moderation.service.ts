import type { Context } from '../../kernel/context.ts';
import type { ReportKind } from '../../kernel/db/schema.ts';
import { AppError, forbidden, notFound } from '../../kernel/errors.ts';
import { record, write } from '../../kernel/events/events.ts';
import type { Viewer } from '../../kernel/web/viewer.ts';
import { findUserByUsername } from '../accounts/accounts.service.ts';
import { audit } from '../audit/audit.service.ts';
import { findComment } from '../comments/comments.service.ts';
import { canViewStory } from '../stories/stories.policy.ts';
import { findStory } from '../stories/stories.service.ts';
import { canModerate, canSuspend } from './moderation.policy.ts';
import * as moderation from './moderation.repository.ts';

export type { OpenReport } from './moderation.repository.ts';

const SNAPSHOT_CHARS = 20_000;
const DAY = 24 * 60 * 60 * 1000;

export const REPORT_KINDS: ReportKind[] = ['story', 'chapter', 'comment', 'user'];

export function requireModerator(viewer: Viewer | null): Viewer {
  if (!viewer) throw new AppError(401, 'Log in to do that.');
  if (!canModerate(viewer)) throw forbidden('Only moderators and admins may do that.');
  return viewer;
}

type Target = { label: string; path: string; userId: number | null; snapshot: string };

/** What a report points at, as the reporter sees it, or 404 when they cannot see it. */
export async function reportTarget(ctx: Context, viewer: Viewer | null, kind: ReportKind, id: number): Promise<Target> {
  const cut = (text: string) => text.slice(0, SNAPSHOT_CHARS);
  if (kind === 'story' || kind === 'chapter') {
    const chapter =
      kind === 'chapter'
        ? await ctx.db
            .selectFrom('chapters')
            .select(['story_id', 'title', 'body_source', 'published_at'])
            .where('id', '=', id)
            .executeTakeFirst()
        : null;
    const story = await findStory(ctx.db, chapter ? chapter.story_id : id);
    if (!story || !canViewStory(viewer, story) || (chapter && chapter.published_at === null))
      throw notFound(kind === 'story' ? 'Story' : 'Chapter');
    return chapter
      ? {
          label: `chapter “${chapter.title}” of “${story.title}”`,
          path: `/stories/${story.id}/chapters/${id}`,
          userId: story.author_id,
          snapshot: cut(`${chapter.title}\n\n${chapter.body_source}`),
        }
      : {
          label: `the story “${story.title}”`,
          path: `/stories/${story.id}`,
          userId: story.author_id,
          snapshot: cut(`${story.title}\n\n${story.summary}\n\n${story.description_source}`),
        };
  }
  if (kind === 'comment') {
    const comment = await findComment(ctx.db, id);
    if (!comment || comment.deleted_at !== null) throw notFound('Comment');
    return {
      label: `a comment by ${comment.author_display_name}`,
      path: `/comments/${id}`,
      userId: comment.author_id,
      snapshot: cut(comment.body_source),
    };
  }
  const user = await ctx.db.selectFrom('users').select(['id', 'username', 'display_name', 'bio']).where('id', '=', id).executeTakeFirst();
  if (!user) throw notFound('Account');
  return {
    label: `the account ${user.display_name} (@${user.username})`,
    path: `/users/${user.username}`,
    userId: user.id,
    snapshot: cut(`${user.display_name}\n\n${user.bio}`),
  };
}

/** Files a report with a copy of the reported text as it is now, for the moderation queue. */
export async function fileReport(ctx: Context, viewer: Viewer, kind: ReportKind, id: number, reason: string) {
  const target = await reportTarget(ctx, viewer, kind, id);
  if (target.userId === viewer.id) throw new AppError(400, 'That is your own.');
  await moderation.insertReport(ctx.db, {
    reporter_id: viewer.id,
    target_kind: kind,
    target_id: id,
    target_user_id: target.userId,
    snapshot: target.snapshot,
    reason,
    created_at: ctx.clock.now(),
  });
  return target;
}

export const reportQueue = (ctx: Context) => moderation.openReports(ctx.db, 100);

export async function resolveReport(ctx: Context, moderator: Viewer, reportId: number, resolution: string) {
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await moderation.resolveReport(trx, reportId, moderator.id, resolution, ctx.clock.now()))) throw notFound('Open report');
    await audit(
      trx,
      { actor_id: moderator.id, action: 'resolve report', target_kind: 'report', target_id: reportId, detail: resolution },
      ctx.clock.now(),
    );
  });
}

/** Hides a story from everyone but its author and moderators, or restores it. */
export async function setStoryHidden(ctx: Context, moderator: Viewer, storyId: number, hidden: boolean, reason: string) {
  const now = ctx.clock.now();
  await write(ctx, async (trx) => {
    if (!(await moderation.setStoryHidden(trx, storyId, hidden ? now : null, hidden ? reason : ''))) throw notFound('Story');
    record(trx, { type: 'storyChanged', storyId });
    await audit(
      trx,
      { actor_id: moderator.id, action: hidden ? 'hide' : 'restore', target_kind: 'story', target_id: storyId, detail: reason },
      now,
    );
  });
}

export async function setCommentHidden(ctx: Context, moderator: Viewer, commentId: number, hidden: boolean, reason: string) {
  const now = ctx.clock.now();
  const comment = await findComment(ctx.db, commentId);
  if (!comment) throw notFound('Comment');
  await write(ctx, async (trx) => {
    record(trx, { type: 'commentsChanged', storyId: comment.story_id });
    await moderation.setCommentHidden(trx, commentId, hidden ? now : null, hidden ? reason : '');
    await audit(
      trx,
      { actor_id: moderator.id, action: hidden ? 'hide' : 'restore', target_kind: 'comment', target_id: commentId, detail: reason },
      now,
    );
  });
  return comment;
}

/** Suspends an account for some days (it may read, not write), or lifts a suspension. Moderators cannot suspend admins. */
export async function setSuspension(ctx: Context, moderator: Viewer, username: string, days: number, reason: string) {
  const user = await findUserByUsername(ctx.db, username);
  if (!user) throw notFound('Account');
  if (user.id === moderator.id) throw new AppError(400, 'You cannot suspend yourself.');
  if (!canSuspend(moderator, user)) throw forbidden('Only an admin may suspend a moderator, and nobody an admin.');
  const now = ctx.clock.now();
  const until = days > 0 ? now + days * DAY : null;
  await write(ctx, async (trx) => {
    record(trx, { type: 'accountChanged', userId: user.id });
    await moderation.setSuspension(trx, user.id, until, days > 0 ? reason : '');
    await audit(
      trx,
      {
        actor_id: moderator.id,
        action: days > 0 ? 'suspend' : 'unsuspend',
        target_kind: 'user',
        target_id: user.id,
        detail: days > 0 ? `${days} days: ${reason}` : reason,
      },
      now,
    );
  });
  return user;
}
