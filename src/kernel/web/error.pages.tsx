import { Layout } from './layout.tsx';
import type { PageContext } from './page.ts';

const TITLES: Record<number, string> = {
  400: 'That did not work',
  401: 'Log in first',
  403: 'Not yours to change',
  404: 'Not found',
  413: 'That file is too large',
  429: 'Slow down a little',
};

export function ErrorPage({ page, status, message }: { page: PageContext; status: number; message: string }) {
  const title = TITLES[status] ?? (status >= 500 ? 'Something went wrong on our side' : 'That did not work');
  return (
    <Layout page={page} title={title}>
      <div class="narrow-page error-page">
        <h1>{title}</h1>
        <p>{message}</p>
        <p>
          <a href="/">Back to the archive</a>
        </p>
      </div>
    </Layout>
  );
}
