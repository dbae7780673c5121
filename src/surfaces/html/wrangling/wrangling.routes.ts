import type { FastifyInstance } from 'fastify';
import type { Context } from '../../../kernel/context.ts';
import type { TagType } from '../../../kernel/db/schema.ts';
import { ACCESS, declared } from '../../../kernel/web/access.ts';
import { setFlash } from '../../../kernel/web/flash.ts';
import { plural } from '../../../kernel/web/format.ts';
import { emptyForm } from '../../../kernel/web/forms.tsx';
import { localPath, pageContext, sendPage } from '../../../kernel/web/page.ts';
import { parseId, requireViewer } from '../../../kernel/web/params.ts';
import { writeRate } from '../../../kernel/web/rate-limits.ts';
import { formFailure, formValues, parseInput } from '../../../kernel/web/validation.ts';
import { GenreSchema, WrangleFormSchema } from '../../../modules/wrangling/wrangling.schema.ts';
import {
  addGenre,
  genreList,
  offerGenre,
  tagToWrangle,
  WRANGLED_TYPES,
  wrangleTag,
  wranglingQueue,
} from '../../../modules/wrangling/wrangling.service.ts';
import { GenresPage, WrangleTagPage, WranglingPage, wrangleForm, wranglePath } from './wrangling.pages.tsx';

type TagParams = { Params: { tagId: string } };

export async function wranglingRoutes(app: FastifyInstance, ctx: Context) {
  app.get<{ Querystring: { type?: string } }>('/wrangling', async (request, reply) => {
    const viewer = requireViewer(request);
    const type: TagType = WRANGLED_TYPES.find((each) => each === request.query.type) ?? 'fandom';
    const queue = await wranglingQueue(ctx, viewer, type);
    return sendPage(reply, WranglingPage({ page: pageContext(request, reply), type, ...queue }));
  });

  app.get('/wrangling/genres', async (request, reply) => {
    const genres = await genreList(ctx, requireViewer(request));
    return sendPage(reply, GenresPage({ page: pageContext(request, reply), genres, form: emptyForm() }));
  });

  app.post('/wrangling/genres', declared(ACCESS.account, writeRate), async (request, reply) => {
    const viewer = requireViewer(request);
    const values = formValues(request.body);
    try {
      await addGenre(ctx, viewer, parseInput(GenreSchema, values));
      setFlash(reply, `${values.name?.trim()} is now offered as a genre.`);
      return reply.redirect('/wrangling/genres', 303);
    } catch (error) {
      const form = formFailure(error, values);
      return sendPage(reply, GenresPage({ page: pageContext(request, reply), genres: await genreList(ctx, viewer), form }), 400);
    }
  });

  app.post<{ Params: { id: string }; Body: { offer?: string } }>(
    '/wrangling/genres/:id',
    declared(ACCESS.account, writeRate),
    async (request, reply) => {
      const offer = request.body?.offer === '1';
      await offerGenre(ctx, requireViewer(request), parseId(request.params.id, 'Genre'), offer);
      setFlash(reply, offer ? 'The genre is offered again.' : 'The genre is retired; stories keep it.');
      return reply.redirect('/wrangling/genres', 303);
    },
  );

  app.get<TagParams>('/tags/:tagId/wrangle', async (request, reply) => {
    const relations = await tagToWrangle(ctx, requireViewer(request), parseId(request.params.tagId, 'Tag'));
    return sendPage(reply, WrangleTagPage({ page: pageContext(request, reply), relations, form: wrangleForm(relations) }));
  });

  app.post<TagParams>('/tags/:tagId/wrangle', declared(ACCESS.account, writeRate), async (request, reply) => {
    const viewer = requireViewer(request);
    const tagId = parseId(request.params.tagId, 'Tag');
    const values = formValues(request.body);
    try {
      const result = await wrangleTag(ctx, viewer, tagId, parseInput(WrangleFormSchema, values));
      setFlash(
        reply,
        result.queued
          ? `Saved. ${plural(result.stories, 'story', 'stories')} are being refiled in the background; lists catch up in a minute or so.`
          : `Saved. ${plural(result.stories, 'story', 'stories')} refiled.`,
      );
      return reply.redirect(localPath(values.back, wranglePath(result.tag)), 303);
    } catch (error) {
      const relations = await tagToWrangle(ctx, viewer, tagId);
      return sendPage(reply, WrangleTagPage({ page: pageContext(request, reply), relations, form: formFailure(error, values) }), 400);
    }
  });
}
