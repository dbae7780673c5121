import type { FastifyInstance } from 'fastify';
import type { Context } from '../../context.ts';
import { forbidden } from '../../errors.ts';
import { ConfirmPage } from '../../web/confirm-page.tsx';
import { emptyForm } from '../../web/forms.tsx';
import { pageContext, sendPage } from '../../web/page.ts';
import { parseId, requireViewer } from '../../web/params.ts';
import { authorPath, storyPath } from '../../web/paths.ts';
import { writeLimit } from '../../web/rate-limits.ts';
import { uploadedFile } from '../../web/uploads.ts';
import { formFailure, formValues, parseInput } from '../../web/validation.ts';
import { coverFile } from './cover.ts';
import { StoryFormPage, StoryPage, storyFormValues } from './stories.pages.tsx';
import { StoryFormSchema } from './stories.schema.ts';
import * as stories from './stories.service.ts';

type StoryParams = { Params: { storyId: string } };
const NEW_STORY_DEFAULTS = { rating: 'everyone', status: 'incomplete', description_format: 'markdown' };

export async function storyRoutes(app: FastifyInstance, ctx: Context) {
  app.get('/stories/new', async (request, reply) => {
    requireViewer(request);
    return sendPage(reply, StoryFormPage({ page: pageContext(request, reply), form: emptyForm(NEW_STORY_DEFAULTS) }));
  });

  app.post('/stories', writeLimit, async (request, reply) => {
    const viewer = requireViewer(request);
    const values = formValues(request.body);
    try {
      const input = parseInput(StoryFormSchema, values);
      const cover = await uploadedFile(request.body, 'cover');
      const id = await stories.createStory(ctx, viewer, input, cover?.bytes ?? null);
      return reply.redirect(storyPath(id), 303);
    } catch (error) {
      const form = formFailure(error, values);
      return sendPage(reply, StoryFormPage({ page: pageContext(request, reply), form }), 400);
    }
  });

  app.get<StoryParams>('/stories/:storyId', async (request, reply) => {
    const data = await stories.storyPage(ctx, request.viewer, parseId(request.params.storyId, 'Story'));
    return sendPage(reply, StoryPage({ page: pageContext(request, reply), ...data }));
  });

  app.get<StoryParams>('/stories/:storyId/edit', async (request, reply) => {
    const viewer = requireViewer(request);
    const storyId = parseId(request.params.storyId, 'Story');
    const { story, canEdit } = await stories.storyPage(ctx, viewer, storyId);
    if (!canEdit) throw forbidden('Only the author can change this story.');
    return sendPage(reply, StoryFormPage({ page: pageContext(request, reply), form: emptyForm(storyFormValues(story)), story }));
  });

  app.post<StoryParams>('/stories/:storyId', writeLimit, async (request, reply) => {
    const story = await stories.storyToEdit(ctx, requireViewer(request), parseId(request.params.storyId, 'Story'));
    const values = formValues(request.body);
    try {
      const input = parseInput(StoryFormSchema, values);
      const cover = await uploadedFile(request.body, 'cover');
      await stories.updateStory(ctx, story, input, cover?.bytes ?? null);
      return reply.redirect(storyPath(story.id), 303);
    } catch (error) {
      const form = formFailure(error, values);
      return sendPage(reply, StoryFormPage({ page: pageContext(request, reply), form, story }), 400);
    }
  });

  app.get<StoryParams>('/stories/:storyId/delete', async (request, reply) => {
    const story = await stories.storyToEdit(ctx, requireViewer(request), parseId(request.params.storyId, 'Story'));
    const page = pageContext(request, reply);
    const question = `Delete “${story.title}” and all its chapters? This cannot be undone.`;
    const action = `${storyPath(story.id)}/delete`;
    return sendPage(reply, ConfirmPage({ page, title: 'Delete story', question, action, back: storyPath(story.id) }));
  });

  app.post<StoryParams>('/stories/:storyId/delete', writeLimit, async (request, reply) => {
    const story = await stories.storyToEdit(ctx, requireViewer(request), parseId(request.params.storyId, 'Story'));
    await stories.deleteStory(ctx, story);
    return reply.redirect(authorPath(story.author_username), 303);
  });

  app.get<{ Params: { file: string } }>('/media/covers/:file', async (request, reply) => {
    const match = /^([0-9a-f]{24})(-thumb)?\.webp$/.exec(request.params.file);
    const bytes = match?.[1] ? await ctx.storage.get(coverFile(match[1], match[2] ? 'thumb' : 'full')) : null;
    if (!bytes) return reply.callNotFound();
    // Keys are random and never reused, so a cover can be cached for good.
    return reply.type('image/webp').header('cache-control', 'public, max-age=31536000, immutable').send(bytes);
  });
}
