import type { FastifyInstance } from 'fastify';
import type { Context } from '../../../kernel/context.ts';
import { ACCESS, declared } from '../../../kernel/web/access.ts';
import { setFlash } from '../../../kernel/web/flash.ts';
import { pageContext, sendPage } from '../../../kernel/web/page.ts';
import { requireViewer } from '../../../kernel/web/params.ts';
import { authRate, passwordRate } from '../../../kernel/web/rate-limits.ts';
import { formFailure, formValues, parseInput } from '../../../kernel/web/validation.ts';
import { EmailSchema, PasswordResetSchema } from '../../../modules/accounts/accounts.schema.ts';
import {
  changeEmail,
  checkResetToken,
  requestPasswordReset,
  requireMail,
  resetPasswordByLink,
  verifyEmail,
} from '../../../modules/accounts/email.service.ts';
import { ForgotPasswordPage, ResetPasswordPage } from './email.pages.tsx';
import { renderAccountSettings } from './settings.routes.ts';

const MESSAGES = {
  sent: 'Saved. We sent a link to the new address: follow it to verify the address.',
  removed: 'Your e-mail address is removed.',
  unchanged: 'That is already your address.',
};

/** Mail-backed account features; without SMTP_URL each of these addresses is a 404. */
export async function emailRoutes(app: FastifyInstance, ctx: Context) {
  app.post('/settings/email', declared(ACCESS.account, passwordRate), async (request, reply) => {
    const viewer = requireViewer(request);
    const values = formValues(request.body);
    try {
      const outcome = await changeEmail(ctx, viewer, parseInput(EmailSchema, values).email);
      setFlash(reply, MESSAGES[outcome]);
      return reply.redirect('/settings/account', 303);
    } catch (error) {
      return renderAccountSettings(ctx, request, reply, { email: formFailure(error, values) }, 400);
    }
  });

  app.get<{ Querystring: { token?: string } }>('/settings/email/verify', async (request, reply) => {
    await verifyEmail(ctx, request.query.token);
    setFlash(reply, 'Your e-mail address is verified.');
    return reply.redirect(request.viewer ? '/settings/account' : '/login', 303);
  });

  app.get('/forgot-password', async (request, reply) => {
    requireMail(ctx);
    return sendPage(reply, ForgotPasswordPage({ page: pageContext(request, reply), sent: false }));
  });

  app.post('/forgot-password', declared(ACCESS.public, authRate), async (request, reply) => {
    await requestPasswordReset(ctx, formValues(request.body).login ?? '');
    return sendPage(reply, ForgotPasswordPage({ page: pageContext(request, reply), sent: true }));
  });

  app.get<{ Querystring: { token?: string } }>('/reset-password', async (request, reply) => {
    requireMail(ctx);
    await checkResetToken(ctx, request.query.token);
    return sendPage(
      reply,
      ResetPasswordPage({ page: pageContext(request, reply), form: { values: { token: request.query.token ?? '' }, errors: {} } }),
    );
  });

  app.post('/reset-password', declared(ACCESS.public, authRate), async (request, reply) => {
    const values = formValues(request.body);
    try {
      await resetPasswordByLink(ctx, parseInput(PasswordResetSchema, values));
      setFlash(reply, 'Your password is changed, every device is signed out and your API tokens ended. Log in with the new one.');
      return reply.redirect('/login', 303);
    } catch (error) {
      const form = formFailure(error, values, ['password', 'password_confirmation']);
      return sendPage(reply, ResetPasswordPage({ page: pageContext(request, reply), form }), 400);
    }
  });
}
