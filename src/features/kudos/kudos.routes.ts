import type { FastifyInstance } from 'fastify';
import type { Context } from '../../context.ts';
import { forbidden } from '../../errors.ts';
import { setFlash } from '../../web/flash.ts';
import { parseId } from '../../web/params.ts';
import { writeLimit } from '../../web/rate-limits.ts';
import { leaveKudos } from './kudos.service.ts';

const MESSAGES = {
  thanks: 'Thank you for leaving kudos!',
  again: 'You have already left kudos here. Thank you!',
  own: 'You cannot leave kudos on your own story.',
};

export async function kudosRoutes(app: FastifyInstance, ctx: Context) {
  // The button sits on the story page, which is cached and shared, so it carries no form token: a
  // browser's Sec-Fetch-Site or Origin must say the post came from this site instead.
  app.post<{ Params: { storyId: string } }>(
    '/stories/:storyId/kudos',
    { config: { ...writeLimit.config, anonymous: true, csrf: false } },
    async (request, reply) => {
      if (crossSite(request.headers)) throw forbidden('Kudos can only be left from the story’s own page.');
      const storyId = parseId(request.params.storyId, 'Story');
      const outcome = await leaveKudos(ctx, request.viewer, storyId, request.ip);
      setFlash(reply, MESSAGES[outcome]);
      return reply.redirect(`/stories/${storyId}#kudos`, 303);
    },
  );
}

/** Whether a browser says the post came from another site (an old browser or a script says nothing, and is let through). */
function crossSite(headers: { 'sec-fetch-site'?: string; origin?: string; host?: string }): boolean {
  const site = headers['sec-fetch-site'];
  if (site) return site !== 'same-origin' && site !== 'none';
  if (headers.origin === undefined) return false;
  try {
    return new URL(headers.origin).host !== headers.host;
  } catch {
    return true;
  }
}
