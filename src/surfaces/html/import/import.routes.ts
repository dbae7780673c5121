import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Context } from '../../../kernel/context.ts';
import { ACCESS, declared } from '../../../kernel/web/access.ts';
import { setFlash } from '../../../kernel/web/flash.ts';
import { emptyForm } from '../../../kernel/web/forms.tsx';
import { type MultipartLimits, readMultipartForm } from '../../../kernel/web/multipart.ts';
import { pageContext, sendPage } from '../../../kernel/web/page.ts';
import { requireViewer } from '../../../kernel/web/params.ts';
import { storyPath } from '../../../kernel/web/paths.ts';
import { writeRate } from '../../../kernel/web/rate-limits.ts';
import { FormError, formFailure, parseInput } from '../../../kernel/web/validation.ts';
import { importFile } from '../../../modules/import/import.service.ts';
import { StoryFormSchema } from '../../../modules/stories/stories.schema.ts';
import { ImportPage } from './import.pages.tsx';

/** An EPUB of a long story with a cover fits; the unpacked size is checked again as it is read. */
const MAX_IMPORT_BYTES = 16 * 1024 * 1024;

/** A story page or an EPUB, and a few small fields; a story page over its limit is refused by the parser in its own words. */
const IMPORT_LIMITS: MultipartLimits = {
  fields: 6,
  fieldBytes: 4096,
  fileBytes: MAX_IMPORT_BYTES,
  totalBytes: MAX_IMPORT_BYTES + 64 * 1024,
};

const ImportFormSchema = z.object({
  title: z.string().trim().max(200, 'Use at most 200 characters.').optional(),
  original_author: StoryFormSchema.shape.original_author,
  source_url: StoryFormSchema.shape.source_url,
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

  app.post('/import', declared(ACCESS.upload, writeRate), async (request, reply) => {
    const viewer = requireViewer(request);
    const form = await readMultipartForm(request, reply, ctx.tmpDir, IMPORT_LIMITS);
    try {
      const story = await form.use(async ({ values, file }) => {
        const input = parseInput(ImportFormSchema, values);
        if (!file) throw new FormError({ file: 'Choose the story page to import: a .txt file saved from the story’s page.' });
        const bytes = await readFile(file.path);
        return importFile(ctx, viewer.id, bytes, {
          title: input.title,
          filename: file.filename,
          publish: input.publish,
          originalAuthor: input.original_author,
          sourceUrl: input.source_url,
        });
      });
      // The form's own value: the story was published only if it asked to be.
      const published = form.values.publish === 'on';
      setFlash(
        reply,
        published
          ? 'Imported and published. It is “Not rated” until you choose a rating in its details.'
          : 'Imported as a draft. Check the details and the chapter, then publish when it looks right.',
      );
      return reply.redirect(storyPath(story), 303);
    } catch (error) {
      return sendPage(reply, ImportPage({ page: pageContext(request, reply), form: formFailure(error, form.values) }), 400);
    }
  });
}
