import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Context } from '../../kernel/context.ts';
import { pageAt } from '../../kernel/db/pagination.ts';
import { AppError, notFound } from '../../kernel/errors.ts';
import { sendPlainError } from '../../kernel/web/error-replies.ts';
import { pageContext, sendPage } from '../../kernel/web/page.ts';
import { parseId, requireViewer } from '../../kernel/web/params.ts';
import { authorPath, coverPath, tagPath } from '../../kernel/web/paths.ts';
import type { Viewer } from '../../kernel/web/viewer.ts';
import { findUser } from '../../modules/accounts/accounts.service.ts';
import { feedToken, savedSearchesOf, savedSearchFeed } from '../../modules/saved-searches/saved-searches.service.ts';
import { parseSearch } from '../../modules/search/query.ts';
import { search } from '../../modules/search/search.service.ts';
import { myShelves, shelfStories } from '../../modules/shelves/shelves.service.ts';
import { parseFilters } from '../../modules/stories/filters.ts';
import { type ListedStories, listStories, type StoryCard, storiesByAuthor, tagsInUse } from '../../modules/stories/stories.service.ts';
import { feedAddresses } from '../feeds/addresses.ts';
import { type AtomEntry, type AtomLink, atomFeed } from '../feeds/atom.ts';
import { catalogReader, catalogTokenFor } from './opds.auth.ts';
import { CatalogSettingsPage } from './opds.pages.tsx';

const NAVIGATION = 'application/atom+xml;profile=opds-catalog;kind=navigation';
const ACQUISITION = 'application/atom+xml;profile=opds-catalog;kind=acquisition';
type Query = { Querystring: Record<string, string | string[] | undefined> };

/**
 * An OPDS 1.2 catalog: what is new, tags, authors and search for everyone, and a reader's own
 * shelves and saved searches behind HTTP Basic with their catalog token. Every story links its
 * EPUB (the same cached download as the site's) and its cover.
 */
export async function opdsRoutes(app: FastifyInstance, ctx: Context) {
  const origin = app.publicOrigin;
  const { idFor, link, storyEntry: atomEntry } = feedAddresses(origin);
  const start: AtomLink = { rel: 'start', type: NAVIGATION, href: link('/opds'), title: 'Golden Oak' };
  const searchLink: AtomLink = { rel: 'search', type: 'application/opensearchdescription+xml', href: link('/opds/opensearch.xml') };

  const storyEntry = (story: StoryCard): AtomEntry => ({
    ...atomEntry(story),
    categories: story.tags.map((tag) => tag.name),
    links: [
      {
        rel: 'http://opds-spec.org/acquisition/open-access',
        type: 'application/epub+zip',
        href: link(`/stories/${story.id}/download/epub`),
      },
      ...(story.cover_key
        ? [
            { rel: 'http://opds-spec.org/image', type: 'image/webp', href: link(coverPath(story.cover_key, 'full')) },
            { rel: 'http://opds-spec.org/image/thumbnail', type: 'image/webp', href: link(coverPath(story.cover_key, 'thumb')) },
          ]
        : []),
    ],
  });

  function send(
    request: FastifyRequest,
    reply: FastifyReply,
    kind: 'navigation' | 'acquisition',
    title: string,
    path: string,
    entries: AtomEntry[],
    more: AtomLink[] = [],
    personal = false,
  ) {
    const type = kind === 'navigation' ? NAVIGATION : ACQUISITION;
    const updated = Math.max(0, ...entries.map((entry) => entry.updated));
    const body = atomFeed({
      id: idFor(path),
      title: `${title} · Golden Oak`,
      link: link('/'),
      self: link(request.url),
      selfType: type,
      updated,
      entries,
      links: [start, searchLink, ...more],
    });
    return reply
      .type(`${type}; charset=utf-8`)
      .header('cache-control', personal ? 'private, no-store' : 'public, max-age=300')
      .send(body);
  }

  /** An acquisition feed of a list, with a link to the next page while there is one. */
  const sendList = (request: FastifyRequest, reply: FastifyReply, title: string, path: string, list: ListedStories, personal = false) => {
    const base = request.url.replace(/([?&])(after|before)=[^&]*&?/g, '$1').replace(/[?&]$/, '');
    const next: AtomLink[] = list.next
      ? [{ rel: 'next', type: ACQUISITION, href: link(`${base}${base.includes('?') ? '&' : '?'}after=${encodeURIComponent(list.next)}`) }]
      : [];
    return send(request, reply, 'acquisition', title, path, list.items.map(storyEntry), next, personal);
  };

  const navigation = (id: string, title: string, href: string, summary: string, kind = ACQUISITION): AtomEntry => ({
    id: idFor(id),
    title,
    link: link(href.replace('/opds', '') || '/'),
    updated: 0,
    author: 'Golden Oak',
    summary,
    links: [{ rel: 'subsection', type: kind, href: link(href) }],
  });

  // The catalog answers reader apps in their terms: errors as a status and a sentence, never a web
  // page (a 401 asks them to sign in), because it is registered as such, whatever the address.
  await app.register(
    async (opds) => {
      opds.setErrorHandler((error, request, reply) => sendPlainError(error, request, reply));
      opds.setNotFoundHandler((request, reply) => sendPlainError(notFound('Catalog page'), request, reply));
      opds.get('/', (request, reply) =>
        send(request, reply, 'navigation', 'Golden Oak', '/opds', [
          navigation('/opds/latest', 'Recently updated', '/opds/latest', 'Stories with new chapters, newest first.'),
          navigation('/opds/latest?sort=kudos', 'Most kudos', '/opds/latest?sort=kudos', 'The stories readers liked most.'),
          navigation('/opds/tags', 'Tags', '/opds/tags', 'The most used tags of every kind.', NAVIGATION),
          navigation(
            '/opds/mine',
            'Your shelves and saved searches',
            '/opds/mine',
            'Sign in with your username and catalog token.',
            NAVIGATION,
          ),
        ]),
      );

      opds.get('/opensearch.xml', (_request, reply) =>
        reply
          .type('application/opensearchdescription+xml; charset=utf-8')
          .header('cache-control', 'public, max-age=3600')
          .send(`<?xml version="1.0" encoding="UTF-8"?>
  <OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/">
    <ShortName>Golden Oak</ShortName>
    <Description>Search the stories of this Golden Oak archive, their text included.</Description>
    <InputEncoding>UTF-8</InputEncoding>
    <Url type="${ACQUISITION}" template="${link('/opds/search')}?q={searchTerms}"/>
  </OpenSearchDescription>
  `),
      );

      opds.get<Query>('/latest', async (request, reply) => {
        const list = await listStories(ctx, null, parseFilters(request.query), pageAt(request.query));
        return sendList(request, reply, 'Recently updated', '/opds/latest', list);
      });

      opds.get('/tags', async (request, reply) => {
        const groups = await tagsInUse(ctx);
        const entries = [...groups.values()]
          .flat()
          .map((tag) => navigation(`/opds/tags/${tag.id}`, tag.name, `/opds/tags/${tag.id}`, `${tag.uses} stories`));
        return send(request, reply, 'navigation', 'Tags', '/opds/tags', entries);
      });

      opds.get<Query & { Params: { tagId: string } }>('/tags/:tagId', async (request, reply) => {
        const tagId = parseId(request.params.tagId, 'Tag');
        const list = await listStories(ctx, null, { ...parseFilters(request.query), tagId }, pageAt(request.query));
        return sendList(request, reply, 'Tag', tagPath({ id: tagId, name: '' }), list);
      });

      opds.get<Query & { Params: { username: string } }>('/authors/:username', async (request, reply) => {
        const author = await findUser(ctx, request.params.username);
        if (!author) throw notFound('Author');
        const list = await storiesByAuthor(ctx, null, author, parseFilters(request.query), pageAt(request.query));
        return sendList(request, reply, author.display_name, authorPath(author.username), list);
      });

      opds.get<Query>('/search', async (request, reply) => {
        const q = typeof request.query.q === 'string' ? request.query.q : '';
        const { list } = await search(
          ctx,
          null,
          parseSearch(q),
          { ...parseFilters(request.query), sort: 'relevance' },
          pageAt(request.query),
        );
        return sendList(request, reply, `Search: ${q}`, '/opds/search', list);
      });

      // A reader's own: Basic auth with the catalog token; a 401 tells the app to ask for it.
      const reader = async (request: FastifyRequest, reply: FastifyReply): Promise<Viewer> => {
        try {
          return await catalogReader(ctx, request);
        } catch (error) {
          if (error instanceof AppError && error.status === 401)
            reply.header('www-authenticate', 'Basic realm="Golden Oak catalog", charset="UTF-8"');
          throw error;
        }
      };

      opds.get('/mine', async (request, reply) => {
        const viewer = await reader(request, reply);
        const shelves = (await myShelves(ctx, viewer)).map((shelf) =>
          navigation(`/opds/shelves/${shelf.id}`, shelf.name, `/opds/shelves/${shelf.id}`, `${shelf.stories} stories`),
        );
        const searches = (await savedSearchesOf(ctx, viewer)).map((saved) =>
          navigation(`/opds/searches/${saved.id}`, saved.name, `/opds/searches/${saved.id}`, 'A saved search'),
        );
        return send(request, reply, 'navigation', 'Your shelves and saved searches', '/opds/mine', [...shelves, ...searches], [], true);
      });

      opds.get<Query & { Params: { shelfId: string } }>('/shelves/:shelfId', async (request, reply) => {
        const viewer = await reader(request, reply);
        const { shelf, list } = await shelfStories(ctx, viewer, request.params.shelfId, parseFilters(request.query), pageAt(request.query));
        return sendList(request, reply, shelf.name, shelf.path, list, true);
      });

      opds.get<{ Params: { searchId: string } }>('/searches/:searchId', async (request, reply) => {
        const viewer = await reader(request, reply);
        const id = parseId(request.params.searchId, 'Saved search');
        const mine = (await savedSearchesOf(ctx, viewer)).find((saved) => saved.id === id);
        if (!mine) throw notFound('Saved search');
        const found = await savedSearchFeed(ctx, id, feedToken(ctx, mine));
        return send(request, reply, 'acquisition', mine.name, found.path, found.stories.map(storyEntry), [], true);
      });
    },
    { prefix: '/opds' },
  );

  app.get('/settings/catalog', async (request, reply) => {
    const viewer = requireViewer(request);
    const token = await catalogTokenFor(ctx, viewer);
    return sendPage(reply, CatalogSettingsPage({ page: pageContext(request, reply), token, url: `${origin || ''}/opds` }));
  });
}
