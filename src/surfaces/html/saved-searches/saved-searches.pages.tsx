import { CsrfField, FormErrors, type FormState, TextInput } from '../../../kernel/web/forms.tsx';
import { Layout } from '../../../kernel/web/layout.tsx';
import type { PageContext } from '../../../kernel/web/page.ts';

/** Names the search or filtered list the reader came from, to keep it. */
export function SaveSearchPage({ page, form }: { page: PageContext; form: FormState }) {
  const query = form.values.query ?? '';
  const q = new URLSearchParams(query).get('q');
  return (
    <Layout page={page} title="Save this search">
      <div class="narrow-page">
        <h1>Save this search</h1>
        <p class="lede">
          {q ? (
            <>
              The search <strong>{q}</strong>
            </>
          ) : (
            'This filtered list'
          )}{' '}
          will be one click away on your saved searches page, with its own Atom feed of new matches, your mute list applied.
        </p>
        <form method="post" action="/searches" class="stacked-form" novalidate>
          <CsrfField token={page.csrfToken} />
          <FormErrors form={form} />
          <input type="hidden" name="query" value={query} />
          <TextInput form={form} name="name" label="Name" maxLength={100} required />
          <button type="submit" class="button primary">
            Save search
          </button>
        </form>
      </div>
    </Layout>
  );
}

type Saved = { id: number; name: string; path: string; feed: string };

export function SavedSearchesPage({ page, searches }: { page: PageContext; searches: Saved[] }) {
  return (
    <Layout page={page} title="Saved searches">
      <div class="narrow-page">
        <h1>Saved searches</h1>
        <p class="lede">
          Each feed address holds a secret: anyone with it sees that search’s new matches as your mute list leaves them. Delete the search
          to end its feed.
        </p>
        {searches.length === 0 ? (
          <p class="muted empty">Nothing saved yet. Search, or filter a list, then choose “Save this search”.</p>
        ) : (
          <ul class="saved-searches">
            {searches.map((search) => (
              <li>
                <a href={search.path}>{search.name}</a>
                <span class="muted">
                  {' · '}
                  <a href={search.feed}>Atom feed</a>
                </span>
                <form method="post" action={`/searches/${search.id}/delete`} class="inline-form">
                  <CsrfField token={page.csrfToken} />{' '}
                  <button type="submit" class="link-button" aria-label={`Delete ${search.name}`}>
                    Delete
                  </button>
                </form>
              </li>
            ))}
          </ul>
        )}
      </div>
    </Layout>
  );
}
