import type { FastifyInstance } from 'fastify';
import type { Context } from '../../../kernel/context.ts';
import { ACCESS, declared } from '../../../kernel/web/access.ts';
import { setFlash } from '../../../kernel/web/flash.ts';
import { pageContext, sendPage } from '../../../kernel/web/page.ts';
import { parseId, requireViewer } from '../../../kernel/web/params.ts';
import { storyPath } from '../../../kernel/web/paths.ts';
import { writeRate } from '../../../kernel/web/rate-limits.ts';
import { invitations } from '../../../modules/coauthors/coauthors.service.ts';
import {
  forgetHistory,
  parsePosition,
  placeIn,
  readingHistory,
  savePosition,
  setStoryRead,
} from '../../../modules/progress/progress.service.ts';
import { LibraryPage } from './library.pages.tsx';

/** The reading script posts often while a reader scrolls: a roomier limit than forms. */
/** The reading script posts the reader's place as JSON, often, from a cached page that carries no form token. */
const positionRoute = declared({ ...ACCESS.account, csrf: 'same-site', body: 'json' }, { max: 120, timeWindow: '1 minute' });

export async function progressRoutes(app: FastifyInstance, ctx: Context) {
  // The chapter page is shared between readers, so its script carries no form token: same-site only.
  app.post('/progress', positionRoute, async (request, reply) => {
    await savePosition(ctx, requireViewer(request), parsePosition(request.body));
    return reply.status(204).send();
  });

  app.get<{ Params: { storyId: string } }>('/progress/:storyId', async (request, reply) => {
    const place = await placeIn(ctx, requireViewer(request), parseId(request.params.storyId, 'Story'));
    reply.header('cache-control', 'no-store');
    return place ? reply.send({ chapter: place.chapterId, position: place.position }) : reply.status(204).send();
  });

  app.post<{ Params: { storyId: string } }>(
    '/stories/:storyId/read',
    declared({ ...ACCESS.account, csrf: 'same-site' }, writeRate),
    async (request, reply) => {
      const action = (request.body as { action?: unknown } | undefined)?.action;
      const story = await setStoryRead(ctx, requireViewer(request), parseId(request.params.storyId, 'Story'), action !== 'unread');
      setFlash(reply, action === 'unread' ? 'Marked as unread.' : 'Marked as read.');
      return reply.redirect(storyPath(story), 303);
    },
  );

  app.get<{ Querystring: { q?: string } }>('/library', async (request, reply) => {
    const q = typeof request.query.q === 'string' ? request.query.q.trim() : '';
    const viewer = requireViewer(request);
    const rows = await readingHistory(ctx, viewer, q);
    return sendPage(reply, LibraryPage({ page: pageContext(request, reply), rows, q, invitations: await invitations(ctx, viewer) }));
  });

  app.post('/library/forget', declared(ACCESS.account, writeRate), async (request, reply) => {
    await forgetHistory(ctx, requireViewer(request));
    setFlash(reply, 'Your reading history is cleared.');
    return reply.redirect('/library', 303);
  });

  app.post<{ Params: { storyId: string } }>('/library/forget/:storyId', declared(ACCESS.account, writeRate), async (request, reply) => {
    await forgetHistory(ctx, requireViewer(request), parseId(request.params.storyId, 'Story'));
    return reply.redirect('/library', 303);
  });
}
