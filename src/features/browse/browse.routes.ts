import type { FastifyInstance } from 'fastify';
import type { Context } from '../../context.ts';
import { decodeCursor } from '../../db/pagination.ts';
import { notFound } from '../../errors.ts';
import { pageContext, sendCachedPage } from '../../web/page.ts';
import { findUser } from '../accounts/accounts.service.ts';
import { recentlyUpdated, storiesByAuthor } from '../stories/stories.service.ts';
import { AuthorPage, HomePage } from './browse.pages.tsx';

type PagedQuery = { Querystring: { after?: string } };

export async function browseRoutes(app: FastifyInstance, ctx: Context) {
  app.get<PagedQuery>('/', (request, reply) =>
    sendCachedPage(ctx, request, reply, 'lists', async () => {
      const cursor = decodeCursor(request.query.after);
      const stories = await recentlyUpdated(ctx, cursor);
      return { page: HomePage({ page: pageContext(request, reply), stories, first: cursor === null }) };
    }),
  );

  app.get<PagedQuery & { Params: { username: string } }>('/users/:username', (request, reply) =>
    sendCachedPage(ctx, request, reply, 'lists', async () => {
      const author = await findUser(ctx, request.params.username);
      if (!author) throw notFound('Author');
      const stories = await storiesByAuthor(ctx, request.viewer, author.id, decodeCursor(request.query.after));
      const own = request.viewer?.id === author.id;
      return { page: AuthorPage({ page: pageContext(request, reply), author, stories, own }) };
    }),
  );
}
