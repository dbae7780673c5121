import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { Context } from '../context.ts';
import type { Scope } from '../db/change-feed.ts';
import { ADULT_COOKIE } from './adult-content.ts';
import { preferredEncoding } from './encoding.ts';
import { hasFlash, takeFlash } from './flash.ts';
import { SiteHeader } from './layout.tsx';
import { PREFERENCES_COOKIE, type Preferences, parsePreferences, serializePreferences } from './preferences.ts';
import type { Viewer } from './viewer.ts';

/** What the layout needs from the request; pages receive it as plain data. */
export type PageContext = {
  viewer: Viewer | null;
  csrfToken: string;
  preferences: Preferences;
  path: string;
  /** A confirmation from the request before (web/flash.ts), shown once. */
  flash: string | null;
  /** PUBLIC_URL's origin, for addresses that must be absolute (share tags); '' when it is not set. */
  origin: string;
};

/** The address a shared page is stored under, for the page to link back to (never another visitor's extra query). */
const sharedPaths = new WeakMap<FastifyRequest, string>();

export function pageContext(request: FastifyRequest, reply: FastifyReply): PageContext {
  let csrfToken: string | undefined;
  let flash: string | null | undefined;
  return {
    viewer: request.viewer,
    // Made only when a page renders a form, so pages without one set no cookie.
    get csrfToken() {
      csrfToken ??= reply.generateCsrf();
      return csrfToken;
    },
    preferences: preferencesOf(request),
    path: sharedPaths.get(request) ?? request.url,
    origin: request.server.publicOrigin,
    get flash() {
      flash ??= takeFlash(request, reply);
      return flash;
    },
  };
}

/**
 * A page's address as the cache knows it: the path, and of the query only the parameters the page
 * reads (`reads`), in one order. Anything else in a query string (`?x=1`, `?utm_source=…`, a random
 * string per request) is the same page, not a new entry and a new rendering.
 */
function pageKey(request: FastifyRequest, reads: readonly string[]): string {
  const path = request.url.split('?', 1)[0] ?? '';
  const query = request.query as Record<string, string | string[] | undefined>;
  const kept = new URLSearchParams();
  for (const name of [...reads].sort()) {
    const value = query[name];
    for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) kept.append(name, String(one));
  }
  const rest = kept.toString();
  return rest ? `${path}?${rest}` : path;
}

/** A signed-in reader's saved settings win over this device's cookie; anonymous readers have the cookie. */
const preferencesOf = (request: FastifyRequest) => parsePreferences(request.viewer?.preferences || request.cookies[PREFERENCES_COOKIE]);

/**
 * A rendered page, and whose view of it differs from an anonymous reader's besides the site header:
 * `owners` are the accounts (with moderators and admins) that see more, such as a story's authors;
 * without owners, every signed-in view differs.
 */
export type RenderedPage = { page: VNode; owners?: readonly number[] } | { redirect: string };

/**
 * Sends a page that looks the same to every anonymous reader with the same reading settings, from
 * the page cache when its content version still matches. `render` runs only on a miss, after the
 * version was read (so a write during the render can only make the stored copy newer than its
 * version says, never older). Signed-in readers who see what anonymous ones do get that page with
 * their own header; everyone else gets a fresh rendering that is never stored.
 */
export async function sendCachedPage(
  ctx: Pick<Context, 'changes' | 'pages'>,
  request: FastifyRequest,
  reply: FastifyReply,
  scope: Scope,
  render: () => Promise<RenderedPage>,
  reads: readonly string[] = [],
): Promise<FastifyReply> {
  const version = ctx.changes.version(scope);
  const preferences = serializePreferences(preferencesOf(request));
  // The adult-content answer changes what an anonymous reader is shown, so it is part of the key.
  const path = pageKey(request, reads);
  sharedPaths.set(request, path);
  const key = `${path}\n${preferences}\n${request.cookies[ADULT_COOKIE] === '1' ? 'adult' : ''}`;
  let page = ctx.pages.get(key, version);
  const { viewer } = request;
  // A confirmation is for this reader alone: rendered fresh, never stored.
  if (hasFlash(request)) return sendRendered(reply, await render());
  if (viewer) {
    // Moderators and admins see controls readers do not: always their own rendering.
    const shared = page?.shared;
    if (!shared || viewer.role !== 'user' || shared.owners.includes(viewer.id)) return sendRendered(reply, await render());
    const header = renderToString(SiteHeader({ page: pageContext(request, reply) }));
    return sendHtml(reply, Buffer.concat([shared.before, Buffer.from(header), shared.after]));
  }
  if (!page) {
    const rendered = await render();
    if ('redirect' in rendered) return sendRendered(reply, rendered);
    const html = `<!doctype html>${renderToString(rendered.page)}`;
    // A page that set a cookie while rendering (a CSRF token for a form) is someone's own: never shared.
    if (reply.hasHeader('set-cookie')) return sendHtml(reply, html);
    page = ctx.pages.set(key, version, html, rendered.owners);
  }
  reply
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-cache')
    .header('etag', page.etag)
    .header('vary', 'Accept-Encoding, Cookie');
  if (request.headers['if-none-match'] === page.etag) return reply.status(304).send();
  const encoding = preferredEncoding(request);
  return encoding ? reply.header('content-encoding', encoding).send(page[encoding]) : reply.send(page.identity);
}

export function sendPage(reply: FastifyReply, page: VNode, status = 200): FastifyReply {
  return sendHtml(reply, `<!doctype html>${renderToString(page)}`, status);
}

/** An old address of a page (an id without its slug, a renamed story) moves to the current one for good. */
export function sendRendered(reply: FastifyReply, rendered: RenderedPage): FastifyReply {
  return 'redirect' in rendered ? reply.redirect(rendered.redirect, 301) : sendPage(reply, rendered.page);
}

/** Smaller pages gain nothing from compression that is worth its time. */
const COMPRESS_FROM_BYTES = 1024;

/**
 * A page for this request alone: never stored by the browser or anything between, and compressed
 * here (Brotli at a fast level, or gzip) since it is made once, for one reader.
 */
function sendHtml(reply: FastifyReply, html: string | Buffer, status = 200): FastifyReply {
  reply.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').header('vary', 'Accept-Encoding');
  const body = typeof html === 'string' ? Buffer.from(html) : html;
  if (body.length < COMPRESS_FROM_BYTES) return reply.send(body);
  const encoding = preferredEncoding(reply.request);
  if (encoding === 'br') {
    return reply.header('content-encoding', 'br').send(brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } }));
  }
  return encoding === 'gzip' ? reply.header('content-encoding', 'gzip').send(gzipSync(body, { level: 6 })) : reply.send(body);
}

/** The address a page should be served at, when the request used another one (query kept). */
export function canonicalRedirect(request: FastifyRequest, canonical: string): { redirect: string } | null {
  const [path, query] = request.url.split(/\?(.*)/s, 2);
  return path === canonical ? null : { redirect: query ? `${canonical}?${query}` : canonical };
}

const SELF = 'http://oak.invalid';

/**
 * Redirects back to a path on this site only. The URL parser resolves it as a browser would (tabs
 * and newlines dropped, backslashes as slashes), and only a result on our own origin is kept, in
 * its percent-encoded form, so it is always a valid Location header.
 */
export function localPath(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || !value.startsWith('/')) return fallback;
  try {
    const url = new URL(value, SELF);
    return url.origin === SELF ? `${url.pathname}${url.search}${url.hash}` : fallback;
  } catch {
    return fallback;
  }
}
