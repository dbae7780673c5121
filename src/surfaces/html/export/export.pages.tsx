import { storedHtml } from '../../../kernel/text/render.ts';
import { plural } from '../../../kernel/web/format.ts';
import { Layout } from '../../../kernel/web/layout.tsx';
import type { PageContext } from '../../../kernel/web/page.ts';
import { storyPath } from '../../../kernel/web/paths.ts';
import { UserHtml } from '../../../kernel/web/user-html.tsx';
import { FORMATS } from '../../../modules/export/export.service.ts';
import type { ChapterText, StoryHead } from '../../../modules/export/story-document.ts';
import { AuthorsNote, ReaderSettings } from '../reader/reader.pages.tsx';

/** "Download: EPUB · HTML · Plain text · Markdown · Entire story", under a story. */
export function DownloadLinks({ story }: { story: { id: number } }) {
  return (
    <p class="downloads muted">
      Download:{' '}
      {Object.entries(FORMATS).map(([format, { label }], index) => (
        <>
          {index > 0 && ' · '}
          <a href={`/stories/${story.id}/download/${format}`} download>
            {label}
          </a>
        </>
      ))}{' '}
      · <a href={`/stories/${story.id}/full`}>Entire story on one page</a>
    </p>
  );
}

/** Every published chapter on one page, with its notes, for reading straight through or printing. */
export function EntireStoryPage({ page, head, chapters }: { page: PageContext; head: StoryHead; chapters: ChapterText[] }) {
  const { story } = head;
  const words = head.chapters.reduce((sum, chapter) => sum + chapter.word_count, 0);
  return (
    <Layout page={page} title={story.title} description={story.summary} share={{ canonical: `${storyPath(story)}/full`, type: 'article' }}>
      <article class="reader">
        <header class="reader-header">
          <p class="reader-story">
            <a href={storyPath(story)}>{story.title}</a> <span class="muted">by {story.original_author || story.author_display_name}</span>
          </p>
          <h1>{story.title}</h1>
          <p class="muted reader-meta">
            {plural(chapters.length, 'chapter')} · {plural(words, 'word')}
          </p>
          <ReaderSettings page={page} compact />
          <nav aria-label="Chapters">
            <ol class="toc">
              {chapters.map((chapter) => (
                <li>
                  <a href={`#chapter-${chapter.position}`}>{chapter.title}</a>
                </li>
              ))}
            </ol>
          </nav>
        </header>
        {chapters.map((chapter) => (
          <section class="whole-chapter" id={`chapter-${chapter.position}`} aria-labelledby={`chapter-${chapter.position}-title`}>
            <h2 id={`chapter-${chapter.position}-title`}>{chapter.title}</h2>
            <AuthorsNote html={chapter.note_before_html} place="before" />
            <UserHtml html={storedHtml(chapter.body_html)} class="prose chapter-text" as="section" />
            <AuthorsNote html={chapter.note_after_html} place="after" />
          </section>
        ))}
        <p>
          <a href={storyPath(story)}>Back to the story</a>
        </p>
      </article>
    </Layout>
  );
}
