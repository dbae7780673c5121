import { CsrfField, FormErrors, type FormState, TextInput } from '../../../kernel/web/forms.tsx';
import { Layout } from '../../../kernel/web/layout.tsx';
import type { PageContext } from '../../../kernel/web/page.ts';
import { USERNAME_RULE } from '../../../modules/accounts/accounts.schema.ts';

type FormPageProps = { page: PageContext; form: FormState };

export function SignUpPage({ page, form }: FormPageProps) {
  return (
    <Layout page={page} title="Sign up">
      <div class="narrow-page">
        <h1>Sign up</h1>
        <p class="lede">
          Reading needs no account. With one, you can write and publish stories and import the ones you have published elsewhere. The first
          account on a new archive becomes its admin.
        </p>
        <form method="post" action="/signup" class="stacked-form" novalidate>
          <CsrfField token={page.csrfToken} />
          <FormErrors form={form} />
          <TextInput form={form} name="username" label="Username" help={USERNAME_RULE} required autocomplete="username" maxLength={30} />
          <TextInput form={form} name="display_name" label="Display name (optional)" maxLength={60} autocomplete="nickname" />
          <TextInput
            form={form}
            name="password"
            label="Password"
            type="password"
            help="At least 8 characters."
            required
            autocomplete="new-password"
          />
          <TextInput form={form} name="password_confirmation" label="Password again" type="password" required autocomplete="new-password" />
          <button type="submit" class="button primary">
            Create account
          </button>
        </form>
        <p>
          Already have an account? <a href="/login">Log in</a>.
        </p>
      </div>
    </Layout>
  );
}

/** `mail`: the archive sends mail, so a forgotten password can be reset by a link. */
export function LogInPage({ page, form, mail }: FormPageProps & { mail: boolean }) {
  return (
    <Layout page={page} title="Log in">
      <div class="narrow-page">
        <h1>Log in</h1>
        <form method="post" action="/login" class="stacked-form" novalidate>
          <CsrfField token={page.csrfToken} />
          <input type="hidden" name="next" value={form.values.next ?? '/'} />
          <FormErrors form={form} />
          <TextInput form={form} name="username" label="Username" required autocomplete="username" />
          <TextInput form={form} name="password" label="Password" type="password" required autocomplete="current-password" />
          <button type="submit" class="button primary">
            Log in
          </button>
        </form>
        <p>
          New here? <a href="/signup">Sign up</a>.
          {mail && (
            <>
              {' '}
              Forgot your password? <a href="/forgot-password">Reset it by e-mail</a>.
            </>
          )}
        </p>
      </div>
    </Layout>
  );
}

/** Where the archive's first account lands: what being the admin means and what to do next. */
export function WelcomePage({ page }: { page: PageContext }) {
  const admin = page.viewer?.role === 'admin';
  return (
    <Layout page={page} title="Welcome">
      <div class="narrow-page">
        <h1>Welcome, {page.viewer?.displayName}</h1>
        {admin ? (
          <>
            <p class="lede">You are the admin of this archive: the first account on a new archive runs it.</p>
            <p>Start the shelves with a story of your own, or import one you have published elsewhere (a story page saved as text).</p>
            <p class="inline-actions">
              <a class="button primary" href="/stories/new">
                Write a story
              </a>{' '}
              <a class="button" href="/import">
                Import a story
              </a>
            </p>
            <p class="muted">
              On the server, <code>oak user set-role NAME moderator</code> gives someone a role and{' '}
              <code>oak user reset-password NAME</code> sets a new password for someone locked out.
            </p>
          </>
        ) : (
          <>
            <p class="lede">Your account is ready.</p>
            <p class="inline-actions">
              <a class="button primary" href="/">
                Find something to read
              </a>{' '}
              <a class="button" href="/stories/new">
                Write a story
              </a>
            </p>
          </>
        )}
      </div>
    </Layout>
  );
}
