import { Layout } from '../../kernel/web/layout.tsx';
import type { PageContext } from '../../kernel/web/page.ts';

/** Where a reader app finds the catalog, and what to sign in with for the reader's own shelves. */
export function CatalogSettingsPage({ page, token, url }: { page: PageContext; token: string; url: string }) {
  return (
    <Layout page={page} title="Reading apps">
      <div class="narrow-page">
        <h1>Reading apps (OPDS)</h1>
        <p>
          KOReader, Moon+ Reader, Thorium, calibre and other reading apps can browse, search and download stories from this archive's
          catalog. Add it in the app as an OPDS catalog:
        </p>
        <p>
          <code>{url.startsWith('/') ? `this archive's address followed by ${url}` : url}</code>
        </p>
        <p>To see your shelves and saved searches there, sign in in the app with:</p>
        <dl>
          <dt>Username</dt>
          <dd>
            <code>{page.viewer?.username}</code>
          </dd>
          <dt>Password (your catalog token, not your password)</dt>
          <dd>
            <code>{token}</code>
          </dd>
        </dl>
        <p class="muted">Changing your password makes a new token and stops the old one.</p>
      </div>
    </Layout>
  );
}
