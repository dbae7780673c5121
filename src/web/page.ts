import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { Viewer } from '../features/accounts/viewer.ts';
import { PREFERENCES_COOKIE, type Preferences, parsePreferences } from './preferences.ts';

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
