import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Context } from '../../context.ts';
import { ConfirmPage } from '../../web/confirm-page.tsx';
import { emptyForm } from '../../web/forms.tsx';
import { pageContext, sendPage } from '../../web/page.ts';
import { parseId, requireViewer } from '../../web/params.ts';
import { chapterPath, storyPath } from '../../web/paths.ts';
import { writeLimit } from '../../web/rate-limits.ts';
import { formFailure, formValues, parseInput } from '../../web/validation.ts';
import { storyToEdit } from '../stories/stories.service.ts';
import { ChapterFormPage, chapterFormValues } from './chapters.pages.tsx';
import { ChapterFormSchema, MoveSchema } from './chapters.schema.ts';
import * as chapters from './chapters.service.ts';

/**
 * The limit is in characters (1,000,000 of chapter text), so the form's bytes must fit the worst
 * case: three-byte characters, each percent-encoded as nine, plus both notes. The session and CSRF
 * secret are checked before any of it is read (app.ts).
 */
const chapterFormOptions = { ...writeLimit, bodyLimit: 10 * 1024 * 1024 };

type StoryParams = { Params: { storyId: string } };
type ChapterParams = { Params: { storyId: string; chapterId: string } };

export async function chapterRoutes(app: FastifyInstance, ctx: Context) {
  /** The chapter named in the path, checked against the viewer: every chapter route starts here. */
  const editableChapter = (request: FastifyRequest<ChapterParams>) =>
    chapters.chapterToEdit(
      ctx,
      requireViewer(request),
      parseId(request.params.storyId, 'Story'),
      parseId(request.params.chapterId, 'Chapter'),
    );

  app.get<StoryParams>('/stories/:storyId/chapters/new', async (request, reply) => {
    const story = await storyToEdit(ctx, requireViewer(request), parseId(request.params.storyId, 'Story'));
    const form = emptyForm({ title: `Chapter ${story.chapter_count + 1}`, format: 'markdown' });
    return sendPage(reply, ChapterFormPage({ page: pageContext(request, reply), form, story }));
  });

  app.post<StoryParams>('/stories/:storyId/chapters', chapterFormOptions, async (request, reply) => {
    const story = await storyToEdit(ctx, requireViewer(request), parseId(request.params.storyId, 'Story'));
    const values = formValues(request.body);
    try {
      const id = await chapters.addChapter(ctx, story, parseInput(ChapterFormSchema, values));
      return reply.redirect(chapterPath(story.id, id), 303);
    } catch (error) {
      const form = formFailure(error, values);
      return sendPage(reply, ChapterFormPage({ page: pageContext(request, reply), form, story }), 400);
    }
  });

  app.get<ChapterParams>('/stories/:storyId/chapters/:chapterId/edit', async (request, reply) => {
    const { story, chapter } = await editableChapter(request);
    const form = emptyForm(chapterFormValues(chapter));
    return sendPage(reply, ChapterFormPage({ page: pageContext(request, reply), form, story, chapter }));
  });

  app.post<ChapterParams>('/stories/:storyId/chapters/:chapterId', chapterFormOptions, async (request, reply) => {
    const target = await editableChapter(request);
    const { story, chapter } = target;
    const values = formValues(request.body);
    try {
      await chapters.editChapter(ctx, target, parseInput(ChapterFormSchema, values));
      return reply.redirect(chapterPath(story.id, chapter.id), 303);
    } catch (error) {
      const form = formFailure(error, values);
      return sendPage(reply, ChapterFormPage({ page: pageContext(request, reply), form, story, chapter }), 400);
    }
  });

  app.post<ChapterParams>('/stories/:storyId/chapters/:chapterId/move', writeLimit, async (request, reply) => {
    const target = await editableChapter(request);
    const { direction } = parseInput(MoveSchema, request.body);
    await chapters.moveChapter(ctx, target, direction);
    return reply.redirect(`${storyPath(target.story.id)}#manage`, 303);
  });

  app.get<ChapterParams>('/stories/:storyId/chapters/:chapterId/delete', async (request, reply) => {
    const { story, chapter } = await editableChapter(request);
    const page = pageContext(request, reply);
    const action = `${chapterPath(story.id, chapter.id)}/delete`;
    const question = `Delete the chapter “${chapter.title}” from “${story.title}”? This cannot be undone.`;
    return sendPage(reply, ConfirmPage({ page, title: 'Delete chapter', question, action, back: storyPath(story.id) }));
  });

  app.post<ChapterParams>('/stories/:storyId/chapters/:chapterId/delete', writeLimit, async (request, reply) => {
    const target = await editableChapter(request);
    await chapters.deleteChapter(ctx, target);
    return reply.redirect(`${storyPath(target.story.id)}#manage`, 303);
  });
}
