import { storedHtml } from '../../../kernel/text/render.ts';
import { assetHref } from '../../../kernel/web/assets.ts';
import { formatDate, isoDate, plural } from '../../../kernel/web/format.ts';
import { Layout } from '../../../kernel/web/layout.tsx';
import type { PageContext } from '../../../kernel/web/page.ts';
import { chapterPath, storyPath } from '../../../kernel/web/paths.ts';
import type { Preferences } from '../../../kernel/web/preferences.ts';
import { UserHtml } from '../../../kernel/web/user-html.tsx';
import type { ChapterReading as Reading } from '../../../modules/reader/reader.service.ts';

/** A chapter as its page shows it: the reading, and how many comments wait below it. */
export type ChapterReading = Reading & { comments: number };

type ReaderProps = { page: PageContext; reading: ChapterReading };

/**
 * Previous, contents (with the "Aa" reading settings beside it at the top) and next, named. Each
 * row fits a 320 px phone: the next chapter's title is cut with an ellipsis rather than wrapped.
 */
function ChapterNav({ page, reading, place }: { page: PageContext; reading: ChapterReading; place: 'top' | 'bottom' }) {
  const { story, previous, next } = reading;
  return (
    <nav class={`chapter-nav chapter-nav-${place}`} aria-label={place === 'top' ? 'Chapters' : 'Chapters (end)'}>
      {previous ? (
        <a href={chapterPath(story, previous)} rel="prev" class="nav-previous">
          ‹ <span class="nav-word">Previous</span>
        </a>
      ) : (
        <span class="nav-placeholder" aria-hidden="true" />
      )}
      <div class="nav-middle">
        <a href={`${storyPath(story)}#contents`}>Contents</a>
        {place === 'top' && <ReaderSettings page={page} compact />}
      </div>
      {next ? (
        <a href={chapterPath(story, next)} rel="next" class="nav-next">
          <span class="next-label">Next: {next.title}</span> ›
        </a>
      ) : (
        <span class="nav-placeholder" aria-hidden="true" />
      )}
    </nav>
  );
}

/** Every readable chapter, to jump far in one step; a list of links in a <details>, so no script is needed. */
function JumpList({ reading }: { reading: ChapterReading }) {
  if (reading.chapters.length < 3) return null;
  return (
    <details class="jump-list">
      <summary>All {reading.chapters.length} chapters</summary>
      <ol>
        {reading.chapters.map((place) => (
          <li>
            {place.id === reading.chapter.id ? (
              <span aria-current="page">{place.title}</span>
            ) : (
              <a href={chapterPath(reading.story, place)}>{place.title}</a>
            )}
          </li>
        ))}
      </ol>
    </details>
  );
}

/** "5 min read" at 230 words a minute, a common adult reading pace for fiction. */
export function readingTime(words: number): string {
  const minutes = Math.max(1, Math.round(words / 230));
  return minutes < 60 ? `${minutes} min read` : `${Math.floor(minutes / 60)} h ${minutes % 60} min read`;
}

export function AuthorsNote({ html, place }: { html: string; place: 'before' | 'after' }) {
  if (!html) return null;
  return (
    <details class={`authors-note note-${place}`} open>
      <summary>Author's note</summary>
      <UserHtml html={storedHtml(html)} class="note-body" />
    </details>
  );
}

export function ChapterReaderPage({ page, reading }: ReaderProps) {
  const { story, chapter, number, next, canEdit } = reading;
  return (
    <Layout
      page={page}
      title={`${chapter.title} · ${chapter.story_title}`}
      description={chapter.story_summary}
      share={{ canonical: chapterPath(story, chapter), type: 'article' }}
    >
      <article class="reader" data-story={story.id} data-chapter={chapter.id}>
        <header class="reader-header">
          <p class="reader-story">
            <a href={storyPath(story)}>{chapter.story_title}</a>{' '}
            <span class="muted">by {chapter.original_author || chapter.author_display_name}</span>
          </p>
          <h1>{chapter.title}</h1>
          <p class="muted reader-meta">
            Chapter {number} of {reading.total} · {plural(chapter.word_count, 'word')} · {readingTime(chapter.word_count)}
            {chapter.published_at !== null ? (
              <>
                {' '}
                · <time datetime={isoDate(chapter.published_at)}>{formatDate(chapter.published_at)}</time>
              </>
            ) : (
              <span class="badge draft">Draft</span>
            )}
            {canEdit && (
              <>
                {' '}
                · <a href={`${chapterPath(story, chapter)}/edit`}>Edit</a>
              </>
            )}
          </p>
          <ChapterNav page={page} reading={reading} place="top" />
          <JumpList reading={reading} />
        </header>
        <AuthorsNote html={chapter.note_before_html} place="before" />
        <UserHtml html={storedHtml(chapter.body_html)} class="prose chapter-text" as="section" />
        <script src={assetHref('reader.js')} defer />
        <AuthorsNote html={chapter.note_after_html} place="after" />
        {!next && chapter.story_status === 'complete' && <p class="the-end">The End</p>}
        <ChapterNav page={page} reading={reading} place="bottom" />
        {chapter.published_at !== null && (
          <p class="comments-link">
            <a href={`${chapterPath(story, chapter)}/comments`}>
              {reading.comments > 0 ? `Comments (${reading.comments})` : 'Leave a comment'}
            </a>
          </p>
        )}
      </article>
    </Layout>
  );
}

const SIZES = [1, 2, 3, 4, 5] as const;

/**
 * The reading settings form. Works without JavaScript: it posts, sets a cookie (and, for a signed-in
 * reader, saves them on the account), and comes back to the same page at the control. On a chapter,
 * a small script makes "the same place" the paragraph being read.
 */
export function ReaderSettings({ page, compact = false }: { page: PageContext; compact?: boolean }) {
  const form = <ReaderSettingsForm page={page} returnTo={compact ? `${page.path.split('#')[0]}#reading-settings` : page.path} />;
  if (!compact) return form;
  return (
    <details class="reader-settings compact" id="reading-settings">
      <summary>
        Aa<span class="visually-hidden"> reading settings</span>
      </summary>
      {form}
    </details>
  );
}

function ReaderSettingsForm({ page, returnTo }: { page: PageContext; returnTo: string }) {
  const p: Preferences = page.preferences;
  const radio = (name: keyof Preferences, value: string | number, label: string) => (
    <label class="choice">
      <input type="radio" name={name} value={String(value)} checked={String(p[name]) === String(value)} /> {label}
    </label>
  );
  return (
    <form method="post" action="/settings/reading" class="reader-settings-form">
      <input type="hidden" name="return" value={returnTo} />
      <fieldset>
        <legend>Theme</legend>
        {radio('theme', 'auto', 'Follow my device')}
        {radio('theme', 'light', 'Light')}
        {radio('theme', 'sepia', 'Sepia')}
        {radio('theme', 'dark', 'Dark')}
      </fieldset>
      <fieldset>
        <legend>Text size</legend>
        {SIZES.map((size) => radio('size', size, ['Smallest', 'Small', 'Medium', 'Large', 'Largest'][size - 1] ?? ''))}
      </fieldset>
      <fieldset>
        <legend>Column width</legend>
        {radio('width', 'narrow', 'Narrow')}
        {radio('width', 'medium', 'Medium')}
        {radio('width', 'wide', 'Wide')}
      </fieldset>
      <fieldset>
        <legend>Typeface</legend>
        {radio('font', 'serif', 'Serif')}
        {radio('font', 'sans', 'Sans-serif')}
      </fieldset>
      <button type="submit" class="button">
        Apply
      </button>
    </form>
  );
}

export function ReadingSettingsPage({ page }: { page: PageContext }) {
  return (
    <Layout page={page} title="Reading settings">
      <div class="narrow-page">
        <h1>Reading settings</h1>
        <p class="lede">
          {page.viewer
            ? 'These are saved on your account, so every device you log in on uses them.'
            : 'These apply on this device and are kept in a cookie. Log in to keep them on every device.'}
        </p>
        <ReaderSettings page={page} />
        <section class="prose sample" aria-label="Sample text">
          <p>
            It was a ledge peaked at the top of a beautiful canal. The water was flowing clean through the stream below. For a moment, I
            considered jumping off the edge, and letting myself fall in the soft water.
          </p>
        </section>
      </div>
    </Layout>
  );
}
