import { CsrfField } from './forms.tsx';
import { Layout } from './layout.tsx';
import type { PageContext } from './page.ts';

type ConfirmProps = { page: PageContext; title: string; question: string; action: string; back: string };

/** Asks once before something that cannot be undone. */
export function ConfirmPage({ page, title, question, action, back }: ConfirmProps) {
  return (
    <Layout page={page} title={title}>
      <div class="narrow-page">
        <h1>{title}</h1>
        <p>{question}</p>
        <form method="post" action={action} class="inline-actions">
          <CsrfField token={page.csrfToken} />
          <button type="submit" class="button danger">
            Delete
          </button>{' '}
          <a href={back}>Cancel</a>
        </form>
      </div>
    </Layout>
  );
}
