import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { Context } from '../context.ts';
import type { Scope } from '../db/change-feed.ts';
import type { Viewer } from '../features/accounts/viewer.ts';
import { SiteHeader } from './layout.tsx';
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
 * A rendered page, and whose view of it differs from an anonymous reader's besides the site header:
 * `owner` is the one account (with admins) that sees more, such as a story's author; without an
 * owner, every signed-in view differs.
 */
export type RenderedPage = { page: VNode; owner?: number };

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
): Promise<FastifyReply> {
  const version = ctx.changes.version(scope);
  const preferences = serializePreferences(parsePreferences(request.cookies[PREFERENCES_COOKIE]));
  const key = `${request.url}\n${preferences}`;
  let page = ctx.pages.get(key, version);
  const { viewer } = request;
  if (viewer) {
    const shared = page?.shared;
    if (!shared || viewer.role === 'admin' || viewer.id === shared.owner) return sendPage(reply, (await render()).page);
    const header = renderToString(SiteHeader({ page: pageContext(request, reply) }));
    return sendHtml(reply, Buffer.concat([shared.before, Buffer.from(header), shared.after]));
  }
  if (!page) {
    const rendered = await render();
    const html = `<!doctype html>${renderToString(rendered.page)}`;
    // A page that set a cookie while rendering (a CSRF token for a form) is someone's own: never shared.
    if (reply.hasHeader('set-cookie')) return sendHtml(reply, html);
    page = ctx.pages.set(key, version, html, rendered.owner);
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
  return sendHtml(reply, `<!doctype html>${renderToString(page)}`, status);
}

/** A page for this request alone: never stored by the browser or anything between. */
function sendHtml(reply: FastifyReply, html: string | Buffer, status = 200): FastifyReply {
  return reply.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
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
