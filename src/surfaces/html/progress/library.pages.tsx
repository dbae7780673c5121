import { formatDate } from '../../../kernel/web/format.ts';
import { PostButton } from '../../../kernel/web/forms.tsx';
import { Layout } from '../../../kernel/web/layout.tsx';
import type { PageContext } from '../../../kernel/web/page.ts';
import { chapterPath, storyPath } from '../../../kernel/web/paths.ts';
import type { HistoryRow } from '../../../modules/progress/progress.service.ts';
import { Invitations } from '../coauthors/coauthors.pages.tsx';

/** "Continue: chapter 7, 40%": a link back to the place, for the home page, the story page and the library. */
export function ContinueLink({
  story,
  place,
}: {
  story: { id: number; slug: string };
  place: { chapterId: number; chapterNumber: number; chapterTitle: string; percent: number };
}) {
  return (
    <a class="continue-link" href={`${chapterPath(story, { id: place.chapterId, title: place.chapterTitle })}#continue`}>
      Continue: chapter {place.chapterNumber}, {place.percent}%
    </a>
  );
}

const placeOf = (row: HistoryRow) => ({
  chapterId: row.chapter_id,
  chapterNumber: row.chapter_number,
  chapterTitle: row.chapter_title,
  position: row.position,
  percent: Math.round(row.position / 10),
});
const storyOf = (row: HistoryRow) => ({ id: row.story_id, slug: row.story_slug });

/** The stories a reader is in the middle of, at the top of the home page. */
export function ContinueReading({ rows }: { rows: HistoryRow[] }) {
  if (rows.length === 0) return null;
  return (
    <section class="continue-reading" aria-labelledby="continue-heading">
      <h2 id="continue-heading">Continue reading</h2>
      <ul>
        {rows.map((row) => (
          <li>
            <a href={storyPath(storyOf(row))}>{row.story_title}</a> · <ContinueLink story={storyOf(row)} place={placeOf(row)} />
          </li>
        ))}
      </ul>
      <p class="muted">
        <a href="/library">Your library</a>
      </p>
    </section>
  );
}

type LibraryProps = { page: PageContext; rows: HistoryRow[]; q: string; invitations: Parameters<typeof Invitations>[0]['invitations'] };

/** The reader's library: their reading history, searchable and clearable, and their shelves. */
export function LibraryPage({ page, rows, q, invitations }: LibraryProps) {
  return (
    <Layout page={page} title="Your library">
      <div class="narrow-page">
        <h1>Your library</h1>
        <p class="muted">
          <a href="/shelves">Your shelves</a> · <a href="/series">Your series</a> · <a href="/following">Following</a> ·{' '}
          <a href="/notifications">Notifications</a>
        </p>
        <Invitations page={page} invitations={invitations} />
        <h2>Reading history</h2>
        <form method="get" action="/library" class="search-box">
          <label for="history-q" class="visually-hidden">
            Search your history by title
          </label>
          <input type="search" id="history-q" name="q" value={q} placeholder="Title" maxLength={200} />{' '}
          <button type="submit" class="button">
            Search
          </button>
        </form>
        {rows.length === 0 ? (
          <p class="muted">
            {q ? 'No story in your history has that in its title.' : 'Stories you read appear here, with where you stopped.'}
          </p>
        ) : (
          <ul class="history">
            {rows.map((row) => (
              <li>
                <a href={storyPath(storyOf(row))}>{row.story_title}</a> · <ContinueLink story={storyOf(row)} place={placeOf(row)} />{' '}
                <span class="muted">{formatDate(row.updated_at)}</span>{' '}
                <PostButton csrf={page.csrfToken} action={`/library/forget/${row.story_id}`} label="Remove" look="link" />
              </li>
            ))}
          </ul>
        )}
        {rows.length > 0 && !q && <PostButton csrf={page.csrfToken} action="/library/forget" label="Clear reading history" />}
      </div>
    </Layout>
  );
}
