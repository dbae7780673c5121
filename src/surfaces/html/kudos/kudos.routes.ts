import type { FastifyInstance } from 'fastify';
import type { Context } from '../../../kernel/context.ts';
import { ACCESS, declared } from '../../../kernel/web/access.ts';
import { setFlash } from '../../../kernel/web/flash.ts';
import { parseId } from '../../../kernel/web/params.ts';
import { writeRate } from '../../../kernel/web/rate-limits.ts';
import { leaveKudos } from '../../../modules/kudos/kudos.service.ts';

const MESSAGES = {
  thanks: 'Thank you for leaving kudos!',
  again: 'You have already left kudos here. Thank you!',
  own: 'You cannot leave kudos on your own story.',
};

export async function kudosRoutes(app: FastifyInstance, ctx: Context) {
  // The button sits on the story page, which is cached and shared, so it carries no form token.
  app.post<{ Params: { storyId: string } }>(
    '/stories/:storyId/kudos',
    declared({ ...ACCESS.public, csrf: 'same-site' }, writeRate),
    async (request, reply) => {
      const storyId = parseId(request.params.storyId, 'Story');
      const outcome = await leaveKudos(ctx, request.viewer, storyId, request.ip);
      setFlash(reply, MESSAGES[outcome]);
      return reply.redirect(`/stories/${storyId}#kudos`, 303);
    },
  );
}
