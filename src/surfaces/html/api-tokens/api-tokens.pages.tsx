import { formatDate } from '../../../kernel/web/format.ts';
import type { FormState } from '../../../kernel/web/forms.tsx';
import { ChoiceGroup, CsrfField, FormErrors, PostButton, TextInput } from '../../../kernel/web/forms.tsx';
import { Layout } from '../../../kernel/web/layout.tsx';
import type { PageContext } from '../../../kernel/web/page.ts';

type TokenRow = {
  id: number;
  name: string;
  scopes: string;
  created_at: number;
  expires_at: number | null;
  last_used_at: number | null;
  revoked_at: number | null;
};

const EXPIRY = [
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '365', label: 'A year' },
];
const SCOPES = [
  { value: 'read', label: 'Read (what you can see, your shelves included)' },
  { value: 'write', label: 'Write (stories, chapters and comments as you)' },
];

/** Personal access tokens: made here, shown once, revoked here. */
export function ApiTokensPage({
  page,
  tokens,
  form,
  created,
}: {
  page: PageContext;
  tokens: TokenRow[];
  form: FormState;
  created: string | null;
}) {
  return (
    <Layout page={page} title="API tokens">
      <div class="narrow-page">
        <h1>API tokens</h1>
        <p>
          Scripts and apps use the <a href="/api/v1/docs">API</a> as you with a personal access token. It is shown once, when made, and the
          archive keeps only a hash of it.
        </p>
        {created && (
          <p class="notice" role="status">
            Your new token (copy it now; it will not be shown again): <code class="token">{created}</code>
          </p>
        )}
        {tokens.length > 0 && (
          <ul class="history">
            {tokens.map((token) => (
              <li>
                <strong>{token.name}</strong> <span class="muted">({token.scopes})</span>{' '}
                <span class="muted">
                  made {formatDate(token.created_at)}
                  {token.expires_at ? `, ends ${formatDate(token.expires_at)}` : ''}
                  {token.last_used_at ? `, last used ${formatDate(token.last_used_at)}` : ', never used'}
                </span>{' '}
                {token.revoked_at === null ? (
                  <PostButton csrf={page.csrfToken} action={`/settings/tokens/${token.id}/revoke`} label="Revoke" look="link" />
                ) : (
                  <span class="badge">revoked</span>
                )}
              </li>
            ))}
          </ul>
        )}
        <h2>Make a token</h2>
        <form method="post" action="/settings/tokens" class="stacked-form" novalidate>
          <CsrfField token={page.csrfToken} />
          <FormErrors form={form} />
          <TextInput form={form} name="name" label="What it is for" required maxLength={100} />
          <ChoiceGroup form={form} name="scopes" label="What it may do" options={SCOPES} multiple />
          <ChoiceGroup form={form} name="expires" label="Ends after" options={EXPIRY} />
          <TextInput form={form} name="password" label="Your password" type="password" required autocomplete="current-password" />
          <button type="submit" class="button primary">
            Make the token
          </button>
        </form>
      </div>
    </Layout>
  );
}
