import { createHash } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Context } from '../../kernel/context.ts';
import { pageAt } from '../../kernel/db/pagination.ts';
import type { ApiScope } from '../../kernel/db/schema.ts';
import { AppError, forbidden, notFound } from '../../kernel/errors.ts';
import { cleanStrings } from '../../kernel/text/clean.ts';
import { declared } from '../../kernel/web/access.ts';
import { parseId } from '../../kernel/web/params.ts';
import { authorPath, chapterPath, storyPath } from '../../kernel/web/paths.ts';
import { parseInput } from '../../kernel/web/validation.ts';
import { findUser } from '../../modules/accounts/accounts.service.ts';
import { type TokenHolder, tokenHolder } from '../../modules/api-tokens/api-tokens.ts';
import { ChapterFormSchema } from '../../modules/chapters/chapters.schema.ts';
import { addChapter } from '../../modules/chapters/chapters.service.ts';
import { CommentSchema } from '../../modules/comments/comments.schema.ts';
import { addComment } from '../../modules/comments/comments.service.ts';
import { readChapter } from '../../modules/reader/reader.service.ts';
import { parseSearch } from '../../modules/search/query.ts';
import { search } from '../../modules/search/search.service.ts';
import { ShelfSchema } from '../../modules/shelves/shelves.schema.ts';
import { createShelf, myShelves, profileShelves, saveShelving, shelfStories } from '../../modules/shelves/shelves.service.ts';
import { parseFilters } from '../../modules/stories/filters.ts';
import { StoryFormSchema } from '../../modules/stories/stories.schema.ts';
import { createStory, listStories, type StoryCard, storyPage, storyToEdit, tagsInUse } from '../../modules/stories/stories.service.ts';
import { tagRelations } from '../../modules/wrangling/wrangling.service.ts';
import { ApiReferencePage } from './api.pages.tsx';
import { ChapterIn, CommentIn, ShelfIn, ShelvingIn, StoryIn, type StorySummaryOut } from './api.schemas.ts';
import { ENDPOINTS, openApiDocument } from './openapi.ts';

declare module 'fastify' {
  interface FastifyRequest {
    apiHolder: TokenHolder | null;
  }
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
type Query = { Querystring: Record<string, string | string[] | undefined> };

const summary = (story: StoryCard): z.infer<typeof StorySummaryOut> => ({
  id: story.id,
  title: story.title,
  url: storyPath(story),
  author: { username: story.author_username, display_name: story.author_display_name },
  original_author: story.original_author,
  summary: story.summary,
  rating: story.rating,
  status: story.status,
  words: story.word_count,
  chapters: story.chapter_count,
  kudos: story.kudos_count,
  views: story.view_count,
  tags: story.tags.map((tag) => ({ type: tag.type, name: tag.name })),
  updated_at: iso(story.updated_at) as string,
  published_at: iso(story.published_at),
});

/** The body of an API write, checked against its schema; a wrong shape is a 400 naming the field. */
function body<S extends z.ZodType>(schema: S, request: FastifyRequest): z.infer<S> {
  const parsed = schema.safeParse(request.body ?? {});
  if (parsed.success) return cleanStrings(parsed.data);
  const errors = Object.fromEntries(parsed.error.issues.map((issue) => [issue.path.join('.') || 'body', issue.message]));
  throw new AppError(400, 'The request body does not have the expected shape.', errors);
}

/**
 * The public API, /api/v1: JSON in and out, errors as application/problem+json (RFC 9457), reads
 * open to anyone (CORS for any origin, ETags with conditional requests), writes for the owner of a
 * personal access token with the write scope. Cookies are not looked at: a browser session is not
 * an API credential, so no cross-site request can write through it.
 */
export async function apiRoutes(app: FastifyInstance, ctx: Context) {
  app.decorateRequest('apiHolder', null);
  await app.register(
    async (api) => {
      // Every API route: a bearer token (checked by the hook below, not a session), no CSRF (no
      // cookie is looked at), JSON bodies, and a rate limit per token.
      const tokenRate = { max: 300, timeWindow: '1 minute', keyGenerator: (r: FastifyRequest) => r.headers.authorization ?? r.ip };
      const { config } = declared({ caller: 'token', csrf: 'none', body: 'json' }, tokenRate);

      api.addHook('onRequest', async (request, reply) => {
        const header = request.headers.authorization;
        // A write without a token is refused before its body is read (so the connection closes after).
        if (!header && request.method !== 'GET' && request.method !== 'HEAD' && request.method !== 'OPTIONS') {
          reply.header('connection', 'close');
          throw new AppError(401, 'Send a personal access token: Authorization: Bearer oak_…');
        }
        if (!header) return;
        const [scheme, token] = header.split(' ');
        const holder = scheme?.toLowerCase() === 'bearer' && token ? await tokenHolder(ctx, token) : null;
        if (!holder) throw new AppError(401, 'That token is not valid: it may be wrong, expired or revoked.');
        request.apiHolder = holder;
      });

      // Conditional reads, CORS for reads, and the rate limit under the IETF draft's names too.
      api.addHook('onSend', async (request, reply, payload) => {
        for (const name of ['limit', 'remaining', 'reset']) {
          const value = reply.getHeader(`x-ratelimit-${name}`);
          if (value !== undefined) reply.header(`ratelimit-${name}`, value);
        }
        if (request.method !== 'GET' && request.method !== 'HEAD') return payload;
        reply
          .header('access-control-allow-origin', '*')
          .header('access-control-expose-headers', 'ETag, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset');
        if (reply.statusCode !== 200 || typeof payload !== 'string') return payload;
        const etag = `"${createHash('sha1').update(payload).digest('base64url')}"`;
        reply
          .header('etag', etag)
          .header('cache-control', request.apiHolder ? 'private, no-cache' : 'no-cache')
          .header('vary', 'Authorization');
        if (request.headers['if-none-match'] === etag) {
          reply.code(304);
          return '';
        }
        return payload;
      });

      api.setErrorHandler((error, _request, reply) => {
        const status = error instanceof AppError ? error.status : ((error as { statusCode?: number }).statusCode ?? 500);
        const detail = status >= 500 ? 'The archive hit an unexpected problem. It has been logged.' : (error as Error).message;
        if (status >= 500) reply.log.error(error);
        if (status === 401) reply.header('www-authenticate', 'Bearer realm="Golden Oak"');
        const problem = {
          type: 'about:blank',
          title: STATUS_CODES[status] ?? 'Error',
          status,
          detail,
          ...(error instanceof AppError && Object.keys(error.fields).length ? { errors: error.fields } : {}),
        };
        return reply.status(status).type('application/problem+json').send(problem);
      });
      api.setNotFoundHandler((_request, reply) =>
        reply
          .status(404)
          .type('application/problem+json')
          .send({ type: 'about:blank', title: 'Not Found', status: 404, detail: 'There is no such API address; see /api/v1/docs.' }),
      );

      const viewerOf = (request: FastifyRequest) => request.apiHolder?.viewer ?? null;
      const writer = (request: FastifyRequest, scope: ApiScope = 'write') => {
        const holder = request.apiHolder;
        if (!holder) throw new AppError(401, 'Send a personal access token: Authorization: Bearer oak_…');
        if (!holder.scopes.includes(scope)) throw forbidden(`This token may not ${scope}: make one with the ${scope} scope.`);
        const until = holder.viewer.suspendedUntil;
        if (until && until > ctx.clock.now()) throw forbidden('This account is suspended: it may read, not write.');
        return holder.viewer;
      };

      // Preflight for reads from other origins (writes are not offered to browsers elsewhere).
      api.options('/*', { config }, async (_request, reply) =>
        reply
          .header('access-control-allow-origin', '*')
          .header('access-control-allow-methods', 'GET, HEAD')
          .header('access-control-allow-headers', 'Authorization, If-None-Match')
          .header('access-control-max-age', '86400')
          .status(204)
          .send(),
      );

      api.get('/openapi.json', { config }, async (_request, reply) => reply.send(openApiDocument(app.publicOrigin)));
      api.get('/docs', { config }, async (_request, reply) => sendDocs(reply));
      const sendDocs = (reply: FastifyReply) =>
        reply.type('text/html; charset=utf-8').send(`<!doctype html>${ApiReferencePage({ endpoints: ENDPOINTS })}`);

      api.get<Query>('/stories', { config }, async (request) => {
        const at = pageAt(request.query);
        const filters = parseFilters(request.query);
        const q = typeof request.query.q === 'string' ? request.query.q.trim() : '';
        const list = q
          ? (
              await search(
                ctx,
                viewerOf(request),
                parseSearch(q),
                { ...filters, sort: request.query.sort ? filters.sort : 'relevance' },
                at,
              )
            ).list
          : await listStories(ctx, viewerOf(request), filters, at);
        return listOut(list);
      });

      api.get<{ Params: { id: string } }>('/stories/:id', { config }, async (request) => {
        const { story, chapters } = await storyPage(ctx, viewerOf(request), parseId(request.params.id, 'Story'));
        return {
          ...summary(story as unknown as StoryCard),
          language: story.language,
          description_html: story.description_html,
          contents: chapters.map((c) => ({ id: c.id, position: c.position, title: c.title, words: c.word_count })),
          downloads: Object.fromEntries(['epub', 'html', 'txt', 'md'].map((format) => [format, `/stories/${story.id}/download/${format}`])),
        };
      });

      api.get<{ Params: { id: string; chapterId: string } }>('/stories/:id/chapters/:chapterId', { config }, async (request) => {
        const reading = await readChapter(
          ctx,
          viewerOf(request),
          parseId(request.params.id, 'Story'),
          parseId(request.params.chapterId, 'Chapter'),
        );
        const { chapter } = reading;
        return {
          id: chapter.id,
          story_id: reading.story.id,
          number: reading.number,
          title: chapter.title,
          words: chapter.word_count,
          html: chapter.body_html,
          note_before_html: chapter.note_before_html,
          note_after_html: chapter.note_after_html,
          published_at: iso(chapter.published_at),
        };
      });

      const userOut = (user: { username: string; display_name: string; bio_html: string; created_at: number }) => ({
        username: user.username,
        display_name: user.display_name,
        bio_html: user.bio_html,
        joined_at: iso(user.created_at),
        url: authorPath(user.username),
      });
      api.get<{ Params: { username: string } }>('/users/:username', { config }, async (request) => {
        const user = await findUser(ctx, request.params.username);
        if (!user) throw notFound('Author');
        return userOut(user);
      });
      api.get('/me', { config }, async (request) => {
        const holder = request.apiHolder;
        if (!holder) throw new AppError(401, 'Send a personal access token: Authorization: Bearer oak_…');
        const user = await findUser(ctx, holder.viewer.username);
        if (!user) throw notFound('Account');
        return userOut(user);
      });

      const listOut = (list: Awaited<ReturnType<typeof listStories>>) => ({
        items: list.items.map(summary),
        next: list.next,
        previous: list.previous,
      });
      const ref = (tag: { id: number; name: string; type: string }) => ({ id: tag.id, name: tag.name, type: tag.type });
      api.get('/tags', { config }, async () => {
        const byType = await tagsInUse(ctx);
        return { items: [...byType].flatMap(([type, tags]) => tags.map((tag) => ({ ...tag, type }))) };
      });
      api.get<Query & { Params: { id: string } }>('/tags/:id', { config }, async (request) => {
        const relations = await tagRelations(ctx, parseId(request.params.id, 'Tag'));
        const tag = relations.canonicalTag ?? relations.tag;
        const filters = { ...parseFilters(request.query), tagId: tag.id };
        return {
          tag: ref(relations.tag),
          canonical: relations.canonicalTag ? ref(relations.canonicalTag) : null,
          synonyms: relations.synonyms.map(ref),
          fandoms: relations.fandoms.map(ref),
          metatags: relations.metatags.map(ref),
          subtags: relations.subtags.map(ref),
          stories: listOut(await listStories(ctx, viewerOf(request), filters, pageAt(request.query))),
        };
      });

      api.get<{ Params: { username: string } }>('/users/:username/shelves', { config }, async (request) => {
        const user = await findUser(ctx, request.params.username);
        if (!user) throw notFound('Author');
        const shelves = await profileShelves(ctx, user.id);
        return {
          items: shelves.map((shelf) => ({ id: shelf.id, name: shelf.name, visibility: 'public' as const, url: `/shelves/${shelf.id}` })),
        };
      });
      api.get('/me/shelves', { config }, async (request) => {
        const shelves = await myShelves(ctx, writer(request, 'read'));
        return { items: shelves.map(({ id, name, visibility, stories, path }) => ({ id, name, visibility, url: path, stories })) };
      });
      api.get<Query & { Params: { id: string } }>('/shelves/:id', { config }, async (request) => {
        const at = pageAt(request.query);
        const found = await shelfStories(ctx, viewerOf(request), request.params.id, parseFilters(request.query), at);
        const { id, name, visibility, path } = found.shelf;
        return { shelf: { id, name, visibility, url: path }, stories: listOut(found.list), notes: Object.fromEntries(found.notes) };
      });
      api.post('/shelves', { config }, async (request, reply) => {
        const viewer = writer(request);
        const { id, path } = await createShelf(ctx, viewer, parseInput(ShelfSchema, body(ShelfIn, request)));
        return reply.status(201).send({ id, url: path });
      });
      api.put<{ Params: { id: string } }>('/stories/:id/shelves', { config }, async (request) => {
        const viewer = writer(request);
        const storyId = parseId(request.params.id, 'Story');
        const input = body(ShelvingIn, request);
        await saveShelving(ctx, viewer, storyId, { shelves: input.shelves, note: input.note?.trim() ?? '' });
        return { story_id: storyId, shelves: input.shelves };
      });

      const list = (values: string[] | undefined, separator: string) => (values ?? []).join(separator);
      api.post('/stories', { config }, async (request, reply) => {
        const viewer = writer(request);
        const input = body(StoryIn, request);
        const story = await createStory(
          ctx,
          viewer,
          parseInput(StoryFormSchema, {
            title: input.title,
            summary: input.summary ?? '',
            description: input.description ?? '',
            description_format: input.description_format ?? 'markdown',
            rating: input.rating,
            status: input.status ?? 'incomplete',
            language: input.language ?? 'en',
            warnings: list(input.warnings, '\n'),
            categories: list(input.categories, '\n'),
            fandoms: list(input.fandoms, ', '),
            relationships: list(input.relationships, ', '),
            characters: list(input.characters, ', '),
            tags: list(input.tags, ', '),
          }),
        );
        return reply.status(201).send({ id: story.id, url: storyPath(story) });
      });

      api.post<{ Params: { id: string } }>('/stories/:id/chapters', { config }, async (request, reply) => {
        const viewer = writer(request);
        const story = await storyToEdit(ctx, viewer, parseId(request.params.id, 'Story'));
        const input = body(ChapterIn, request);
        const { id } = await addChapter(
          ctx,
          story,
          parseInput(ChapterFormSchema, {
            title: input.title,
            body: input.body,
            format: input.format,
            note_before: input.note_before ?? '',
            note_after: input.note_after ?? '',
            action: input.publish ? 'publish' : 'draft',
          }),
        );
        return reply.status(201).send({ id, url: chapterPath(story, { id, title: input.title }) });
      });

      api.post<{ Params: { id: string; chapterId: string } }>(
        '/stories/:id/chapters/:chapterId/comments',
        declared(config.access, { ...tokenRate, max: 30 }),
        async (request, reply) => {
          const viewer = writer(request);
          const input = body(CommentIn, request);
          const id = await addComment(
            ctx,
            viewer,
            parseId(request.params.id, 'Story'),
            parseId(request.params.chapterId, 'Chapter'),
            parseInput(CommentSchema, {
              body: input.body,
              format: input.format,
              parent_id: input.parent_id ? String(input.parent_id) : '',
            }),
          );
          return reply.status(201).send({ id, url: `/comments/${id}` });
        },
      );
    },
    { prefix: '/api/v1' },
  );
}
