import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Context } from '../../kernel/context.ts';
import { FIRST_PAGE } from '../../kernel/db/pagination.ts';
import { notFound } from '../../kernel/errors.ts';
import { parseId } from '../../kernel/web/params.ts';
import { authorPath, chapterPath, storyPath, tagPath } from '../../kernel/web/paths.ts';
import { findUser } from '../../modules/accounts/accounts.service.ts';
import { savedSearchFeed } from '../../modules/saved-searches/saved-searches.service.ts';
import { parseSearch } from '../../modules/search/query.ts';
import { search } from '../../modules/search/search.service.ts';
import { shelfStories } from '../../modules/shelves/shelves.service.ts';
import { parseFilters } from '../../modules/stories/filters.ts';
import { findTag, listStories, storiesByAuthor, storyPage } from '../../modules/stories/stories.service.ts';
import { feedAddresses } from './addresses.ts';
import { type AtomEntry, atomFeed } from './atom.ts';

type Query = { Querystring: Record<string, string | string[] | undefined> };

/**
 * Atom feeds of the home page (with its filters), every author, every tag and every story (its
 * chapters). They are what anyone without an account sees: no drafts, no mute list.
 */
export async function feedRoutes(app: FastifyInstance, ctx: Context) {
  const { idFor, link, storyEntry } = feedAddresses(app.publicOrigin);

  function send(
    request: FastifyRequest,
    reply: FastifyReply,
    title: string,
    path: string,
    entries: AtomEntry[],
    cache = 'public, max-age=300',
  ) {
    const updated = Math.max(0, ...entries.map((entry) => entry.updated));
    const body = atomFeed({ id: idFor(path), title: `${title} · Golden Oak`, link: link(path), self: link(request.url), updated, entries });
    return reply.type('application/atom+xml; charset=utf-8').header('cache-control', cache).send(body);
  }

  app.get<Query>('/feed.atom', async (request, reply) => {
    const stories = await listStories(ctx, null, parseFilters(request.query), FIRST_PAGE);
    return send(request, reply, 'Recently updated', '/', stories.items.map(storyEntry));
  });

  app.get<Query & { Params: { username: string } }>('/users/:username/feed.atom', async (request, reply) => {
    const author = await findUser(ctx, request.params.username);
    if (!author) throw notFound('Author');
    const stories = await storiesByAuthor(ctx, null, author, parseFilters(request.query), FIRST_PAGE);
    return send(request, reply, author.display_name, authorPath(author.username), stories.items.map(storyEntry));
  });

  app.get<Query & { Params: { tagId: string } }>('/tags/:tagId/feed.atom', async (request, reply) => {
    const tag = await findTag(ctx, parseId(request.params.tagId, 'Tag'));
    if (!tag) throw notFound('Tag');
    const stories = await listStories(ctx, null, { ...parseFilters(request.query), tagId: tag.id }, FIRST_PAGE);
    return send(request, reply, tag.name, tagPath(tag), stories.items.map(storyEntry));
  });

  // A search's newest matches, as anyone sees them.
  app.get<Query>('/search/feed.atom', async (request, reply) => {
    const q = typeof request.query.q === 'string' ? request.query.q.trim() : '';
    const filters = { ...parseFilters(request.query), sort: 'updated' as const };
    const stories = q
      ? (await search(ctx, null, parseSearch(q), filters, FIRST_PAGE)).list
      : await listStories(ctx, null, filters, FIRST_PAGE);
    return send(request, reply, q ? `Search: ${q}` : 'Stories', `/search?q=${encodeURIComponent(q)}`, stories.items.map(storyEntry));
  });

  // A saved search's feed: its owner's mute list applied, reached by the secret in its address.
  app.get<{ Params: { id: string }; Querystring: { token?: string } }>('/searches/:id/feed.atom', async (request, reply) => {
    const found = await savedSearchFeed(ctx, parseId(request.params.id, 'Saved search'), request.query.token);
    return send(request, reply, found.search.name, found.path, found.stories.map(storyEntry), 'private, max-age=300');
  });

  // A shelf's newest additions to its stories: public and unlisted shelves only.
  app.get<Query & { Params: { shelfId: string } }>('/shelves/:shelfId/feed.atom', async (request, reply) => {
    const filters = { ...parseFilters(request.query), sort: 'updated' as const };
    const { shelf, list } = await shelfStories(ctx, null, request.params.shelfId, filters, FIRST_PAGE);
    return send(request, reply, shelf.name, shelf.path, list.items.map(storyEntry));
  });

  app.get<{ Params: { storyId: string } }>('/stories/:storyId/feed.atom', async (request, reply) => {
    const { story, chapters } = await storyPage(ctx, null, parseId(request.params.storyId, 'Story'));
    const published = chapters.filter((chapter) => chapter.published_at !== null).reverse();
    const entries = published.slice(0, 50).map((chapter) => ({
      id: idFor(`/stories/${story.id}/chapters/${chapter.id}`),
      title: `${story.title}: ${chapter.title}`,
      link: link(chapterPath(story, chapter)),
      updated: chapter.updated_at,
      published: chapter.published_at,
      author: story.original_author || story.author_display_name,
      summary: `${chapter.title}, chapter ${chapter.position} of “${story.title}” (${chapter.word_count.toLocaleString('en')} words).`,
    }));
    return send(request, reply, story.title, storyPath(story), entries);
  });
}
