import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { Context } from '../context.ts';
import type { Scope } from '../db/change-feed.ts';
import type { Viewer } from '../features/accounts/viewer.ts';
import { PREFERENCES_COOKIE, type Preferences, parsePreferences, serializePreferences } from './preferences.ts';

/** What the layout needs from the request; pages receive it as plain data. */
export type PageContext = { viewer: Viewer | null; csrfToken: string; preferences: Preferences; path: string };

export function pageContext(request: FastifyRequest, reply: FastifyReply): PageContext {
  let csrfToken: string | undefined;
  return {
    viewer: request.viewer,
    // Made only when a page renders a form, so pages without one set no cookie.
    get csrfToken() {
      csrfToken ??= reply.generateCsrf();
      return csrfToken;
    },
    preferences: parsePreferences(request.cookies[PREFERENCES_COOKIE]),
    path: request.url,
  };
}

/**
 * Sends a page that looks the same to every anonymous reader with the same reading settings, from
 * the page cache when its content version still matches. Signed-in readers get the same rendering,
 * uncached. `render` runs only on a miss, after the version was read (so a write during the render
 * can only make the stored copy newer than its version says, never older).
 */
export async function sendCachedPage(
  ctx: Pick<Context, 'changes' | 'pages'>,
  request: FastifyRequest,
  reply: FastifyReply,
  scope: Scope,
  render: () => Promise<VNode>,
): Promise<FastifyReply> {
  if (request.viewer) return sendPage(reply, await render());
  const version = ctx.changes.version(scope);
  const preferences = serializePreferences(parsePreferences(request.cookies[PREFERENCES_COOKIE]));
  const key = `${request.url}\n${preferences}`;
  let page = ctx.pages.get(key, version);
  if (!page) {
    const html = `<!doctype html>${renderToString(await render())}`;
    // A page that set a cookie while rendering (a CSRF token for a form) is someone's own: never shared.
    if (reply.hasHeader('set-cookie')) return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
    page = ctx.pages.set(key, version, html);
  }
  reply
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-cache')
    .header('etag', page.etag)
    .header('vary', 'Accept-Encoding, Cookie');
  if (request.headers['if-none-match'] === page.etag) return reply.status(304).send();
  const accepts = request.headers['accept-encoding'] ?? '';
  if (accepts.includes('br')) return reply.header('content-encoding', 'br').send(page.br);
  if (accepts.includes('gzip')) return reply.header('content-encoding', 'gzip').send(page.gzip);
  return reply.send(page.identity);
}

export function sendPage(reply: FastifyReply, page: VNode, status = 200): FastifyReply {
  return reply
    .status(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(`<!doctype html>${renderToString(page)}`);
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
