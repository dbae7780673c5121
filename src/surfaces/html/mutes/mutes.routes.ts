import type { FastifyInstance } from 'fastify';
import type { Context } from '../../../kernel/context.ts';
import { ACCESS, declared } from '../../../kernel/web/access.ts';
import { setFlash } from '../../../kernel/web/flash.ts';
import { emptyForm } from '../../../kernel/web/forms.tsx';
import { pageContext, sendPage } from '../../../kernel/web/page.ts';
import { requireViewer } from '../../../kernel/web/params.ts';
import { writeRate } from '../../../kernel/web/rate-limits.ts';
import { formFailure, formValues, parseInput } from '../../../kernel/web/validation.ts';
import { MuteFormSchema } from '../../../modules/mutes/mutes.schema.ts';
import { mutesOf, saveDefaultFilter, saveMutes } from '../../../modules/mutes/mutes.service.ts';
import { MutesPage } from './mutes.pages.tsx';

export async function muteRoutes(app: FastifyInstance, ctx: Context) {
  app.get('/settings/mutes', async (request, reply) => {
    const current = await mutesOf(ctx, requireViewer(request));
    const form = emptyForm({ tags: current.tags.join('\n'), authors: current.authors.join('\n') });
    return sendPage(reply, MutesPage({ page: pageContext(request, reply), form }));
  });

  // "Make these my default filters" and "Clear my default filters", from a list page.
  app.post('/settings/default-filter', declared(ACCESS.account, writeRate), async (request, reply) => {
    const viewer = requireViewer(request);
    const values = formValues(request.body);
    const saved = await saveDefaultFilter(ctx, viewer, values.action === 'clear' ? '' : (values.filters ?? ''));
    setFlash(reply, saved ? 'Your lists now start with these filters.' : 'Your lists start unfiltered again.');
    return reply.redirect(saved ? `/?${saved}` : '/', 303);
  });

  app.post('/settings/mutes', declared(ACCESS.account, writeRate), async (request, reply) => {
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
