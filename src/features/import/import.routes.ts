import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Context } from '../../context.ts';
import { badRequest } from '../../errors.ts';
import { emptyForm } from '../../web/forms.tsx';
import { pageContext, sendPage } from '../../web/page.ts';
import { requireViewer } from '../../web/params.ts';
import { storyPath } from '../../web/paths.ts';
import { writeLimit } from '../../web/rate-limits.ts';
import { uploadedFile } from '../../web/uploads.ts';
import { formFailure, formValues, parseInput } from '../../web/validation.ts';
import { ImportPage } from './import.pages.tsx';
import { importStoryPage } from './import.service.ts';

const ImportFormSchema = z.object({
  title: z.string().trim().max(200, 'Use at most 200 characters.').optional(),
  publish: z
    .string()
    .optional()
    .transform((value) => value === 'on'),
});

export async function importRoutes(app: FastifyInstance, ctx: Context) {
  app.get('/import', async (request, reply) => {
    requireViewer(request);
    return sendPage(reply, ImportPage({ page: pageContext(request, reply), form: emptyForm() }));
  });

  app.post('/import', writeLimit, async (request, reply) => {
    const viewer = requireViewer(request);
    const values = formValues(request.body);
    try {
      const input = parseInput(ImportFormSchema, values);
      const file = await uploadedFile(request.body, 'file');
      if (!file) throw badRequest('Choose a story page to import.', { file: 'Choose a .txt file.' });
      const id = await importStoryPage(ctx, viewer.id, file.bytes, { title: input.title, filename: file.filename, publish: input.publish });
      return reply.redirect(storyPath(id), 303);
    } catch (error) {
      const form = formFailure(error, values);
      return sendPage(reply, ImportPage({ page: pageContext(request, reply), form }), 400);
    }
  });
}
