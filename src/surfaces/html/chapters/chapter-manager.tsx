import type { Story } from '../../../kernel/db/schema.ts';
import { CsrfField } from '../../../kernel/web/forms.tsx';
import type { PageContext } from '../../../kernel/web/page.ts';
import { storyPath } from '../../../kernel/web/paths.ts';
import type { ChapterHeading } from '../../../modules/stories/stories.service.ts';

type Props = { page: PageContext; story: Story; chapters: ChapterHeading[] };

/** The author's tools on their story page: edit, reorder, publish state. Plain forms, no script. */
export function ChapterManager({ page, story, chapters }: Props) {
  const base = storyPath(story);
  return (
    <section class="manager" aria-labelledby="manage">
      <h2 id="manage">Manage this story</h2>
      <p class="inline-actions">
        <a class="button" href={`${base}/edit`}>
          Edit story details
        </a>{' '}
        <a class="button primary" href={`${base}/chapters/new`}>
          Add a chapter
        </a>
      </p>
      {chapters.length > 0 && (
        <ol class="manage-list">
          {chapters.map((chapter, index) => (
            <li>
              <div class="manage-title">
                {chapter.title}{' '}
                {chapter.published_at === null ? <span class="badge draft">Draft</span> : <span class="badge">Published</span>}
              </div>
              <div class="manage-actions">
                <a href={`${base}/chapters/${chapter.id}/edit`}>Edit</a>
                <MoveButton
                  page={page}
                  action={`${base}/chapters/${chapter.id}/move`}
                  direction="up"
                  disabled={index === 0}
                  title={chapter.title}
                />
                <MoveButton
                  page={page}
                  action={`${base}/chapters/${chapter.id}/move`}
                  direction="down"
                  disabled={index === chapters.length - 1}
                  title={chapter.title}
                />
                {chapters.length > 2 && (
                  <form method="post" action={`${base}/chapters/${chapter.id}/move`} class="inline-form position-form">
                    <CsrfField token={page.csrfToken} />
                    <label for={`position-${chapter.id}`} class="visually-hidden">
                      New position for “{chapter.title}”
                    </label>
                    <input
                      id={`position-${chapter.id}`}
                      name="position"
                      type="number"
                      inputmode="numeric"
                      min={1}
                      max={chapters.length}
                      value={index + 1}
                      class="position-input"
                    />
                    <button type="submit" class="link-button">
                      Move
                    </button>
                  </form>
                )}
                <a href={`${base}/chapters/${chapter.id}/delete`}>Delete</a>
              </div>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

type MoveProps = { page: PageContext; action: string; direction: 'up' | 'down'; disabled: boolean; title: string };

function MoveButton({ page, action, direction, disabled, title }: MoveProps) {
  return (
    <form method="post" action={action} class="inline-form">
      <CsrfField token={page.csrfToken} />
      <input type="hidden" name="direction" value={direction} />
      <button type="submit" class="link-button" disabled={disabled} aria-label={`Move “${title}” ${direction}`}>
        {direction === 'up' ? '↑ Up' : '↓ Down'}
      </button>
    </form>
  );
}
