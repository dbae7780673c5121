import { storedHtml } from '../../text/render.ts';
import { formatDate, isoDate, plural } from '../../web/format.ts';
import { Layout } from '../../web/layout.tsx';
import type { PageContext } from '../../web/page.ts';
import { chapterPath, storyPath } from '../../web/paths.ts';
import type { Preferences } from '../../web/preferences.ts';
import { UserHtml } from '../../web/user-html.tsx';
import type { ChapterReading } from './reader.service.ts';

type ReaderProps = { page: PageContext; reading: ChapterReading };

function ChapterNav({ reading, place }: { reading: ChapterReading; place: 'top' | 'bottom' }) {
  const { storyId, previous, next } = reading;
  return (
    <nav class={`chapter-nav chapter-nav-${place}`} aria-label={place === 'top' ? 'Chapters' : 'Chapters (end)'}>
      {previous ? (
        <a href={chapterPath(storyId, previous.id)} rel="prev">
          ‹ Previous
        </a>
      ) : (
        <span class="nav-placeholder" aria-hidden="true" />
      )}
      <a href={`${storyPath(storyId)}#contents`}>Contents</a>
      {next ? (
        <a href={chapterPath(storyId, next.id)} rel="next">
          Next ›
        </a>
      ) : (
        <span class="nav-placeholder" aria-hidden="true" />
      )}
    </nav>
  );
}

function AuthorsNote({ html, place }: { html: string; place: 'before' | 'after' }) {
  if (!html) return null;
  return (
    <details class={`authors-note note-${place}`} open>
      <summary>Author's note</summary>
      <UserHtml html={storedHtml(html)} class="note-body" />
    </details>
  );
}

export function ChapterReaderPage({ page, reading }: ReaderProps) {
  const { storyId, chapter, number, next, canEdit } = reading;
  return (
    <Layout page={page} title={`${chapter.title} · ${chapter.story_title}`} description={chapter.story_summary}>
      <article class="reader">
        <header class="reader-header">
          <p class="reader-story">
            <a href={storyPath(storyId)}>{chapter.story_title}</a> <span class="muted">by {chapter.author_display_name}</span>
          </p>
          <h1>{chapter.title}</h1>
          <p class="muted reader-meta">
            Chapter {number} of {reading.total} · {plural(chapter.word_count, 'word')}
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
                · <a href={`${chapterPath(storyId, chapter.id)}/edit`}>Edit</a>
              </>
            )}
          </p>
          <ChapterNav reading={reading} place="top" />
        </header>
        <AuthorsNote html={chapter.note_before_html} place="before" />
        <UserHtml html={storedHtml(chapter.body_html)} class="prose chapter-text" as="section" />
        <AuthorsNote html={chapter.note_after_html} place="after" />
        {!next && chapter.story_status === 'complete' && <p class="the-end">The End</p>}
        <ChapterNav reading={reading} place="bottom" />
        <ReaderSettings page={page} />
      </article>
    </Layout>
  );
}

const SIZES = [1, 2, 3, 4, 5] as const;

/** The reading settings form. Works without JavaScript: it posts, sets a cookie, and comes back. */
export function ReaderSettings({ page, open = false }: { page: PageContext; open?: boolean }) {
  const p: Preferences = page.preferences;
  const radio = (name: keyof Preferences, value: string | number, label: string) => (
    <label class="choice">
      <input type="radio" name={name} value={String(value)} checked={String(p[name]) === String(value)} /> {label}
    </label>
  );
  return (
    <details class="reader-settings" open={open}>
      <summary>Reading settings</summary>
      <form method="post" action="/settings/reading">
        <input type="hidden" name="return" value={page.path} />
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
    </details>
  );
}

export function ReadingSettingsPage({ page }: { page: PageContext }) {
  return (
    <Layout page={page} title="Reading settings">
      <div class="narrow-page">
        <h1>Reading settings</h1>
        <p class="lede">These apply on this device and are kept in a cookie.</p>
        <ReaderSettings page={page} open />
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
