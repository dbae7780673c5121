import type { FastifyInstance } from 'fastify';
import type { Context } from '../../context.ts';
import type { TagType } from '../../db/schema.ts';
import { setFlash } from '../../web/flash.ts';
import { plural } from '../../web/format.ts';
import { localPath, pageContext, sendPage } from '../../web/page.ts';
import { parseId, requireViewer } from '../../web/params.ts';
import { writeLimit } from '../../web/rate-limits.ts';
import { formFailure, formValues, parseInput } from '../../web/validation.ts';
import { WrangleTagPage, WranglingPage, wrangleForm, wranglePath } from './wrangling.pages.tsx';
import { WrangleFormSchema } from './wrangling.schema.ts';
import { tagToWrangle, WRANGLED_TYPES, wrangleTag, wranglingQueue } from './wrangling.service.ts';

type TagParams = { Params: { tagId: string } };

export async function wranglingRoutes(app: FastifyInstance, ctx: Context) {
  app.get<{ Querystring: { type?: string } }>('/wrangling', async (request, reply) => {
    const viewer = requireViewer(request);
    const type: TagType = WRANGLED_TYPES.find((each) => each === request.query.type) ?? 'fandom';
    const queue = await wranglingQueue(ctx, viewer, type);
    return sendPage(reply, WranglingPage({ page: pageContext(request, reply), type, ...queue }));
  });

  app.get<TagParams>('/tags/:tagId/wrangle', async (request, reply) => {
    const relations = await tagToWrangle(ctx, requireViewer(request), parseId(request.params.tagId, 'Tag'));
    return sendPage(reply, WrangleTagPage({ page: pageContext(request, reply), relations, form: wrangleForm(relations) }));
  });

  app.post<TagParams>('/tags/:tagId/wrangle', writeLimit, async (request, reply) => {
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
      const relations = await tagToWrangle(ctx, viewer, tagId);
      return reply.redirect(localPath(values.back, wranglePath(relations.tag)), 303);
    } catch (error) {
      const relations = await tagToWrangle(ctx, viewer, tagId);
      return sendPage(reply, WrangleTagPage({ page: pageContext(request, reply), relations, form: formFailure(error, values) }), 400);
    }
  });
}
