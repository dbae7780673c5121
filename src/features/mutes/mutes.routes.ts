import type { FastifyInstance } from 'fastify';
import type { Context } from '../../context.ts';
import { setFlash } from '../../web/flash.ts';
import { emptyForm } from '../../web/forms.tsx';
import { pageContext, sendPage } from '../../web/page.ts';
import { requireViewer } from '../../web/params.ts';
import { writeLimit } from '../../web/rate-limits.ts';
import { formFailure, formValues, parseInput } from '../../web/validation.ts';
import { MutesPage } from './mutes.pages.tsx';
import { MuteFormSchema } from './mutes.schema.ts';
import { mutesOf, saveDefaultFilter, saveMutes } from './mutes.service.ts';

export async function muteRoutes(app: FastifyInstance, ctx: Context) {
  app.get('/settings/mutes', async (request, reply) => {
    const current = await mutesOf(ctx, requireViewer(request));
    const form = emptyForm({ tags: current.tags.join('\n'), authors: current.authors.join('\n') });
    return sendPage(reply, MutesPage({ page: pageContext(request, reply), form }));
  });

  // "Make these my default filters" and "Clear my default filters", from a list page.
  app.post('/settings/default-filter', writeLimit, async (request, reply) => {
    const viewer = requireViewer(request);
    const values = formValues(request.body);
    const saved = await saveDefaultFilter(ctx, viewer, values.action === 'clear' ? '' : (values.filters ?? ''));
    setFlash(reply, saved ? 'Your lists now start with these filters.' : 'Your lists start unfiltered again.');
    return reply.redirect(saved ? `/?${saved}` : '/', 303);
  });

  app.post('/settings/mutes', writeLimit, async (request, reply) => {
    const viewer = requireViewer(request);
    const values = formValues(request.body);
    try {
      await saveMutes(ctx, viewer, parseInput(MuteFormSchema, values));
      setFlash(reply, 'Your mute list is saved.');
      return reply.redirect('/settings/mutes', 303);
    } catch (error) {
      return sendPage(reply, MutesPage({ page: pageContext(request, reply), form: formFailure(error, values) }), 400);
    }
  });
}
