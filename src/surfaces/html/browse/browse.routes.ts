import type { FastifyInstance } from 'fastify';
import type { Context } from '../../../kernel/context.ts';
import { pageAt } from '../../../kernel/db/pagination.ts';
import { notFound } from '../../../kernel/errors.ts';
import { canonicalRedirect, pageContext, sendCachedPage } from '../../../kernel/web/page.ts';
import { parseId } from '../../../kernel/web/params.ts';
import { authorPath, tagPath } from '../../../kernel/web/paths.ts';
import { renamedTo } from '../../../modules/account-data/account-data.service.ts';
import { countAccounts, findUser } from '../../../modules/accounts/accounts.service.ts';
import { federates } from '../../../modules/federation/federates.ts';
import { followState } from '../../../modules/follows/follows.service.ts';
import { readingHistory } from '../../../modules/progress/progress.service.ts';
import { profileShelves } from '../../../modules/shelves/shelves.service.ts';
import { listFilters, parseFilters } from '../../../modules/stories/filters.ts';
import { listStories, storiesByAuthor, suggestTags, tagsInUse } from '../../../modules/stories/stories.service.ts';
import { tagRelations } from '../../../modules/wrangling/wrangling.service.ts';
import { AuthorPage, HomePage, TagPage, TagsPage } from './browse.pages.tsx';
import { sendList } from './send-list.ts';

type PagedQuery = { Querystring: Record<string, string | string[] | undefined> };

export async function browseRoutes(app: FastifyInstance, ctx: Context) {
  app.get<PagedQuery>('/', async (request, reply) => {
    // A signed-in reader in the middle of stories sees where they are at the top of the first page.
    const first = !request.query.after && !request.query.before;
    const continuing = request.viewer && first ? await readingHistory(ctx, request.viewer, '', 3) : [];
    return sendList(
      ctx,
      request,
      reply,
      async () => {
        const at = pageAt(request.query);
        // A reader's default filter applies to a list whose address names no filters; `?all=1` shows everything.
        const { filters, usingDefault } = listFilters(request.query, request.viewer?.defaultFilter);
        const showMuted = request.query.muted === 'show';
        const stories = await listStories(ctx, request.viewer, filters, at, { showMuted });
        // Only an empty archive needs to know whether anyone has signed up yet.
        const hasAccounts = stories.items.length > 0 || (await countAccounts(ctx)) > 0;
        const page = pageContext(request, reply);
        return {
          page: HomePage({ page, stories, filters, showMuted, usingDefault, first: stories.previous === null, hasAccounts, continuing }),
        };
      },
      continuing.length > 0,
    );
  });

  app.get<PagedQuery & { Params: { username: string } }>('/users/:username', (request, reply) =>
    sendList(ctx, request, reply, async () => {
      const author = await findUser(ctx, request.params.username);
      if (!author) {
        // A renamed account's old address moves to its new one.
        const renamed = await renamedTo(ctx, request.params.username);
        if (renamed) return { redirect: request.url.replace(/^\/users\/[^/?]+/, authorPath(renamed)) };
        throw notFound('Author');
      }
      const own = request.viewer?.id === author.id;
      // Authors see all their own stories; readers' default filters apply to everyone else's.
      const { filters, usingDefault } = own
        ? { filters: parseFilters(request.query), usingDefault: false }
        : listFilters(request.query, request.viewer?.defaultFilter);
      const showMuted = request.query.muted === 'show';
      const stories = await storiesByAuthor(ctx, request.viewer, author, filters, pageAt(request.query), showMuted);
      const shelves = await profileShelves(ctx, author.id);
      const follow = await followState(ctx, request.viewer, author.id);
      return {
        page: AuthorPage({
          page: pageContext(request, reply),
          author,
          stories,
          filters,
          own,
          usingDefault,
          showMuted,
          shelves,
          follow,
          federates: federates(ctx),
        }),
      };
    }),
  );

  // Suggestions for the story form's tag fields (static/tag-suggest.js): names of one typed type by prefix.
  app.get<{ Querystring: { type?: string; q?: string } }>('/tags/suggest', async (request, reply) => {
    const names = await suggestTags(ctx, request.query.type, request.query.q);
    return reply.header('cache-control', 'public, max-age=60').send({ names });
  });

  app.get('/tags', (request, reply) =>
    sendCachedPage(ctx, request, reply, 'lists', async () => ({
      page: TagsPage({ page: pageContext(request, reply), tags: await tagsInUse(ctx) }),
    })),
  );

  app.get<PagedQuery & { Params: { tagId: string } }>('/tags/:tagId', (request, reply) =>
    sendList(ctx, request, reply, async () => {
      const relations = await tagRelations(ctx, parseId(request.params.tagId, 'Tag'));
      // A synonym's page is its canonical tag's: the same stories, one address.
      const tag = relations.canonicalTag ?? relations.tag;
      const moved = canonicalRedirect(request, tagPath(tag));
      if (moved) return moved;
      const chosen = listFilters(request.query, request.viewer?.defaultFilter);
      const filters = { ...chosen.filters, tagId: tag.id };
      const stories = await listStories(ctx, request.viewer, filters, pageAt(request.query));
      return { page: TagPage({ page: pageContext(request, reply), relations, stories, filters, usingDefault: chosen.usingDefault }) };
    }),
  );
}
