import type { FastifyInstance } from 'fastify';
import type { Context } from '../../../kernel/context.ts';
import { ACCESS, declared } from '../../../kernel/web/access.ts';
import { setFlash } from '../../../kernel/web/flash.ts';
import { parseId, requireViewer } from '../../../kernel/web/params.ts';
import { storyPath } from '../../../kernel/web/paths.ts';
import { writeRate } from '../../../kernel/web/rate-limits.ts';
import { formValues } from '../../../kernel/web/validation.ts';
import { answerInvitation, inviteCoauthor, removeCoauthor } from '../../../modules/coauthors/coauthors.service.ts';

type StoryParams = { Params: { storyId: string } };

export async function coauthorRoutes(app: FastifyInstance, ctx: Context) {
  app.post<StoryParams>('/stories/:storyId/coauthors', declared(ACCESS.account, writeRate), async (request, reply) => {
    const { story, user } = await inviteCoauthor(
      ctx,
      requireViewer(request),
      parseId(request.params.storyId, 'Story'),
      formValues(request.body).username ?? '',
    );
    setFlash(reply, `${user.display_name} is invited. They become a co-author when they accept, from their library.`);
    return reply.redirect(storyPath(story), 303);
  });

  for (const [verb, accepting] of [
    ['accept', true],
    ['decline', false],
  ] as const) {
    app.post<StoryParams>(`/stories/:storyId/coauthors/${verb}`, declared(ACCESS.account, writeRate), async (request, reply) => {
      const story = await answerInvitation(ctx, requireViewer(request), parseId(request.params.storyId, 'Story'), accepting);
      setFlash(reply, accepting ? `You are now a co-author of “${story.title}”.` : `You are not a co-author of “${story.title}”.`);
      return reply.redirect(accepting ? storyPath(story) : '/library', 303);
    });
  }

  app.post<{ Params: { storyId: string; username: string } }>(
    '/stories/:storyId/coauthors/:username/remove',
    declared(ACCESS.account, writeRate),
    async (request, reply) => {
      const story = await removeCoauthor(ctx, requireViewer(request), parseId(request.params.storyId, 'Story'), request.params.username);
      setFlash(reply, 'Co-author removed.');
      return reply.redirect(storyPath(story), 303);
    },
  );
}
