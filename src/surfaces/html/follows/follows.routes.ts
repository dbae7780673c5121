import type { FastifyInstance } from 'fastify';
import type { Context } from '../../../kernel/context.ts';
import { AppError } from '../../../kernel/errors.ts';
import { ACCESS, declared } from '../../../kernel/web/access.ts';
import { setFlash } from '../../../kernel/web/flash.ts';
import { pageContext, sendPage } from '../../../kernel/web/page.ts';
import { parseId, requireViewer } from '../../../kernel/web/params.ts';
import { authorPath, storyPath } from '../../../kernel/web/paths.ts';
import { writeRate } from '../../../kernel/web/rate-limits.ts';
import { federates } from '../../../modules/federation/federates.ts';
import { blockList, following, setBlocked, setFollowing, setSubscribed, subscription } from '../../../modules/follows/follows.service.ts';
import { FollowingPage, SubscriptionPage } from './follows.pages.tsx';

type UserParams = { Params: { username: string } };
type StoryParams = { Params: { storyId: string } };

/** The form's `action`, one of two words; anything else is a bad request. */
function actionOf(body: unknown, yes: string, no: string): boolean {
  const action = (body as { action?: unknown } | undefined)?.action;
  if (action === yes || action === no) return action === yes;
  throw new AppError(400, `The form must say ${yes} or ${no}.`);
}

export async function followRoutes(app: FastifyInstance, ctx: Context) {
  app.post<UserParams>('/users/:username/follow', declared(ACCESS.account, writeRate), async (request, reply) => {
    const on = actionOf(request.body, 'follow', 'unfollow');
    const author = await setFollowing(ctx, requireViewer(request), request.params.username, on);
    setFlash(reply, on ? `You follow ${author.display_name}.` : `You no longer follow ${author.display_name}.`);
    return reply.redirect(authorPath(author.username), 303);
  });

  app.post<UserParams>('/users/:username/block', declared(ACCESS.account, writeRate), async (request, reply) => {
    const on = actionOf(request.body, 'block', 'unblock');
    const user = await setBlocked(ctx, requireViewer(request), request.params.username, on);
    setFlash(reply, on ? `You blocked ${user.display_name}.` : `You unblocked ${user.display_name}.`);
    return reply.redirect(authorPath(user.username), 303);
  });

  app.get<StoryParams>('/stories/:storyId/subscription', async (request, reply) => {
    const found = await subscription(ctx, requireViewer(request), parseId(request.params.storyId, 'Story'));
    return sendPage(reply, SubscriptionPage({ page: pageContext(request, reply), ...found }));
  });

  app.post<StoryParams>('/stories/:storyId/subscription', declared(ACCESS.account, writeRate), async (request, reply) => {
    const on = actionOf(request.body, 'subscribe', 'unsubscribe');
    const story = await setSubscribed(ctx, requireViewer(request), parseId(request.params.storyId, 'Story'), on);
    setFlash(reply, on ? 'Subscribed: new chapters will appear in your notifications.' : 'Unsubscribed.');
    return reply.redirect(storyPath(story), 303);
  });

  app.get('/following', async (request, reply) => {
    const viewer = requireViewer(request);
    const { authors, stories } = await following(ctx, viewer);
    const blocked = await blockList(ctx, viewer);
    return sendPage(reply, FollowingPage({ page: pageContext(request, reply), authors, stories, blocked, federates: federates(ctx) }));
  });
}
