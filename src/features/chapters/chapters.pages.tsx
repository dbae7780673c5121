import type { Chapter, Story } from '../../db/schema.ts';
import { CsrfField, FORMAT_HELP, FORMAT_OPTIONS, FormErrors, type FormState, Select, TextArea, TextInput } from '../../web/forms.tsx';
import { Layout } from '../../web/layout.tsx';
import type { PageContext } from '../../web/page.ts';
import { storyPath } from '../../web/paths.ts';

type Props = { page: PageContext; form: FormState; story: Story; chapter?: Chapter };

export function ChapterFormPage({ page, form, story, chapter }: Props) {
  const base = storyPath(story.id);
  const title = chapter ? `Edit “${chapter.title}”` : 'New chapter';
  const published = chapter?.published_at != null;
  return (
    <Layout page={page} title={title}>
      <div class="form-page">
        <p class="breadcrumb">
          <a href={base}>{story.title}</a>
        </p>
        <h1>{title}</h1>
        <form method="post" action={chapter ? `${base}/chapters/${chapter.id}` : `${base}/chapters`} class="stacked-form" novalidate>
          <CsrfField token={page.csrfToken} />
          <FormErrors form={form} />
          <TextInput form={form} name="title" label="Chapter title" required maxLength={200} />
          <Select form={form} name="format" label="Format" help="Used for the chapter and both author's notes." options={FORMAT_OPTIONS} />
          <TextArea form={form} name="note_before" label="Author's note before the chapter (optional)" rows={3} />
          <TextArea form={form} name="body" label="Chapter text" help={FORMAT_HELP} rows={24} />
          <TextArea form={form} name="note_after" label="Author's note after the chapter (optional)" rows={3} />
          <p class="inline-actions">
            <button type="submit" name="action" value="publish" class="button primary">
              {published ? 'Save' : 'Publish'}
            </button>{' '}
            <button type="submit" name="action" value="draft" class="button">
              {published ? 'Save and unpublish (draft)' : 'Save as draft'}
            </button>
          </p>
        </form>
      </div>
    </Layout>
  );
}

export function chapterFormValues(chapter: Chapter): Record<string, string> {
  return {
    title: chapter.title,
    format: chapter.format,
    body: chapter.body_source,
    note_before: chapter.note_before_source,
    note_after: chapter.note_after_source,
  };
}
