import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Context } from '../../context.ts';
import { badRequest } from '../../errors.ts';
import { emptyForm } from '../../web/forms.tsx';
import { type MultipartLimits, readMultipartForm } from '../../web/multipart.ts';
import { pageContext, sendPage } from '../../web/page.ts';
import { requireViewer } from '../../web/params.ts';
import { storyPath } from '../../web/paths.ts';
import { uploadLimit } from '../../web/rate-limits.ts';
import { formFailure, parseInput } from '../../web/validation.ts';
import { ImportPage } from './import.pages.tsx';
import { importStoryPage } from './import.service.ts';
import { MAX_STORY_PAGE_BYTES } from './storypage.parser.ts';

/** A story page and two small fields; a byte over the page limit lets the parser say "too large" in its own words. */
const IMPORT_LIMITS: MultipartLimits = {
  fields: 4,
  fieldBytes: 4096,
  fileBytes: MAX_STORY_PAGE_BYTES + 1,
  totalBytes: MAX_STORY_PAGE_BYTES + 64 * 1024,
};

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

  app.post('/import', uploadLimit, async (request, reply) => {
    const viewer = requireViewer(request);
    const form = await readMultipartForm(request, reply, ctx.tmpDir, IMPORT_LIMITS);
    try {
      const id = await form.use(async ({ values, file }) => {
        const input = parseInput(ImportFormSchema, values);
        if (!file) throw badRequest('Choose a story page to import.', { file: 'Choose a .txt file.' });
        const bytes = await readFile(file.path);
        return importStoryPage(ctx, viewer.id, bytes, { title: input.title, filename: file.filename, publish: input.publish });
      });
      return reply.redirect(storyPath(id), 303);
    } catch (error) {
      return sendPage(reply, ImportPage({ page: pageContext(request, reply), form: formFailure(error, form.values) }), 400);
    }
  });
}
