import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Context } from '../../../kernel/context.ts';
import { storyScope } from '../../../kernel/db/change-feed.ts';
import { forbidden } from '../../../kernel/errors.ts';
import { ACCESS, declared } from '../../../kernel/web/access.ts';
import { needsAdultNotice } from '../../../kernel/web/adult-content.ts';
import { ConfirmPage } from '../../../kernel/web/confirm-page.tsx';
import { staleStatus } from '../../../kernel/web/csrf.ts';
import { setFlash } from '../../../kernel/web/flash.ts';
import { emptyForm, type FormState } from '../../../kernel/web/forms.tsx';
import { type MultipartForm, type MultipartLimits, readMultipartForm } from '../../../kernel/web/multipart.ts';
import { canonicalRedirect, pageContext, type RenderedPage, sendCachedPage, sendPage, sendRendered } from '../../../kernel/web/page.ts';
import { parseId, requireViewer } from '../../../kernel/web/params.ts';
import { authorPath, storyPath } from '../../../kernel/web/paths.ts';
import { writeRate } from '../../../kernel/web/rate-limits.ts';
import { formFailure } from '../../../kernel/web/validation.ts';
import { resumeSession, SESSION_COOKIE } from '../../../modules/accounts/sessions.ts';
import { storyCoauthors } from '../../../modules/coauthors/coauthors.service.ts';
import { kudosFor } from '../../../modules/kudos/kudos.service.ts';
import { readingState } from '../../../modules/progress/progress.service.ts';
import { seriesOf } from '../../../modules/series/series.service.ts';
import { storyShelfCount } from '../../../modules/shelves/shelves.service.ts';
import { storyAuthors } from '../../../modules/stories/stories.policy.ts';
import * as stories from '../../../modules/stories/stories.service.ts';
import { AdultNoticePage } from '../reader/adult-notice.tsx';
import { StoryFormPage, type StoryFormStory, StoryPage, storyFormValues } from './stories.pages.tsx';

type StoryParams = { Params: { storyId: string } };
/** About fifteen fields (the description, at most 50,000 characters, is the largest) and a cover of up to 10 MB. */
const STORY_FORM_LIMITS: MultipartLimits = {
  fields: 60,
  fieldBytes: 256 * 1024,
  fileBytes: 10 * 1024 * 1024,
  totalBytes: 12 * 1024 * 1024,
};
/** No rating: the author chooses one ("Not rated" is a choice too). */
const NEW_STORY_DEFAULTS = { status: 'incomplete', description_format: 'markdown', language: 'en' };

export async function storyRoutes(app: FastifyInstance, ctx: Context) {
  /** The story form, with the archive's genres to choose from. */
  const sendForm = async (request: FastifyRequest, reply: FastifyReply, form: FormState, story?: StoryFormStory, status = 200) => {
    const choices = await stories.storyFormChoices(ctx);
    return sendPage(reply, StoryFormPage({ page: pageContext(request, reply), form, choices, story }), status);
  };

  /** The form again after an expired session or token: what was sent (never the file), and why nothing was saved. */
  const showStale = async (request: FastifyRequest, reply: FastifyReply, form: MultipartForm, story: StoryFormStory | undefined) => {
    await form.use(async () => {});
    return sendForm(request, reply, { values: form.values, errors: {}, message: form.stale ?? '' }, story, staleStatus(request));
  };

  app.get('/stories/new', async (request, reply) => {
    requireViewer(request);
    return sendForm(request, reply, emptyForm(NEW_STORY_DEFAULTS));
  });

  app.post('/stories', declared(ACCESS.coverEditor, writeRate), async (request, reply) => {
    const form = await readMultipartForm(request, reply, ctx.tmpDir, STORY_FORM_LIMITS, { keepsText: true });
    if (form.stale) return showStale(request, reply, form, undefined);
    const viewer = requireViewer(request);
    try {
      const created = await form.use(async ({ values, file }) => {
        const { input, cover } = await stories.readStoryForm(ctx, viewer, values, file?.path ?? null);
        return stories.createStory(ctx, viewer, input, cover);
      });
      setFlash(reply, 'Story created. Add its first chapter when you are ready.');
      return reply.redirect(storyPath(created), 303);
    } catch (error) {
      return sendForm(request, reply, formFailure(error, form.values), undefined, 400);
    }
  });

  app.get<StoryParams>('/stories/:storyId', async (request, reply) => {
    const storyId = parseId(request.params.storyId, 'Story');
    // A reader's place and read marks make the page theirs: rendered for them, not shared.
    const reading = await readingState(ctx, request.viewer, storyId);
    const render = async (): Promise<RenderedPage> => {
      const data = await stories.storyPage(ctx, request.viewer, storyId);
      const moved = canonicalRedirect(request, storyPath(data.story));
      if (moved) return moved;
      const { title, rating } = data.story;
      if (needsAdultNotice(request, rating)) return { page: AdultNoticePage({ page: pageContext(request, reply), title, rating }) };
      const kudos = await kudosFor(ctx, storyId);
      const shelved = await storyShelfCount(ctx, storyId);
      const coauthors = await storyCoauthors(ctx, storyId);
      const series = await seriesOf(ctx, storyId);
      return {
        page: StoryPage({ page: pageContext(request, reply), ...data, kudos, shelved, reading, coauthors, series }),
        owners: storyAuthors(data.story),
      };
    };
    return reading ? sendRendered(reply, await render()) : sendCachedPage(ctx, request, reply, storyScope(storyId), render);
  });

  app.get<StoryParams>('/stories/:storyId/edit', async (request, reply) => {
    const viewer = requireViewer(request);
    const storyId = parseId(request.params.storyId, 'Story');
    const { story, canEdit } = await stories.storyPage(ctx, viewer, storyId);
    if (!canEdit) throw forbidden('Only the author can change this story.');
    return sendForm(request, reply, emptyForm(storyFormValues(story)), story);
  });

  app.post<StoryParams>('/stories/:storyId', declared(ACCESS.coverEditor, writeRate), async (request, reply) => {
    const storyId = parseId(request.params.storyId, 'Story');
    // Someone signed in who may not edit the story is refused before the form is read.
    const story = request.viewer ? await stories.storyToEdit(ctx, request.viewer, storyId) : null;
    const form = await readMultipartForm(request, reply, ctx.tmpDir, STORY_FORM_LIMITS, { keepsText: true });
    if (form.stale || !story)
      return showStale(request, reply, form, story ?? { id: storyId, slug: '', title: form.values.title ?? '', cover_key: null });
    const viewer = requireViewer(request);
    try {
      await form.use(async ({ values, file }) => {
        const { input, cover } = await stories.readStoryForm(ctx, viewer, values, file?.path ?? null);
        await stories.updateStory(ctx, story, input, cover);
      });
      setFlash(reply, 'Story details saved.');
      return reply.redirect(storyPath(story), 303);
    } catch (error) {
      return sendForm(request, reply, formFailure(error, form.values), story, 400);
    }
  });

  app.get<StoryParams>('/stories/:storyId/delete', async (request, reply) => {
    const story = await stories.storyToDelete(ctx, requireViewer(request), parseId(request.params.storyId, 'Story'));
    const page = pageContext(request, reply);
    const question = `Delete “${story.title}” and all its chapters? This cannot be undone.`;
    const action = `${storyPath(story)}/delete`;
    return sendPage(reply, ConfirmPage({ page, title: 'Delete story', question, action, back: storyPath(story) }));
  });

  app.post<StoryParams>('/stories/:storyId/delete', declared(ACCESS.account, writeRate), async (request, reply) => {
    const story = await stories.storyToDelete(ctx, requireViewer(request), parseId(request.params.storyId, 'Story'));
    await stories.deleteStory(ctx, story);
    setFlash(reply, `“${story.title}” was deleted.`);
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
