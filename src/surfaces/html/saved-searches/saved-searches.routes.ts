import type { FastifyInstance } from 'fastify';
import type { Context } from '../../../kernel/context.ts';
import { ACCESS, declared } from '../../../kernel/web/access.ts';
import { setFlash } from '../../../kernel/web/flash.ts';
import { emptyForm } from '../../../kernel/web/forms.tsx';
import { pageContext, sendPage } from '../../../kernel/web/page.ts';
import { parseId, requireViewer } from '../../../kernel/web/params.ts';
import { writeRate } from '../../../kernel/web/rate-limits.ts';
import { formFailure, formValues, parseInput } from '../../../kernel/web/validation.ts';
import { SavedSearchSchema } from '../../../modules/saved-searches/saved-searches.schema.ts';
import { deleteSearch, savedSearchesOf, saveSearch } from '../../../modules/saved-searches/saved-searches.service.ts';
import { SavedSearchesPage, SaveSearchPage } from './saved-searches.pages.tsx';

export async function savedSearchRoutes(app: FastifyInstance, ctx: Context) {
  // "Save this search" links here with the search's own query string.
  app.get('/searches/new', async (request, reply) => {
    requireViewer(request);
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
    const q = new URLSearchParams(query).get('q');
    return sendPage(reply, SaveSearchPage({ page: pageContext(request, reply), form: emptyForm({ query, name: q ?? '' }) }));
  });

  app.post('/searches', declared(ACCESS.account, writeRate), async (request, reply) => {
    const viewer = requireViewer(request);
    const values = formValues(request.body);
    try {
      await saveSearch(ctx, viewer, parseInput(SavedSearchSchema, values));
      setFlash(reply, 'Search saved.');
      return reply.redirect('/settings/searches', 303);
    } catch (error) {
      return sendPage(reply, SaveSearchPage({ page: pageContext(request, reply), form: formFailure(error, values) }), 400);
    }
  });

  app.get('/settings/searches', async (request, reply) => {
    const searches = await savedSearchesOf(ctx, requireViewer(request));
    return sendPage(reply, SavedSearchesPage({ page: pageContext(request, reply), searches }));
  });

  app.post<{ Params: { id: string } }>('/searches/:id/delete', declared(ACCESS.account, writeRate), async (request, reply) => {
    await deleteSearch(ctx, requireViewer(request), parseId(request.params.id, 'Saved search'));
    setFlash(reply, 'Saved search deleted; its feed has ended.');
    return reply.redirect('/settings/searches', 303);
  });
}
