import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Context } from '../../../kernel/context.ts';
import { AppError } from '../../../kernel/errors.ts';
import { ACCESS, declared } from '../../../kernel/web/access.ts';
import { CSRF_COOKIE } from '../../../kernel/web/csrf.ts';
import { localPath, pageContext, sendPage } from '../../../kernel/web/page.ts';
import { requireViewer } from '../../../kernel/web/params.ts';
import { authRate, writeRate } from '../../../kernel/web/rate-limits.ts';
import { formFailure, formValues, parseInput } from '../../../kernel/web/validation.ts';
import { LogInSchema, SignUpSchema } from '../../../modules/accounts/accounts.schema.ts';
import { logIn, signUp } from '../../../modules/accounts/accounts.service.ts';
import { endSession, SESSION_COOKIE, startSession } from '../../../modules/accounts/sessions.ts';
import { LogInPage, SignUpPage, WelcomePage } from './accounts.pages.tsx';
import { setSessionCookie } from './session-cookie.ts';

const SECRET_FIELDS = ['password', 'password_confirmation'];

export async function accountRoutes(app: FastifyInstance, ctx: Context) {
  /** A new log-in ends the session the browser had and drops its CSRF secret, so nothing from before carries over. */
  async function rotateSession(request: FastifyRequest, reply: FastifyReply, userId: number) {
    await endSession(ctx, request.cookies[SESSION_COOKIE]);
    reply.clearCookie(CSRF_COOKIE, { path: '/' });
    setSessionCookie(ctx, reply, await startSession(ctx, userId, request.headers['user-agent'] ?? ''));
  }

  app.get('/signup', async (request, reply) =>
    sendPage(reply, SignUpPage({ page: pageContext(request, reply), form: { values: {}, errors: {} } })),
  );

  app.post('/signup', declared(ACCESS.public, authRate), async (request, reply) => {
    const values = formValues(request.body);
    try {
      const user = await signUp(ctx, parseInput(SignUpSchema, values));
      await rotateSession(request, reply, user.id);
      return reply.redirect('/welcome', 303);
    } catch (error) {
      const form = formFailure(error, values, SECRET_FIELDS);
      return sendPage(reply, SignUpPage({ page: pageContext(request, reply), form }), 400);
    }
  });

  app.get('/welcome', async (request, reply) => {
    requireViewer(request);
    return sendPage(reply, WelcomePage({ page: pageContext(request, reply) }));
  });

  app.get<{ Querystring: { next?: string } }>('/login', async (request, reply) => {
    const form = { values: { next: localPath(request.query.next) }, errors: {} };
    return sendPage(reply, LogInPage({ page: pageContext(request, reply), form, mail: ctx.mailer !== null }));
  });

  // Besides the limit per address (declared(ACCESS.public, authRate)): per account, so many addresses cannot guess one
  // password; a second, longer window backs off further (ten tries per quarter hour, twenty a day).
  const accountKey = (request: FastifyRequest) =>
    `login-account:${(formValues(request.body).username ?? '').trim().toLowerCase().slice(0, 60)}`;
  const perAccount = [
    app.createRateLimit({ max: 10, timeWindow: '15 minutes', keyGenerator: accountKey }),
    app.createRateLimit({ max: 20, timeWindow: '1 day', keyGenerator: (request) => `${accountKey(request)}:day` }),
  ];
  app.post('/login', declared(ACCESS.public, authRate), async (request, reply) => {
    const values = formValues(request.body);
    for (const limit of perAccount) {
      const limited = await limit(request);
      if (!limited.isAllowed && limited.isExceeded) {
        throw new AppError(429, `Too many tries for this account. Try again in ${Math.ceil(limited.ttlInSeconds / 60)} minutes.`);
      }
    }
    try {
      const input = parseInput(LogInSchema, values);
      const user = await logIn(ctx, input.username, input.password);
      await rotateSession(request, reply, user.id);
      return reply.redirect(localPath(input.next), 303);
    } catch (error) {
      const form = formFailure(error, values, SECRET_FIELDS);
      return sendPage(reply, LogInPage({ page: pageContext(request, reply), form, mail: ctx.mailer !== null }), 400);
    }
  });

  app.post('/logout', declared(ACCESS.public, writeRate), async (request, reply) => {
    await endSession(ctx, request.cookies[SESSION_COOKIE]);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/', 303);
  });
}
