import type { Rating } from '../../../kernel/db/schema.ts';
import { Layout } from '../../../kernel/web/layout.tsx';
import type { PageContext } from '../../../kernel/web/page.ts';
import { RatingBadge } from '../parts/story-parts.tsx';

type Props = { page: PageContext; title: string; rating: Rating };

/** What a visitor without an account sees before a Mature, Explicit or Not rated story, once per browser session. */
export function AdultNoticePage({ page, title, rating }: Props) {
  const proceed = `/adult-content?return=${encodeURIComponent(page.path)}`;
  return (
    <Layout page={page} title={`Adult content: ${title}`}>
      <div class="narrow-page adult-notice">
        <h1>This story may contain adult content</h1>
        <p>
          “{title}” is rated <RatingBadge rating={rating} />.{' '}
          {rating === 'not_rated'
            ? 'Its author has not rated it, so it may contain anything.'
            : 'It may contain material unsuitable for some readers.'}
        </p>
        <p class="inline-actions">
          <a class="button primary" href={proceed} rel="nofollow">
            Proceed
          </a>{' '}
          <a class="button" href="/">
            Back to the archive
          </a>
        </p>
        <p class="muted">Your answer is remembered until you close the browser. Signed-in readers are not asked.</p>
      </div>
    </Layout>
  );
}
