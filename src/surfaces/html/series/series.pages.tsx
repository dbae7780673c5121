import { plural } from '../../../kernel/web/format.ts';
import { CsrfField, FormErrors, type FormState, TextArea, TextInput } from '../../../kernel/web/forms.tsx';
import { Layout } from '../../../kernel/web/layout.tsx';
import type { PageContext } from '../../../kernel/web/page.ts';
import { authorPath, storyPath } from '../../../kernel/web/paths.ts';
import type { PartRow, SeriesPlace } from '../../../modules/series/series.service.ts';

/** "Part 2 of 5 in The Saga", with the parts either side, under a story's title. */
export function SeriesNav({ series }: { series: SeriesPlace[] }) {
  const placed = series.filter((s) => s.part > 0);
  if (placed.length === 0) return null;
  return (
    <nav class="series-nav" aria-label="Series">
      {placed.map((s) => (
        <p>
          {s.previous && (
            <a href={storyPath(s.previous)} rel="prev">
              ‹ {s.previous.title}
            </a>
          )}{' '}
          Part {s.part} of {s.of} in <a href={`/series/${s.id}`}>{s.title}</a>{' '}
          {s.next && (
            <a href={storyPath(s.next)} rel="next">
              {s.next.title} ›
            </a>
          )}
        </p>
      ))}
    </nav>
  );
}

type SeriesPageProps = {
  page: PageContext;
  series: { id: number; title: string; description: string; owner_username: string; owner_display_name: string };
  parts: PartRow[];
  own: boolean;
  addable: { id: number; title: string }[];
};

/** A series: its stories in order; its owner adds, removes and reorders them here. */
export function SeriesPage({ page, series, parts, own, addable }: SeriesPageProps) {
  const action = (storyId: number, what: string, label: string) => (
    <form method="post" action={`/series/${series.id}/parts/${storyId}/${what}`} class="inline-form">
      <CsrfField token={page.csrfToken} />
      <button type="submit" class="link-button">
        {label}
      </button>
    </form>
  );
  return (
    <Layout page={page} title={series.title}>
      <div class="narrow-page">
        <h1>{series.title}</h1>
        <p class="muted">
          A series by <a href={authorPath(series.owner_username)}>{series.owner_display_name}</a> · {plural(parts.length, 'part')}
        </p>
        {series.description && <p class="summary lede">{series.description}</p>}
        <ol class="series-parts">
          {parts.map((part, index) => (
            <li>
              <a href={storyPath(part)}>{part.title}</a> <span class="muted">{plural(part.word_count, 'word')}</span>
              {part.summary && <p class="muted">{part.summary}</p>}
              {own && (
                <span class="part-actions">
                  {index > 0 && action(part.id, 'up', 'Move up')} {index < parts.length - 1 && action(part.id, 'down', 'Move down')}{' '}
                  {action(part.id, 'remove', 'Remove')}
                </span>
              )}
            </li>
          ))}
        </ol>
        {own && addable.length > 0 && (
          <form method="post" action={`/series/${series.id}/parts`} class="inline-form">
            <CsrfField token={page.csrfToken} />
            <label for="story_id">Add a story</label>{' '}
            <select id="story_id" name="story_id">
              {addable.map((story) => (
                <option value={String(story.id)}>{story.title}</option>
              ))}
            </select>{' '}
            <button type="submit" class="button">
              Add
            </button>
          </form>
        )}
      </div>
    </Layout>
  );
}

export function NewSeriesPage({ page, form, mine }: { page: PageContext; form: FormState; mine: { id: number; title: string }[] }) {
  return (
    <Layout page={page} title="Series">
      <div class="narrow-page">
        <h1>Your series</h1>
        {mine.length > 0 && (
          <ul>
            {mine.map((s) => (
              <li>
                <a href={`/series/${s.id}`}>{s.title}</a>
              </li>
            ))}
          </ul>
        )}
        <h2>Start a series</h2>
        <form method="post" action="/series" class="stacked-form" novalidate>
          <CsrfField token={page.csrfToken} />
          <FormErrors form={form} />
          <TextInput form={form} name="title" label="Title" required maxLength={200} />
          <TextArea form={form} name="description" label="Description (optional)" rows={3} maxLength={2000} />
          <button type="submit" class="button primary">
            Start the series
          </button>
        </form>
      </div>
    </Layout>
  );
}
