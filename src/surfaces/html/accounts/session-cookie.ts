import type { FastifyReply, onRequestHookHandler } from 'fastify';
import type { Context } from '../../../kernel/context.ts';
import { resumeSession, SESSION_COOKIE, SESSION_DAYS } from '../../../modules/accounts/sessions.ts';
import { unreadCount } from '../../../modules/notifications/notifications.service.ts';

/** The session cookie: HTTP only, same-site lax, renewed with the session's idle expiry. */
export const setSessionCookie = (ctx: Context, reply: FastifyReply, token: string) =>
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: ctx.config.secureCookies,
    maxAge: SESSION_DAYS * 24 * 60 * 60,
  });

/** Who is asking: every request's `viewer`, from its session cookie (registered for the whole app in app.ts). */
export function viewerFromSession(ctx: Context): onRequestHookHandler {
  return (request, reply, done) => {
    const token = request.cookies[SESSION_COOKIE];
    // No session cookie (most readers), or a stylesheet or cover that looks the same to everyone: nothing to look up.
    if (!token || request.url.startsWith('/static/') || request.url.startsWith('/media/')) return done();
    resumeSession(ctx, token)
      .then(async (session) => {
        request.viewer = session?.viewer ?? null;
        if (session?.renewed) setSessionCookie(ctx, reply, token);
        // Only a page shows the header's count: feeds, downloads, the API and scripts' requests skip the query.
        if (session && request.method === 'GET' && request.headers.accept?.includes('text/html'))
          session.viewer.unread = await unreadCount(ctx, session.viewer.id);
      })
      .then(() => done(), done);
  };
}
