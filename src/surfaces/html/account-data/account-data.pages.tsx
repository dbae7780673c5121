import type { Selectable } from 'kysely';
import type { AccountExportsTable } from '../../../kernel/db/schema.ts';
import { formatCount, formatDate } from '../../../kernel/web/format.ts';
import { ChoiceGroup, CsrfField, FormErrors, type FormState, PostButton, TextInput } from '../../../kernel/web/forms.tsx';
import { Layout } from '../../../kernel/web/layout.tsx';
import type { PageContext } from '../../../kernel/web/page.ts';
import { USERNAME_RULE } from '../../../modules/accounts/accounts.schema.ts';

type DataPageProps = { page: PageContext; username: FormState; exports: Selectable<AccountExportsTable>[] };

/** The account's own data: its name, a download of everything it holds, and the way out. */
export function AccountDataPage({ page, username, exports }: DataPageProps) {
  return (
    <Layout page={page} title="Your data">
      <div class="narrow-page">
        <h1>Your data and your account</h1>
        <section aria-labelledby="username-heading">
          <h2 id="username-heading">Username</h2>
          <p class="muted">Your author page moves to the new name; links to the old one keep working, and nobody else may take it.</p>
          <form method="post" action="/settings/username" class="stacked-form" novalidate>
            <CsrfField token={page.csrfToken} />
            <FormErrors form={username} />
            <TextInput
              form={username}
              name="username"
              label="New username"
              help={USERNAME_RULE}
              required
              maxLength={30}
              autocomplete="username"
            />
            <TextInput form={username} name="password" label="Your password" type="password" required autocomplete="current-password" />
            <button type="submit" class="button">
              Change username
            </button>
          </form>
        </section>
        <section aria-labelledby="download-heading">
          <h2 id="download-heading">Download everything</h2>
          <p class="muted">
            A zip of your profile, stories with every chapter (as JSON and as Markdown), comments, shelves, reading history and settings. It
            is made in the background and offered for seven days.
          </p>
          {exports.length > 0 && (
            <ul>
              {exports.map((row) => (
                <li>
                  Asked {formatDate(row.created_at)}:{' '}
                  {row.ready_at === null ? (
                    <span>being made… reload this page in a moment.</span>
                  ) : (
                    <a href={`/settings/export/${row.id}`} download>
                      Download ({formatCount(Math.ceil((row.bytes ?? 0) / 1024))} KB, until {formatDate(row.expires_at)})
                    </a>
                  )}
                </li>
              ))}
            </ul>
          )}
          <PostButton csrf={page.csrfToken} action="/settings/export" label="Make a download" />
        </section>
        <section aria-labelledby="delete-heading">
          <h2 id="delete-heading">Delete your account</h2>
          <p>
            <a href="/settings/delete">Delete your account…</a>
          </p>
        </section>
      </div>
    </Layout>
  );
}

const STORY_CHOICES = [
  { value: 'orphan', label: 'Leave my stories on the archive, credited to orphan_account (they stay readable, no longer linked to me)' },
  { value: 'delete', label: 'Delete my stories with my account' },
];

export function DeleteAccountPage({ page, form }: { page: PageContext; form: FormState }) {
  return (
    <Layout page={page} title="Delete your account">
      <div class="narrow-page">
        <h1>Delete your account</h1>
        <p>
          This cannot be undone. Your profile, shelves, follows, history and settings go. Your comments stay as “deleted” placeholders so
          replies to them keep their place. You may want to <a href="/settings/data">download everything</a> first.
        </p>
        <form method="post" action="/settings/delete" class="stacked-form" novalidate>
          <CsrfField token={page.csrfToken} />
          <FormErrors form={form} />
          <ChoiceGroup form={form} name="stories" label="Your stories" options={STORY_CHOICES} />
          <TextInput form={form} name="password" label="Your password" type="password" required autocomplete="current-password" />
          <label class="checkbox">
            <input type="checkbox" name="confirm" value="yes" /> I understand that my account is deleted for good.
          </label>
          <button type="submit" class="button danger">
            Delete my account
          </button>
        </form>
      </div>
    </Layout>
  );
}
