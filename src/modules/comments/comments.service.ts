import type { Context } from '../../kernel/context.ts';
import { type PageAt, toPage } from '../../kernel/db/pagination.ts';
import type { Db } from '../../kernel/db/schema.ts';
import { AppError, forbidden, notFound } from '../../kernel/errors.ts';
import { record, write } from '../../kernel/events/events.ts';
import type { Viewer } from '../../kernel/web/viewer.ts';
import { blockedIds, hasBlocked } from '../follows/follows.service.ts';
import { findChapterWithStory } from '../reader/reader.service.ts';
import { canViewChapter, canViewStory, isModerator } from '../stories/stories.policy.ts';
import { COMMENT_WINDOW_MS, canDeleteComment, canEditComment, canLockComments, commentAllowance } from './comments.policy.ts';
import * as comments from './comments.repository.ts';
import type { CommentInput } from './comments.schema.ts';

export { findComment } from './comments.repository.ts';

/** How many comments a chapter shows (a draft has none). */
export const commentCount = (ctx: Context, chapter: { id: number; published_at: number | null }) =>
  chapter.published_at === null ? Promise.resolve(0) : comments.countComments(ctx.db, chapter.id);

/** Threads per page; a thread's replies come with it. */
const THREADS_PER_PAGE = 20;

/** A chapter readers may comment on: published, in a published story. Drafts have no comments. */
async function commentableChapter(ctx: Context, viewer: Viewer | null, storyId: number, chapterId: number) {
  const chapter = await findChapterWithStory(ctx.db, storyId, chapterId);
  const story = chapter && {
    author_id: chapter.author_id,
    published_at: chapter.story_published_at,
    hidden_at: chapter.story_hidden_at,
    coauthors: chapter.coauthors,
  };
  if (!chapter || !story || !canViewStory(viewer, story) || !canViewChapter(viewer, story, chapter) || chapter.published_at === null) {
    throw notFound('Chapter');
  }
  return { ...chapter, story_id: storyId, locked: chapter.comments_locked === 1, canLock: canLockComments(viewer, chapter) };
}
export type CommentableChapter = Awaited<ReturnType<typeof commentableChapter>>;

/**
 * How a comment shows to this viewer: its text; its text with a notice that a moderator hid it (to
 * its writer and moderators); a placeholder (hidden, or written by an account the viewer blocked).
 */
export type CommentShown = 'text' | 'hidden-notice' | 'hidden' | 'blocked';
export type CommentNode = comments.CommentRow & { replies: CommentNode[]; canEdit: boolean; canDelete: boolean; shown: CommentShown };

function shownTo(viewer: Viewer | null, comment: comments.CommentRow, blocked: Set<number>): CommentShown {
  if (comment.hidden_at !== null) return viewer?.id === comment.author_id || isModerator(viewer) ? 'hidden-notice' : 'hidden';
  return blocked.has(comment.author_id) ? 'blocked' : 'text';
}

/** A page of a chapter's threads, each with its replies nested, and what this viewer may do to each comment. */
export async function chapterComments(ctx: Context, viewer: Viewer | null, storyId: number, chapterId: number, at: PageAt) {
  const chapter = await commentableChapter(ctx, viewer, storyId, chapterId);
  const tops = await comments.threadPage(ctx.db, chapterId, at, THREADS_PER_PAGE);
  const page = toPage(tops, THREADS_PER_PAGE, (row) => ({ sort: row.id, id: row.id }), at);
  const replies = await comments.repliesIn(
    ctx.db,
    chapterId,
    page.items.map((row) => row.id),
  );
  const now = ctx.clock.now();
  const blocked = viewer ? await blockedIds(ctx.db, viewer.id) : new Set<number>();
  const node = (row: comments.CommentRow): CommentNode => ({
    ...row,
    shown: shownTo(viewer, row, blocked),
    replies: [],
    canEdit: canEditComment(viewer, row, now),
    canDelete: canDeleteComment(viewer, row, chapter),
  });
  const byId = new Map<number, CommentNode>();
  const threads = page.items.map((row) => {
    const top = node(row);
    byId.set(top.id, top);
    return top;
  });
  for (const row of replies) {
    const reply = node(row);
    byId.set(reply.id, reply);
    byId.get(row.parent_id ?? 0)?.replies.push(reply);
  }
  return { chapter, threads: { ...page, items: threads }, total: await comments.countComments(ctx.db, chapterId) };
}

async function render(ctx: Context, input: CommentInput) {
  const [rendered] = await ctx.renderer.render([{ source: input.body, format: input.format }]);
  return rendered?.html ?? '';
}

/** Posts a comment or a reply; a locked story, a deleted or foreign parent, or no session are refused. */
export async function addComment(ctx: Context, viewer: Viewer, storyId: number, chapterId: number, input: CommentInput): Promise<number> {
  const chapter = await commentableChapter(ctx, viewer, storyId, chapterId);
  if (chapter.locked) throw forbidden('The author has closed this story to new comments.');
  const parent = input.parent_id === null ? null : await comments.findComment(ctx.db, input.parent_id);
  if (input.parent_id !== null && (!parent || parent.chapter_id !== chapterId)) throw notFound('Comment');
  if (parent?.deleted_at) throw new AppError(400, 'That comment was deleted; reply to the chapter instead.');
  if (parent?.hidden_at) throw new AppError(400, 'A moderator hid that comment; reply to the chapter instead.');
  if (await hasBlocked(ctx.db, chapter.author_id, viewer.id))
    throw forbidden('The author of this story has blocked you from commenting on it.');
  if (parent && (await hasBlocked(ctx.db, parent.author_id, viewer.id)))
    throw forbidden('You cannot reply to this comment: its writer has blocked you.');
  const html = await render(ctx, input);
  return write(ctx, async (trx) => {
    await refuseFlood(trx, viewer.id, ctx.clock.now());
    const id = await comments.insertComment(trx, {
      story_id: storyId,
      chapter_id: chapterId,
      author_id: viewer.id,
      parent_id: parent?.id ?? null,
      thread_id: parent?.thread_id ?? null,
      format: input.format,
      body_source: input.body,
      body_html: html,
      created_at: ctx.clock.now(),
    });
    record(trx, {
      type: 'commentPosted',
      storyId,
      chapterId,
      commentId: id,
      authorId: viewer.id,
      storyAuthorId: chapter.author_id,
      parentAuthorId: parent?.author_id ?? null,
    });
    return id;
  });
}

/**
 * The comment limit belongs to the account and the action, whatever door the comment came through
 * (a form, the API, one process or another): counted from the comments themselves, in the write.
 */
async function refuseFlood(db: Db, userId: number, now: number) {
  const { joinedAt, recent } = await comments.recentCommentsBy(db, userId, now - COMMENT_WINDOW_MS);
  if (recent >= commentAllowance(joinedAt, now)) {
    throw new AppError(429, `You have posted ${recent} comments in the last ten minutes: wait a little before the next.`);
  }
}

/**
 * A comment and its chapter, or 404 when either is gone or out of this viewer's sight: a comment a
 * moderator hid is in sight of its writer and moderators only.
 */
export async function commentInContext(ctx: Context, viewer: Viewer | null, commentId: number) {
  const comment = await comments.findComment(ctx.db, commentId);
  if (!comment) throw notFound('Comment');
  if (comment.hidden_at !== null && viewer?.id !== comment.author_id && !isModerator(viewer)) throw notFound('Comment');
  const chapter = await commentableChapter(ctx, viewer, comment.story_id, comment.chapter_id);
  return { comment, chapter };
}

/** A comment's editor, for its writer within the edit window only: nobody else is shown its source. */
export async function commentToEdit(ctx: Context, viewer: Viewer, commentId: number) {
  const found = await commentInContext(ctx, viewer, commentId);
  if (!canEditComment(viewer, found.comment, ctx.clock.now())) {
    throw forbidden(
      viewer.id === found.comment.author_id
        ? 'Comments can be edited for 15 minutes after posting.'
        : 'Only its writer can edit a comment.',
    );
  }
  return found;
}

/** The reply form: not for a deleted comment, nor one a moderator hid. */
export async function commentToReplyTo(ctx: Context, viewer: Viewer, commentId: number) {
  const found = await commentInContext(ctx, viewer, commentId);
  if (found.comment.deleted_at !== null || found.comment.hidden_at !== null) throw notFound('Comment');
  return found;
}

export async function editComment(ctx: Context, viewer: Viewer, commentId: number, input: CommentInput) {
  const { comment } = await commentToEdit(ctx, viewer, commentId);
  const html = await render(ctx, input);
  await write(ctx, (trx) => {
    record(trx, { type: 'commentsChanged', storyId: comment.story_id });
    return comments.updateComment(trx, commentId, {
      format: input.format,
      body_source: input.body,
      body_html: html,
      edited_at: ctx.clock.now(),
    });
  });
  return comment;
}

export async function deleteComment(ctx: Context, viewer: Viewer, commentId: number) {
  const { comment, chapter } = await commentInContext(ctx, viewer, commentId);
  if (!canDeleteComment(viewer, comment, chapter))
    throw forbidden('Only its writer, the story’s authors or a moderator can delete a comment.');
  await write(ctx, (trx) => {
    record(trx, { type: 'commentsChanged', storyId: comment.story_id });
    return comments.markDeleted(trx, commentId, ctx.clock.now());
  });
  return comment;
}

/** The story's authors or a moderator open or close it to new comments; returns the chapter asked from. */
export async function lockComments(ctx: Context, viewer: Viewer, storyId: number, chapterId: number, locked: boolean) {
  const chapter = await commentableChapter(ctx, viewer, storyId, chapterId);
  if (!chapter.canLock) throw forbidden('Only the story’s authors or a moderator can close it to comments.');
  await write(ctx, (trx) => {
    record(trx, { type: 'commentsChanged', storyId });
    return comments.setCommentsLocked(trx, storyId, locked);
  });
  return chapter;
}

/** A commenter's history: their standing comments, newest first. */
export async function commentHistory(ctx: Context, authorId: number, at: PageAt) {
  const rows = await comments.commentsBy(ctx.db, authorId, at, THREADS_PER_PAGE);
  return toPage(rows, THREADS_PER_PAGE, (row) => ({ sort: row.id, id: row.id }), at);
}

/** Whether a thread is on the first page of its chapter's comments (its permalink then needs no cursor). */
export async function onFirstPage(ctx: Context, comment: { chapter_id: number; thread_id: number }): Promise<boolean> {
  return (await comments.threadsBefore(ctx.db, comment.chapter_id, comment.thread_id, THREADS_PER_PAGE)) < THREADS_PER_PAGE;
}
