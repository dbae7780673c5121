import type { FastifyInstance } from 'fastify';
import type { Context } from '../../context.ts';
import { storyScope } from '../../db/change-feed.ts';
import { forbidden } from '../../errors.ts';
import { ConfirmPage } from '../../web/confirm-page.tsx';
import { emptyForm } from '../../web/forms.tsx';
import { type MultipartLimits, readMultipartForm } from '../../web/multipart.ts';
import { pageContext, sendCachedPage, sendPage } from '../../web/page.ts';
import { parseId, requireViewer } from '../../web/params.ts';
import { authorPath, storyPath } from '../../web/paths.ts';
import { uploadLimit, writeLimit } from '../../web/rate-limits.ts';
import { formFailure, parseInput } from '../../web/validation.ts';
import { resumeSession, SESSION_COOKIE } from '../accounts/sessions.ts';
import { StoryFormPage, StoryPage, storyFormValues } from './stories.pages.tsx';
import { StoryFormSchema } from './stories.schema.ts';
import * as stories from './stories.service.ts';

type StoryParams = { Params: { storyId: string } };
/** About fifteen fields (the description, at most 50,000 characters, is the largest) and a cover of up to 10 MB. */
const STORY_FORM_LIMITS: MultipartLimits = {
  fields: 20,
  fieldBytes: 256 * 1024,
  fileBytes: 10 * 1024 * 1024,
  totalBytes: 12 * 1024 * 1024,
};
const NEW_STORY_DEFAULTS = { rating: 'everyone', status: 'incomplete', description_format: 'markdown' };

export async function storyRoutes(app: FastifyInstance, ctx: Context) {
  app.get('/stories/new', async (request, reply) => {
    requireViewer(request);
    return sendPage(reply, StoryFormPage({ page: pageContext(request, reply), form: emptyForm(NEW_STORY_DEFAULTS) }));
  });

  app.post('/stories', uploadLimit, async (request, reply) => {
    const viewer = requireViewer(request);
    const form = await readMultipartForm(request, reply, ctx.tmpDir, STORY_FORM_LIMITS);
    try {
      const id = await form.use(({ values, file }) =>
        stories.createStory(ctx, viewer, parseInput(StoryFormSchema, values), file?.path ?? null),
      );
      return reply.redirect(storyPath(id), 303);
    } catch (error) {
      return sendPage(reply, StoryFormPage({ page: pageContext(request, reply), form: formFailure(error, form.values) }), 400);
    }
  });

  app.get<StoryParams>('/stories/:storyId', async (request, reply) => {
    const storyId = parseId(request.params.storyId, 'Story');
    return sendCachedPage(ctx, request, reply, storyScope(storyId), async () => {
      const data = await stories.storyPage(ctx, request.viewer, storyId);
      return { page: StoryPage({ page: pageContext(request, reply), ...data }), owner: data.story.author_id };
    });
  });

  app.get<StoryParams>('/stories/:storyId/edit', async (request, reply) => {
    const viewer = requireViewer(request);
    const storyId = parseId(request.params.storyId, 'Story');
    const { story, canEdit } = await stories.storyPage(ctx, viewer, storyId);
    if (!canEdit) throw forbidden('Only the author can change this story.');
    return sendPage(reply, StoryFormPage({ page: pageContext(request, reply), form: emptyForm(storyFormValues(story)), story }));
  });

  app.post<StoryParams>('/stories/:storyId', uploadLimit, async (request, reply) => {
    const story = await stories.storyToEdit(ctx, requireViewer(request), parseId(request.params.storyId, 'Story'));
    const form = await readMultipartForm(request, reply, ctx.tmpDir, STORY_FORM_LIMITS);
    try {
      await form.use(({ values, file }) => stories.updateStory(ctx, story, parseInput(StoryFormSchema, values), file?.path ?? null));
      return reply.redirect(storyPath(story.id), 303);
    } catch (error) {
      return sendPage(reply, StoryFormPage({ page: pageContext(request, reply), form: formFailure(error, form.values), story }), 400);
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
    const viewer = async () => (await resumeSession(ctx, request.cookies[SESSION_COOKIE]))?.viewer ?? null;
    const cover = match?.[1] ? await stories.coverFor(ctx, match[1], match[2] ? 'thumb' : 'full', viewer) : null;
    if (!cover) return reply.callNotFound();
    // Keys are random and never reused, so a published cover can be cached for good; a draft's stays private.
    if (!cover.published) reply.header('cache-control', 'private, no-cache').header('vary', 'cookie');
    else reply.header('cache-control', 'public, max-age=31536000, immutable');
    return reply.type('image/webp').send(cover.bytes);
  });
}
