import { CsrfField, FormErrors, type FormState, TextInput } from '../../../kernel/web/forms.tsx';
import { Layout } from '../../../kernel/web/layout.tsx';
import type { PageContext } from '../../../kernel/web/page.ts';
import { NewPasswordFields } from './password-fields.tsx';

/** The e-mail part of account settings (shown only when the archive sends mail). */
export function EmailSection({ page, form, verified }: { page: PageContext; form: FormState; verified: boolean }) {
  const address = form.values.email ?? '';
  return (
    <section aria-labelledby="email-heading">
      <h2 id="email-heading">E-mail</h2>
      <p class="muted">
        Optional. Used for password resets and the notifications you choose to receive by mail; never shown to anyone.
        {address && (verified ? ' This address is verified.' : ' This address is not verified yet: follow the link we sent to it.')}
      </p>
      <form method="post" action="/settings/email" class="stacked-form" novalidate>
        <CsrfField token={page.csrfToken} />
        <FormErrors form={form} />
        <TextInput form={form} name="email" label="E-mail address" type="email" autocomplete="email" maxLength={254} />
        <button type="submit" class="button">
          {address ? 'Save address (leave empty to remove it)' : 'Save address'}
        </button>
      </form>
    </section>
  );
}

export function ForgotPasswordPage({ page, sent }: { page: PageContext; sent: boolean }) {
  return (
    <Layout page={page} title="Forgot your password?">
      <div class="narrow-page">
        <h1>Forgot your password?</h1>
        {sent ? (
          <p class="notice" role="status">
            If an account with a verified address matches, a link to reset its password is on its way. It works for two hours.
          </p>
        ) : (
          <form method="post" action="/forgot-password" class="stacked-form" novalidate>
            <CsrfField token={page.csrfToken} />
            <TextInput form={{ values: {}, errors: {} }} name="login" label="Username or e-mail address" required autocomplete="username" />
            <button type="submit" class="button primary">
              Send me a link
            </button>
          </form>
        )}
      </div>
    </Layout>
  );
}

export function ResetPasswordPage({ page, form }: { page: PageContext; form: FormState }) {
  return (
    <Layout page={page} title="Choose a new password">
      <div class="narrow-page">
        <h1>Choose a new password</h1>
        <form method="post" action="/reset-password" class="stacked-form" novalidate>
          <CsrfField token={page.csrfToken} />
          <input type="hidden" name="token" value={form.values.token ?? ''} />
          <FormErrors form={form} />
          <NewPasswordFields form={form} />
          <button type="submit" class="button primary">
            Set password and log in again
          </button>
        </form>
      </div>
    </Layout>
  );
}
