import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Context } from '../../../kernel/context.ts';
import { ACCESS, declared } from '../../../kernel/web/access.ts';
import { ConfirmPage } from '../../../kernel/web/confirm-page.tsx';
import { staleFormReason, staleStatus } from '../../../kernel/web/csrf.ts';
import { setFlash } from '../../../kernel/web/flash.ts';
import { emptyForm, type FormState } from '../../../kernel/web/forms.tsx';
import { pageContext, sendPage } from '../../../kernel/web/page.ts';
import { parseId, requireViewer } from '../../../kernel/web/params.ts';
import { chapterPath, storyPath } from '../../../kernel/web/paths.ts';
import { writeRate } from '../../../kernel/web/rate-limits.ts';
import { formFailure, formValues, parseInput } from '../../../kernel/web/validation.ts';
import { ChapterFormSchema, MoveSchema } from '../../../modules/chapters/chapters.schema.ts';
import * as chapters from '../../../modules/chapters/chapters.service.ts';
import { storyToEdit } from '../../../modules/stories/stories.service.ts';
import { ChapterFormPage, type ChapterPreview, chapterFormValues } from './chapters.pages.tsx';

/**
 * The limit is in characters (1,000,000 of chapter text), so the form's bytes must fit the worst
 * case: three-byte characters, each percent-encoded as nine, plus both notes. The editor keeps its
 * text when the session or token has expired (`keepsText`), so it reads the body before checking them.
 */
const chapterFormOptions = declared({ ...ACCESS.editor, bodyLimit: 10 * 1024 * 1024 }, writeRate);

type StoryParams = { Params: { storyId: string } };
type ChapterParams = { Params: { storyId: string; chapterId: string } };

const published = (position: number, action: string) =>
  action === 'publish' ? `Chapter ${position} published.` : `Chapter ${position} saved as a draft.`;

export async function chapterRoutes(app: FastifyInstance, ctx: Context) {
  /** The chapter named in the path, checked against the viewer: every chapter route starts here. */
  const editableChapter = (request: FastifyRequest<ChapterParams>) =>
    chapters.chapterToEdit(
      ctx,
      requireViewer(request),
      parseId(request.params.storyId, 'Story'),
      parseId(request.params.chapterId, 'Chapter'),
    );

  /**
   * The editor again, filled with what was sent: after an expired session or token (saying so, with
   * nothing of the story shown that the sender may not see), a preview, or a refused save.
   */
  async function showEditor(
    request: FastifyRequest<StoryParams | ChapterParams>,
    reply: FastifyReply,
    form: FormState,
    target: Parameters<typeof ChapterFormPage>[0]['story'] | null,
    chapter: Parameters<typeof ChapterFormPage>[0]['chapter'],
    status: number,
    preview?: ChapterPreview,
  ) {
    // Signed in (only the form's token was stale), the story is checked and named as usual.
    const storyId = parseId(request.params.storyId, 'Story');
    const story =
      target ?? (request.viewer ? await storyToEdit(ctx, request.viewer, storyId) : { id: storyId, slug: '', title: 'Back to the story' });
    return sendPage(reply, ChapterFormPage({ page: pageContext(request, reply), form, story, chapter, preview }), status);
  }

  app.get<StoryParams>('/stories/:storyId/chapters/new', async (request, reply) => {
    const story = await storyToEdit(ctx, requireViewer(request), parseId(request.params.storyId, 'Story'));
    const form = emptyForm({ title: `Chapter ${story.chapter_count + 1}`, format: 'markdown' });
    return sendPage(reply, ChapterFormPage({ page: pageContext(request, reply), form, story }));
  });

  app.post<StoryParams>('/stories/:storyId/chapters', chapterFormOptions, async (request, reply) => {
    const values = formValues(request.body);
    const stale = staleFormReason(request, reply);
    if (stale) return showEditor(request, reply, { values, errors: {}, message: stale }, null, undefined, staleStatus(request));
    const story = await storyToEdit(ctx, requireViewer(request), parseId(request.params.storyId, 'Story'));
    try {
      const input = parseInput(ChapterFormSchema, values);
      if (input.action === 'preview') {
        return await showEditor(request, reply, emptyForm(values), story, undefined, 200, await chapters.previewChapter(ctx, input));
      }
      const { id, position } = await chapters.addChapter(ctx, story, input);
      setFlash(reply, published(position, input.action));
      return reply.redirect(chapterPath(story, { id, title: input.title }), 303);
    } catch (error) {
      return showEditor(request, reply, formFailure(error, values), story, undefined, 400);
    }
  });

  app.get<ChapterParams>('/stories/:storyId/chapters/:chapterId/edit', async (request, reply) => {
    const { story, chapter } = await editableChapter(request);
    const form = emptyForm(chapterFormValues(chapter));
    return sendPage(reply, ChapterFormPage({ page: pageContext(request, reply), form, story, chapter }));
  });

  app.post<ChapterParams>('/stories/:storyId/chapters/:chapterId', chapterFormOptions, async (request, reply) => {
    const values = formValues(request.body);
    const stale = staleFormReason(request, reply);
    if (stale) {
      const chapter = { id: parseId(request.params.chapterId, 'Chapter'), title: values.title ?? '', published_at: null };
      return showEditor(request, reply, { values, errors: {}, message: stale }, null, chapter, staleStatus(request));
    }
    const target = await editableChapter(request);
    const { story, chapter } = target;
    try {
      const input = parseInput(ChapterFormSchema, values);
      if (input.action === 'preview') {
        return await showEditor(request, reply, emptyForm(values), story, chapter, 200, await chapters.previewChapter(ctx, input));
      }
      await chapters.editChapter(ctx, target, input);
      const position = await chapters.positionOf(ctx, target);
      setFlash(
        reply,
        chapter.published_at !== null && input.action === 'publish' ? `Chapter ${position} saved.` : published(position, input.action),
      );
      return reply.redirect(chapterPath(story, chapter), 303);
    } catch (error) {
      return showEditor(request, reply, formFailure(error, values), story, chapter, 400);
    }
  });

  app.post<ChapterParams>('/stories/:storyId/chapters/:chapterId/move', declared(ACCESS.account, writeRate), async (request, reply) => {
    const target = await editableChapter(request);
    const position = await chapters.moveChapter(ctx, target, parseInput(MoveSchema, request.body));
    setFlash(reply, `“${target.chapter.title}” is now chapter ${position}.`);
    return reply.redirect(`${storyPath(target.story)}#manage`, 303);
  });

  app.get<ChapterParams>('/stories/:storyId/chapters/:chapterId/delete', async (request, reply) => {
    const { story, chapter } = await editableChapter(request);
    const page = pageContext(request, reply);
    const action = `${chapterPath(story, chapter)}/delete`;
    const question = `Delete the chapter “${chapter.title}” from “${story.title}”? This cannot be undone.`;
    return sendPage(reply, ConfirmPage({ page, title: 'Delete chapter', question, action, back: storyPath(story) }));
  });

  app.post<ChapterParams>('/stories/:storyId/chapters/:chapterId/delete', declared(ACCESS.account, writeRate), async (request, reply) => {
    const target = await editableChapter(request);
    await chapters.deleteChapter(ctx, target);
    setFlash(reply, `Chapter “${target.chapter.title}” deleted.`);
    return reply.redirect(`${storyPath(target.story)}#manage`, 303);
  });
}
