import { CsrfField, FormatHelp, FormatSelect, FormErrors, type FormState, TextArea, TextInput } from '../../../kernel/web/forms.tsx';
import { Layout } from '../../../kernel/web/layout.tsx';
import type { PageContext } from '../../../kernel/web/page.ts';
import { EmailSection } from './email.pages.tsx';
import { NewPasswordFields } from './password-fields.tsx';

type Props = {
  page: PageContext;
  profile: FormState;
  password: FormState;
  /** Null when the archive sends no mail. */
  email: { form: FormState; verified: boolean } | null;
  saved: 'profile' | 'password' | null;
};

const SAVED = {
  profile: 'Your profile is saved.',
  password: 'Your password is changed. Other devices have been signed out, and your API tokens ended.',
};

export function AccountSettingsPage({ page, profile, password, email, saved }: Props) {
  return (
    <Layout page={page} title="Account settings">
      <div class="narrow-page">
        <h1>Account settings</h1>
        {saved && (
          <p class="notice" role="status">
            {SAVED[saved]}
          </p>
        )}
        <section aria-labelledby="profile">
          <h2 id="profile">Profile</h2>
          <form method="post" action="/settings/profile" class="stacked-form" novalidate>
            <CsrfField token={page.csrfToken} />
            <FormErrors form={profile} />
            <TextInput form={profile} name="display_name" label="Display name" required maxLength={60} />
            <FormatSelect form={profile} name="bio_format" label="Bio format" />
            <TextArea
              form={profile}
              name="bio"
              label="About you (shown on your author page)"
              help={<FormatHelp />}
              rows={5}
              maxLength={2000}
            />
            <button type="submit" class="button primary">
              Save profile
            </button>
          </form>
        </section>
        {email && <EmailSection page={page} form={email.form} verified={email.verified} />}
        <section aria-labelledby="password-heading">
          <h2 id="password-heading">Password</h2>
          <p class="muted">A new password signs out your other devices and ends your API tokens.</p>
          <form method="post" action="/settings/password" class="stacked-form" novalidate>
            <CsrfField token={page.csrfToken} />
            <FormErrors form={password} />
            <TextInput
              form={password}
              name="current_password"
              label="Current password"
              type="password"
              required
              autocomplete="current-password"
            />
            <NewPasswordFields form={password} />
            <button type="submit" class="button">
              Change password
            </button>
          </form>
        </section>
        <p>
          Reading preferences are on the <a href="/settings/reading">reading settings</a> page; tags and authors you never want to see are
          on your <a href="/settings/mutes">mute list</a>; searches you keep, with their feeds, are on{' '}
          <a href="/settings/searches">saved searches</a>; what you hear about is in{' '}
          <a href="/settings/notifications">notification settings</a>; your username, a download of everything and deleting your account are
          under <a href="/settings/data">your data</a>; reading apps connect through the <a href="/settings/catalog">catalog</a>, and
          scripts through the API with <a href="/settings/tokens">API tokens</a>.
        </p>
      </div>
    </Layout>
  );
}
