import type { FastifyInstance } from 'fastify';
import type { Context } from '../../../kernel/context.ts';
import { encodeCursor, pageAt } from '../../../kernel/db/pagination.ts';
import { notFound } from '../../../kernel/errors.ts';
import { ACCESS, declared } from '../../../kernel/web/access.ts';
import { setFlash } from '../../../kernel/web/flash.ts';
import { emptyForm } from '../../../kernel/web/forms.tsx';
import { pageContext, sendPage } from '../../../kernel/web/page.ts';
import { parseId, requireViewer } from '../../../kernel/web/params.ts';
import { writeRate } from '../../../kernel/web/rate-limits.ts';
import { formFailure, formValues, parseInput } from '../../../kernel/web/validation.ts';
import { findUser } from '../../../modules/accounts/accounts.service.ts';
import { CommentSchema } from '../../../modules/comments/comments.schema.ts';
import {
  addComment,
  chapterComments,
  commentHistory,
  commentInContext,
  commentToEdit,
  commentToReplyTo,
  deleteComment,
  editComment,
  lockComments,
  onFirstPage,
} from '../../../modules/comments/comments.service.ts';
import { CommentFormPage, CommentHistoryPage, CommentsPage, commentsPath } from './comments.pages.tsx';

type ChapterParams = { Params: { storyId: string; chapterId: string }; Querystring: { after?: string; before?: string } };
type CommentParams = { Params: { commentId: string } };

/** A comment's place: its thread's page of the chapter's comments (the first page, or one starting at the thread), at the comment. */
const permalink = (chapter: Parameters<typeof commentsPath>[0], comment: { id: number; thread_id: number }, first: boolean) =>
  `${commentsPath(chapter)}${first ? '' : `?after=${encodeCursor({ sort: comment.thread_id - 1, id: comment.thread_id - 1 })}`}#comment-${comment.id}`;

export async function commentRoutes(app: FastifyInstance, ctx: Context) {
  const ids = (params: { storyId: string; chapterId: string }) =>
    [parseId(params.storyId, 'Story'), parseId(params.chapterId, 'Chapter')] as const;

  // Comments are a page of their own, rendered for each reader (their forms are theirs); the chapter page stays cached.
  app.get<ChapterParams>('/stories/:storyId/chapters/:chapterId/comments', async (request, reply) => {
    const [storyId, chapterId] = ids(request.params);
    const found = await chapterComments(ctx, request.viewer, storyId, chapterId, pageAt(request.query));
    return sendPage(reply, CommentsPage({ page: pageContext(request, reply), ...found, form: emptyForm({ format: 'markdown' }) }));
  });

  app.post<ChapterParams>('/stories/:storyId/chapters/:chapterId/comments', declared(ACCESS.account, writeRate), async (request, reply) => {
    const viewer = requireViewer(request);
    const [storyId, chapterId] = ids(request.params);
    const values = formValues(request.body);
    try {
      const id = await addComment(ctx, viewer, storyId, chapterId, parseInput(CommentSchema, values));
      setFlash(reply, 'Comment posted.');
      return reply.redirect(`/comments/${id}`, 303);
    } catch (error) {
      const form = formFailure(error, values);
      const found = await chapterComments(ctx, viewer, storyId, chapterId, pageAt({}));
      return sendPage(reply, CommentsPage({ page: pageContext(request, reply), ...found, form }), 400);
    }
  });

  app.post<ChapterParams>(
    '/stories/:storyId/chapters/:chapterId/comments/lock',
    declared(ACCESS.account, writeRate),
    async (request, reply) => {
      const [storyId, chapterId] = ids(request.params);
      const locked = (request.body as { locked?: string } | undefined)?.locked === '1';
      const chapter = await lockComments(ctx, requireViewer(request), storyId, chapterId, locked);
      setFlash(reply, locked ? 'The story is closed to new comments.' : 'The story is open to comments again.');
      return reply.redirect(commentsPath(chapter), 303);
    },
  );

  app.get<CommentParams>('/comments/:commentId', async (request, reply) => {
    const { comment, chapter } = await commentInContext(ctx, request.viewer, parseId(request.params.commentId, 'Comment'));
    return reply.redirect(permalink(chapter, comment, await onFirstPage(ctx, comment)), 302);
  });

  app.get<CommentParams>('/comments/:commentId/reply', async (request, reply) => {
    const { comment, chapter } = await commentToReplyTo(ctx, requireViewer(request), parseId(request.params.commentId, 'Comment'));
    return sendPage(
      reply,
      CommentFormPage({ page: pageContext(request, reply), chapter, comment, form: emptyForm({ format: 'markdown' }), mode: 'reply' }),
    );
  });

  app.get<CommentParams>('/comments/:commentId/edit', async (request, reply) => {
    const { comment, chapter } = await commentToEdit(ctx, requireViewer(request), parseId(request.params.commentId, 'Comment'));
    const form = emptyForm({ body: comment.body_source, format: comment.format });
    return sendPage(reply, CommentFormPage({ page: pageContext(request, reply), chapter, comment, form, mode: 'edit' }));
  });

  app.post<CommentParams>('/comments/:commentId', declared(ACCESS.account, writeRate), async (request, reply) => {
    const viewer = requireViewer(request);
    const commentId = parseId(request.params.commentId, 'Comment');
    const values = formValues(request.body);
    try {
      await editComment(ctx, viewer, commentId, parseInput(CommentSchema, values));
      setFlash(reply, 'Comment saved.');
      return reply.redirect(`/comments/${commentId}`, 303);
    } catch (error) {
      const form = formFailure(error, values);
      const { comment, chapter } = await commentInContext(ctx, viewer, commentId);
      return sendPage(reply, CommentFormPage({ page: pageContext(request, reply), chapter, comment, form, mode: 'edit' }), 400);
    }
  });

  app.post<CommentParams>('/comments/:commentId/delete', declared(ACCESS.account, writeRate), async (request, reply) => {
    const comment = await deleteComment(ctx, requireViewer(request), parseId(request.params.commentId, 'Comment'));
    setFlash(reply, 'Comment deleted.');
    return reply.redirect(`/comments/${comment.id}`, 303);
  });

  app.get<{ Params: { username: string }; Querystring: { after?: string; before?: string } }>(
    '/users/:username/comments',
    async (request, reply) => {
      const user = await findUser(ctx, request.params.username);
      if (!user) throw notFound('Author');
      const comments = await commentHistory(ctx, user.id, pageAt(request.query));
      return sendPage(
        reply,
        CommentHistoryPage({ page: pageContext(request, reply), name: user.display_name, username: user.username, comments }),
      );
    },
  );
}
