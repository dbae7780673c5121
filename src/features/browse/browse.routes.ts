import type { FastifyInstance } from 'fastify';
import type { Context } from '../../context.ts';
import { pageAt } from '../../db/pagination.ts';
import { notFound } from '../../errors.ts';
import { pageContext, sendCachedPage } from '../../web/page.ts';
import { countAccounts, findUser } from '../accounts/accounts.service.ts';
import { listStories, storiesByAuthor } from '../stories/stories.service.ts';
import { AuthorPage, HomePage } from './browse.pages.tsx';
import { parseFilters } from './filters.ts';

type PagedQuery = { Querystring: Record<string, string | string[] | undefined> };

export async function browseRoutes(app: FastifyInstance, ctx: Context) {
  app.get<PagedQuery>('/', (request, reply) =>
    sendCachedPage(ctx, request, reply, 'lists', async () => {
      const at = pageAt(request.query);
      const filters = parseFilters(request.query);
      const stories = await listStories(ctx, filters, at);
      // Only an empty archive needs to know whether anyone has signed up yet.
      const hasAccounts = stories.items.length > 0 || (await countAccounts(ctx)) > 0;
      return { page: HomePage({ page: pageContext(request, reply), stories, filters, first: stories.previous === null, hasAccounts }) };
    }),
  );

  app.get<PagedQuery & { Params: { username: string } }>('/users/:username', (request, reply) =>
    sendCachedPage(ctx, request, reply, 'lists', async () => {
      const author = await findUser(ctx, request.params.username);
      if (!author) throw notFound('Author');
      const filters = parseFilters(request.query);
      const stories = await storiesByAuthor(ctx, request.viewer, author.id, filters, pageAt(request.query));
      const own = request.viewer?.id === author.id;
      return { page: AuthorPage({ page: pageContext(request, reply), author, stories, filters, own }) };
    }),
  );
}
