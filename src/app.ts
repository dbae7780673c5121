import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import type { Config } from './kernel/config.ts';
import type { Context } from './kernel/context.ts';
import { AppError, forbidden } from './kernel/errors.ts';
import { type Access, accessOf } from './kernel/web/access.ts';
import { staticRoutes } from './kernel/web/assets.ts';
import { capped, dropUnreadBody, parseForm, refusedBody } from './kernel/web/bodies.ts';
import { checkCsrf, expiredForm, fromOtherSite, hasCsrfSecret } from './kernel/web/csrf.ts';
import { ErrorPage } from './kernel/web/error.pages.tsx';
import { describeError } from './kernel/web/error-replies.ts';
import { pageContext, sendPage } from './kernel/web/page.ts';
import { redisWithFallback } from './kernel/web/rate-limit-store.ts';
import { securityHeaders } from './kernel/web/security-headers.ts';
import { federates } from './modules/federation/federates.ts';
import { canModerate } from './modules/moderation/moderation.policy.ts';
import { apiRoutes } from './surfaces/api/api.routes.ts';
import { feedRoutes } from './surfaces/feeds/feeds.routes.ts';
import { healthRoutes } from './surfaces/health/health.routes.ts';
import { accountDataRoutes } from './surfaces/html/account-data/account-data.routes.ts';
import { accountRoutes } from './surfaces/html/accounts/accounts.routes.ts';
import { emailRoutes } from './surfaces/html/accounts/email.routes.ts';
import { viewerFromSession } from './surfaces/html/accounts/session-cookie.ts';
import { settingsRoutes } from './surfaces/html/accounts/settings.routes.ts';
import { apiTokenRoutes } from './surfaces/html/api-tokens/api-tokens.routes.ts';
import { browseRoutes } from './surfaces/html/browse/browse.routes.ts';
import { chapterRoutes } from './surfaces/html/chapters/chapters.routes.ts';
import { coauthorRoutes } from './surfaces/html/coauthors/coauthors.routes.ts';
import { commentRoutes } from './surfaces/html/comments/comments.routes.ts';
import { exportRoutes } from './surfaces/html/export/export.routes.ts';
import { followRoutes } from './surfaces/html/follows/follows.routes.ts';
import { importRoutes } from './surfaces/html/import/import.routes.ts';
import { kudosRoutes } from './surfaces/html/kudos/kudos.routes.ts';
import { moderationRoutes } from './surfaces/html/moderation/moderation.routes.ts';
import { muteRoutes } from './surfaces/html/mutes/mutes.routes.ts';
import { notificationRoutes } from './surfaces/html/notifications/notifications.routes.ts';
import { progressRoutes } from './surfaces/html/progress/progress.routes.ts';
import { readerRoutes } from './surfaces/html/reader/reader.routes.ts';
import { savedSearchRoutes } from './surfaces/html/saved-searches/saved-searches.routes.ts';
import { searchRoutes } from './surfaces/html/search/search.routes.ts';
import { seriesRoutes } from './surfaces/html/series/series.routes.ts';
import { shelfRoutes } from './surfaces/html/shelves/shelves.routes.ts';
import { storyRoutes } from './surfaces/html/stories/stories.routes.ts';
import { wranglingRoutes } from './surfaces/html/wrangling/wrangling.routes.ts';
import { opdsRoutes } from './surfaces/opds/opds.routes.ts';

/** Url-encoded forms other than the chapter form: far more than any of them needs. */
export const FORM_LIMIT_BYTES = 1024 * 1024;
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** `logStream` receives pino's JSON lines (the CLI turns them into text unless LOG_FORMAT=json). */
export type AppOptions = { logger?: boolean; logStream?: { write(line: string): unknown } };

/** Builds the whole archive from a Context; nothing here reads the environment or keeps global state. */
export async function buildApp(ctx: Context, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ? { level: ctx.config.logLevel, ...(options.logStream ? { stream: options.logStream } : {}) } : false,
    // Forwarded headers are believed only from the proxies the operator named.
    trustProxy: trustProxyOption(ctx.config.trustProxy),
    bodyLimit: FORM_LIMIT_BYTES,
    logController: new QuietRequests(),
  });

  const security = securityHeaders({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: ctx.config.secureCookies ? [] : null,
      },
    },
    hsts: ctx.config.secureCookies,
    referrerPolicy: { policy: 'same-origin' },
  });
  app.decorate('publicOrigin', ctx.config.publicUrl ? new URL(ctx.config.publicUrl).origin : '');
  await app.register(cookie, { secret: ctx.config.sessionSecret });
  // Every request: the security headers, and a refusal of NUL in the address. PostgreSQL cannot store
  // NUL, SQLite can; refusing it here and cleaning every field (text/clean.ts) makes both answer
  // alike. (Callback hooks, not async ones, on the paths every page takes: no promise per request.)
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(security);
    if (request.url.includes('\0') || /%00/i.test(request.url)) done(new AppError(400, 'Addresses may not contain NUL characters.'));
    else done();
  });
  // Who is asking, from the session cookie, for every route: before any other check reads `viewer`.
  app.decorateRequest('viewer', null);
  app.addHook('onRequest', viewerFromSession(ctx));
  // Issues the tokens forms carry; web/csrf.ts checks them.
  await app.register(csrf, {
    cookieOpts: { signed: true, httpOnly: true, sameSite: 'lax', path: '/', secure: ctx.config.secureCookies },
  });
  await app.register(formbody, { parser: parseForm });
  // Multipart bodies are not read until a handler streams them (web/multipart.ts), after the checks below.
  await app.register(multipart, { limits: { files: 1, fields: 20, fieldSize: 64 * 1024, fileSize: 1024 * 1024 } });
  await app.register(rateLimit, {
    global: false,
    // With Redis every web process counts against the same limit; while it is unreachable, each counts alone.
    ...(ctx.redis ? { store: redisWithFallback(ctx.redis, app.log) } : {}),
    errorResponseBuilder: (_request, context) =>
      new AppError(429, `Too many attempts. Try again in ${Math.ceil(context.ttl / 1000)} seconds.`),
  });
  await staticRoutes(app);

  // Before any body is read, what the route declared (kernel/web/access.ts): a body of its kind; for
  // a write, the caller it takes (a session unless it says otherwise) and a CSRF secret; so no
  // anonymous or cross-site client can make the archive buffer a large body or parse one meant for elsewhere.
  app.addHook('preParsing', (request, _reply, payload, done) => {
    if (!UNSAFE_METHODS.has(request.method)) return done(null, payload);
    const access = accessOf(request);
    let problem = refusedBody(request);
    if (!problem && access.keepsText) {
      // A form that keeps its text is read even so, to be shown again filled in (its handler checks
      // both); without a session only as much of it as any other form may send. (A multipart one is
      // streamed within its limits, a file discarded unread, so nothing large is held.)
      if (request.viewer || access.body === 'multipart') return done(null, payload);
      if (Number(request.headers['content-length']) > FORM_LIMIT_BYTES) problem = new AppError(413, 'Log in again to save text this long.');
      else return done(null, capped(payload, FORM_LIMIT_BYTES));
    }
    problem ??= callerRefused(access, request) ?? suspension(request, ctx.clock.now());
    problem ??= access.csrf === 'token' && !hasCsrfSecret(request) ? expiredForm() : null;
    if (!problem) return done(null, payload);
    // The body is dropped unread (within bounds), so the refusal reaches the client.
    dropUnreadBody(request);
    done(problem);
  });

  // Every url-encoded form is CSRF-checked here, once, after its body is parsed; multipart handlers check as they read.
  app.addHook('preHandler', (request, reply, done) => {
    if (!UNSAFE_METHODS.has(request.method)) return done();
    const access = accessOf(request);
    // Editors that keep their text skipped the early checks; a suspension still stops them here.
    if (access.keepsText) return done(suspension(request, ctx.clock.now()) ?? undefined);
    if (access.body === 'multipart' || access.csrf === 'none') return done();
    if (access.csrf === 'same-site')
      return done(fromOtherSite(request) ? forbidden('This button only works from this site’s own pages.') : undefined);
    const token = (request.body as Record<string, unknown> | undefined)?._csrf ?? request.headers['x-csrf-token'];
    try {
      checkCsrf(request, reply, token);
      done();
    } catch (error) {
      done(error as Error);
    }
  });

  app.setErrorHandler((error, request, reply) => sendError(error, request, reply));
  app.setNotFoundHandler((request, reply) => sendError(new AppError(404, 'There is nothing at this address.'), request, reply));

  await healthRoutes(app, ctx);
  await accountRoutes(app, ctx);
  await settingsRoutes(app, ctx);
  await browseRoutes(app, ctx);
  await storyRoutes(app, ctx);
  await chapterRoutes(app, ctx);
  await readerRoutes(app, ctx);
  await importRoutes(app, ctx);
  await muteRoutes(app, ctx);
  await feedRoutes(app, ctx);
  await wranglingRoutes(app, ctx);
  await searchRoutes(app, ctx);
  await savedSearchRoutes(app, ctx);
  await commentRoutes(app, ctx);
  await kudosRoutes(app, ctx);
  await shelfRoutes(app, ctx);
  await followRoutes(app, ctx);
  await notificationRoutes(app, ctx);
  await emailRoutes(app, ctx);
  await progressRoutes(app, ctx);
  await moderationRoutes(app, ctx);
  await coauthorRoutes(app, ctx);
  await seriesRoutes(app, ctx);
  await accountDataRoutes(app, ctx);
  await exportRoutes(app, ctx);
  await opdsRoutes(app, ctx);
  await apiRoutes(app, ctx);
  await apiTokenRoutes(app, ctx);
  // Fedify costs half a second of CPU to load: only an archive that federates loads it.
  if (federates(ctx)) await (await import('./surfaces/activitypub/federation.routes.ts')).federationRoutes(app, ctx);
  return app;
}

/**
 * Whether the route's declared caller is refused, before its body is read. A token and a remote
 * server's signature are checked by the API's and the federation library's own hooks.
 */
function callerRefused(access: Access, request: FastifyRequest): AppError | null {
  if (access.caller === 'public' || access.caller === 'token' || access.caller === 'signed') return null;
  if (!request.viewer) return new AppError(401, 'Log in to do that.');
  if (access.caller === 'moderator' && !canModerate(request.viewer)) return forbidden('Only moderators and admins may do that.');
  return null;
}

/** What a suspended account may still do: leave, take its data, delete itself. */
const WHILE_SUSPENDED = new Set(['/logout', '/settings/export', '/settings/delete']);

/** A suspended account may still log out, download its data and delete itself; every other write is refused with the end date. */
function suspension(request: FastifyRequest, now: number): AppError | null {
  const until = request.viewer?.suspendedUntil;
  if (!until || until <= now || WHILE_SUSPENDED.has(request.url)) return null;
  return forbidden(`Your account is suspended until ${new Date(until).toUTCString()}: you may read, but not post or change anything.`);
}

/** One line per request, at debug level, instead of two at info: a visit is dozens of requests. */
class QuietRequests extends LogController {
  override incomingRequest() {}
  override requestCompleted(error: Error | null, request: FastifyRequest, reply: FastifyReply) {
    if (error) reply.log.error({ err: error, url: request.url }, 'request failed');
    else reply.log.debug({ method: request.method, url: request.url, status: reply.statusCode, ms: reply.elapsedTime }, 'request');
  }
}

/**
 * A list of addresses goes to fastify as is. A hop count trusts that many hops nearest the archive
 * (fastify itself ignores bare counts, since a client that reaches the archive directly can forge
 * them: the README says to use a count only when the proxy is the only way in).
 */
function trustProxyOption(trust: Config['trustProxy']) {
  return typeof trust === 'number' ? (_address: string, hop: number) => hop < trust : trust;
}

/** Errors of the HTML surface, the default: a page, or the log-in page for a GET that needs a session. (OPDS, the API and health register their own.) */
function sendError(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const { status, message } = describeError(error);
  if (status >= 500) request.log.error(error);
  if (status === 401 && request.method === 'GET') {
    return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
  }
  return sendPage(reply, ErrorPage({ page: pageContext(request, reply), status, message }), status);
}
