import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Context } from '../../../kernel/context.ts';
import { ACCESS, declared } from '../../../kernel/web/access.ts';
import { setFlash } from '../../../kernel/web/flash.ts';
import { emptyForm } from '../../../kernel/web/forms.tsx';
import { pageContext, sendPage } from '../../../kernel/web/page.ts';
import { parseId, requireViewer } from '../../../kernel/web/params.ts';
import { writeRate } from '../../../kernel/web/rate-limits.ts';
import { formFailure, formValues, parseInput } from '../../../kernel/web/validation.ts';
import { addToSeries, createSeries, moveInSeries, removeFromSeries, seriesBy, seriesPage } from '../../../modules/series/series.service.ts';
import { NewSeriesPage, SeriesPage } from './series.pages.tsx';

const SeriesSchema = z.object({
  title: z.string().trim().min(1, 'Give the series a title.').max(200, 'Use at most 200 characters.'),
  description: z.string().trim().max(2000, 'Use at most 2,000 characters.').default(''),
});

type PartParams = { Params: { seriesId: string; storyId: string } };

export async function seriesRoutes(app: FastifyInstance, ctx: Context) {
  app.get('/series', async (request, reply) => {
    const mine = await seriesBy(ctx, requireViewer(request));
    return sendPage(reply, NewSeriesPage({ page: pageContext(request, reply), form: emptyForm(), mine }));
  });

  app.post('/series', declared(ACCESS.account, writeRate), async (request, reply) => {
    const viewer = requireViewer(request);
    const values = formValues(request.body);
    try {
      const id = await createSeries(ctx, viewer, parseInput(SeriesSchema, values));
      return reply.redirect(`/series/${id}`, 303);
    } catch (error) {
      const mine = await seriesBy(ctx, viewer);
      return sendPage(reply, NewSeriesPage({ page: pageContext(request, reply), form: formFailure(error, values), mine }), 400);
    }
  });

  app.get<{ Params: { seriesId: string } }>('/series/:seriesId', async (request, reply) => {
    const found = await seriesPage(ctx, request.viewer, parseId(request.params.seriesId, 'Series'));
    return sendPage(reply, SeriesPage({ page: pageContext(request, reply), ...found }));
  });

  app.post<{ Params: { seriesId: string } }>('/series/:seriesId/parts', declared(ACCESS.account, writeRate), async (request, reply) => {
    const seriesId = parseId(request.params.seriesId, 'Series');
    await addToSeries(ctx, requireViewer(request), seriesId, parseId(formValues(request.body).story_id, 'Story'));
    setFlash(reply, 'Added to the series.');
    return reply.redirect(`/series/${seriesId}`, 303);
  });

  const partAction = (verb: string, run: (seriesId: number, storyId: number, viewer: ReturnType<typeof requireViewer>) => Promise<void>) =>
    app.post<PartParams>(`/series/:seriesId/parts/:storyId/${verb}`, declared(ACCESS.account, writeRate), async (request, reply) => {
      const seriesId = parseId(request.params.seriesId, 'Series');
      await run(seriesId, parseId(request.params.storyId, 'Story'), requireViewer(request));
      return reply.redirect(`/series/${seriesId}`, 303);
    });
  partAction('up', (seriesId, storyId, viewer) => moveInSeries(ctx, viewer, seriesId, storyId, -1));
  partAction('down', (seriesId, storyId, viewer) => moveInSeries(ctx, viewer, seriesId, storyId, 1));
  partAction('remove', (seriesId, storyId, viewer) => removeFromSeries(ctx, viewer, seriesId, storyId));
}
