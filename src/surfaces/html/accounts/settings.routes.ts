import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Context } from '../../../kernel/context.ts';
import { ACCESS, declared } from '../../../kernel/web/access.ts';
import { staleFormReason, staleStatus } from '../../../kernel/web/csrf.ts';
import { emptyForm, type FormState } from '../../../kernel/web/forms.tsx';
import { pageContext, sendPage } from '../../../kernel/web/page.ts';
import { requireViewer } from '../../../kernel/web/params.ts';
import { passwordRate, writeRate } from '../../../kernel/web/rate-limits.ts';
import { formFailure, formValues, parseInput } from '../../../kernel/web/validation.ts';
import { PasswordChangeSchema, ProfileSchema } from '../../../modules/accounts/accounts.schema.ts';
import * as accounts from '../../../modules/accounts/accounts.service.ts';
import { changePassword, updateProfile } from '../../../modules/accounts/accounts.service.ts';
import { SESSION_COOKIE } from '../../../modules/accounts/sessions.ts';
import { AccountSettingsPage } from './settings.pages.tsx';

const PASSWORD_FIELDS = ['current_password', 'password', 'password_confirmation'];

type SettingsForms = { profile?: FormState; password?: FormState; email?: FormState };

/** Renders account settings with the stored values, except where a failed form supplies its own state. */
export async function renderAccountSettings(
  ctx: Context,
  request: FastifyRequest,
  reply: FastifyReply,
  forms: SettingsForms,
  status = 200,
) {
  // A profile form shown again after an expired session needs no account to fill it.
  const user = forms.profile ? null : await accounts.findUserById(ctx.db, requireViewer(request).id);
  const profile =
    forms.profile ?? emptyForm({ display_name: user?.display_name ?? '', bio: user?.bio ?? '', bio_format: user?.bio_format ?? 'text' });
  const { saved } = request.query as { saved?: string };
  const page = pageContext(request, reply);
  const password = forms.password ?? emptyForm();
  const notice = saved === 'profile' || saved === 'password' ? saved : null;
  const email = ctx.mailer
    ? { form: forms.email ?? emptyForm({ email: user?.email ?? '' }), verified: user ? user.email_verified_at !== null : false }
    : null;
  return sendPage(reply, AccountSettingsPage({ page, profile, password, email, saved: notice }), status);
}

export async function settingsRoutes(app: FastifyInstance, ctx: Context) {
  const render = (request: FastifyRequest, reply: FastifyReply, forms: SettingsForms, status = 200) =>
    renderAccountSettings(ctx, request, reply, forms, status);

  app.get('/settings/account', (request, reply) => render(request, reply, {}));

  app.post('/settings/profile', declared(ACCESS.editor, writeRate), async (request, reply) => {
    const values = formValues(request.body);
    const stale = staleFormReason(request, reply);
    if (stale) return render(request, reply, { profile: { values, errors: {}, message: stale } }, staleStatus(request));
    const viewer = requireViewer(request);
    try {
      await updateProfile(ctx, viewer, parseInput(ProfileSchema, values));
      return reply.redirect('/settings/account?saved=profile', 303);
    } catch (error) {
      return render(request, reply, { profile: formFailure(error, values) }, 400);
    }
  });

  app.post('/settings/password', declared(ACCESS.account, passwordRate), async (request, reply) => {
    const viewer = requireViewer(request);
    const values = formValues(request.body);
    try {
      const input = parseInput(PasswordChangeSchema, values);
      await changePassword(ctx, viewer, request.cookies[SESSION_COOKIE] ?? '', input);
      return reply.redirect('/settings/account?saved=password', 303);
    } catch (error) {
      return render(request, reply, { password: formFailure(error, values, PASSWORD_FIELDS) }, 400);
    }
  });
}
