import type { FastifyInstance } from 'fastify';
import type { Context } from '../../../kernel/context.ts';
import { pageAt } from '../../../kernel/db/pagination.ts';
import { ACCESS, declared } from '../../../kernel/web/access.ts';
import { setFlash } from '../../../kernel/web/flash.ts';
import { emptyForm } from '../../../kernel/web/forms.tsx';
import { pageContext, sendPage } from '../../../kernel/web/page.ts';
import { parseId, requireViewer } from '../../../kernel/web/params.ts';
import { writeRate } from '../../../kernel/web/rate-limits.ts';
import { formFailure, formValues, parseInput } from '../../../kernel/web/validation.ts';
import { ShelfSchema, ShelvingSchema } from '../../../modules/shelves/shelves.schema.ts';
import { createShelf, myShelves, saveShelving, shelfStories, shelving } from '../../../modules/shelves/shelves.service.ts';
import { parseFilters } from '../../../modules/stories/filters.ts';
import { ShelfPage, ShelvesPage, ShelvingPage } from './shelves.pages.tsx';

type StoryParams = { Params: { storyId: string } };

export async function shelfRoutes(app: FastifyInstance, ctx: Context) {
  app.get('/shelves', async (request, reply) => {
    const shelves = await myShelves(ctx, requireViewer(request));
    return sendPage(reply, ShelvesPage({ page: pageContext(request, reply), shelves, form: emptyForm({ visibility: 'private' }) }));
  });

  app.post('/shelves', declared(ACCESS.account, writeRate), async (request, reply) => {
    const viewer = requireViewer(request);
    const values = formValues(request.body);
    try {
      const { path } = await createShelf(ctx, viewer, parseInput(ShelfSchema, values));
      setFlash(reply, 'Shelf made.');
      return reply.redirect(path, 303);
    } catch (error) {
      const form = formFailure(error, values);
      return sendPage(reply, ShelvesPage({ page: pageContext(request, reply), shelves: await myShelves(ctx, viewer), form }), 400);
    }
  });

  app.get<StoryParams>('/stories/:storyId/shelve', async (request, reply) => {
    const found = await shelving(ctx, requireViewer(request), parseId(request.params.storyId, 'Story'));
    const form = emptyForm({ shelves: found.chosen.join('\n'), note: found.note });
    return sendPage(reply, ShelvingPage({ page: pageContext(request, reply), story: found.story, shelves: found.shelves, form }));
  });

  app.post<StoryParams>('/stories/:storyId/shelve', declared(ACCESS.account, writeRate), async (request, reply) => {
    const viewer = requireViewer(request);
    const storyId = parseId(request.params.storyId, 'Story');
    const values = formValues(request.body);
    try {
      const count = await saveShelving(ctx, viewer, storyId, parseInput(ShelvingSchema, values));
      setFlash(reply, count === 0 ? 'Taken off your shelves.' : count === 1 ? 'Shelved.' : `On ${count} of your shelves.`);
      return reply.redirect(`/stories/${storyId}`, 303);
    } catch (error) {
      const form = formFailure(error, values);
      const found = await shelving(ctx, viewer, storyId);
      return sendPage(reply, ShelvingPage({ page: pageContext(request, reply), story: found.story, shelves: found.shelves, form }), 400);
    }
  });

  // A shelf's page is its reader's or a shared link's: rendered each time, never from the shared cache.
  app.get<{ Params: { shelfId: string }; Querystring: Record<string, string | string[] | undefined> }>(
    '/shelves/:shelfId',
    async (request, reply) => {
      const filters = parseFilters(request.query);
      const found = await shelfStories(ctx, request.viewer, request.params.shelfId, filters, pageAt(request.query));
      return sendPage(reply, ShelfPage({ page: pageContext(request, reply), ...found, filters }));
    },
  );
}
