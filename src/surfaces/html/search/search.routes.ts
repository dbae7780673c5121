import type { FastifyInstance } from 'fastify';
import type { Context } from '../../../kernel/context.ts';
import { pageAt } from '../../../kernel/db/pagination.ts';
import { AppError } from '../../../kernel/errors.ts';
import { cleanText } from '../../../kernel/text/clean.ts';
import { pageContext, sendCachedPage, sendPage } from '../../../kernel/web/page.ts';
import { parseSearch, type SearchQuery } from '../../../modules/search/query.ts';
import { search } from '../../../modules/search/search.service.ts';
import { type Filters, listFilters } from '../../../modules/stories/filters.ts';
import { sendList } from '../browse/send-list.ts';
import { SearchHelpPage, SearchPage } from './search.pages.tsx';

type SearchQuerystring = { Querystring: Record<string, string | string[] | undefined> };

/** The query's parse, or the sentence saying why it cannot be used. */
function readQuery(q: string): SearchQuery | string {
  try {
    return parseSearch(q);
  } catch (error) {
    if (error instanceof AppError && error.status === 400) return error.message;
    throw error;
  }
}

export async function searchRoutes(app: FastifyInstance, ctx: Context) {
  app.get<SearchQuerystring>('/search', async (request, reply) => {
    const q = typeof request.query.q === 'string' ? cleanText(request.query.q).trim() : '';
    // The reader's default filters apply here too; searches are sorted by best match unless the address asks otherwise.
    const chosen = listFilters(request.query, request.viewer?.defaultFilter);
    const filters: Filters = { ...chosen.filters, sort: typeof request.query.sort === 'string' ? chosen.filters.sort : 'relevance' };
    const showMuted = request.query.muted === 'show';
    const parsed = q ? readQuery(q) : null;
    if (typeof parsed === 'string') {
      return sendPage(
        reply,
        SearchPage({ page: pageContext(request, reply), q, filters, results: null, problem: parsed, showMuted, usingDefault: false }),
        400,
      );
    }
    const render = async () => {
      const results = parsed ? await search(ctx, request.viewer, parsed, filters, pageAt(request.query), showMuted) : null;
      return {
        page: SearchPage({
          page: pageContext(request, reply),
          q,
          filters,
          results,
          problem: null,
          showMuted,
          usingDefault: chosen.usingDefault,
        }),
      };
    };
    return sendList(ctx, request, reply, render);
  });

  app.get('/search/help', (request, reply) =>
    sendCachedPage(ctx, request, reply, 'lists', async () => ({ page: SearchHelpPage({ page: pageContext(request, reply) }) })),
  );
}
