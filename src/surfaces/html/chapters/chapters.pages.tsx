import type { Chapter, Story } from '../../../kernel/db/schema.ts';
import type { SafeHtml } from '../../../kernel/text/render.ts';
import { assetHref } from '../../../kernel/web/assets.ts';
import { CsrfField, FormatHelp, FormatSelect, FormErrors, type FormState, TextArea, TextInput } from '../../../kernel/web/forms.tsx';
import { Layout } from '../../../kernel/web/layout.tsx';
import type { PageContext } from '../../../kernel/web/page.ts';
import { storyPath } from '../../../kernel/web/paths.ts';
import { UserHtml } from '../../../kernel/web/user-html.tsx';
import { AuthorsNote } from '../reader/reader.pages.tsx';

/** What the editor shows above the form after "Preview": the chapter as readers will see it. */
export type ChapterPreview = { body: SafeHtml; noteBefore: SafeHtml; noteAfter: SafeHtml; notices: string[]; words: number };

type Props = {
  page: PageContext;
  form: FormState;
  story: Pick<Story, 'id' | 'slug' | 'title'>;
  chapter?: Pick<Chapter, 'id' | 'title' | 'published_at'> | undefined;
  preview?: ChapterPreview | undefined;
};

export function ChapterFormPage({ page, form, story, chapter, preview }: Props) {
  const base = storyPath(story);
  const title = chapter ? `Edit “${chapter.title}”` : 'New chapter';
  const published = chapter?.published_at != null;
  return (
    <Layout page={page} title={title}>
      <div class="form-page">
        <p class="breadcrumb">
          <a href={base}>{story.title}</a>
        </p>
        <h1>{title}</h1>
        {preview && <Preview preview={preview} />}
        <form method="post" action={chapter ? `${base}/chapters/${chapter.id}` : `${base}/chapters`} class="stacked-form" novalidate>
          <CsrfField token={page.csrfToken} />
          <FormErrors form={form} />
          <TextInput form={form} name="title" label="Chapter title" required maxLength={200} />
          <FormatSelect form={form} name="format" label="Format" help="Used for the chapter and both author's notes." />
          <TextArea form={form} name="note_before" label="Author's note before the chapter (optional)" rows={3} />
          <TextArea form={form} name="body" label="Chapter text" help={<FormatHelp />} rows={24} />
          <TextArea form={form} name="note_after" label="Author's note after the chapter (optional)" rows={3} />
          {/* The first button is what Enter in a field presses: Preview changes nothing. */}
          <p class="inline-actions editor-actions">
            <button type="submit" name="action" value="preview" class="button" data-preview>
              Preview
            </button>{' '}
            <button type="submit" name="action" value="draft" class="button">
              {published ? 'Save and unpublish (draft)' : 'Save as draft'}
            </button>{' '}
            <button type="submit" name="action" value="publish" class="button primary">
              {published ? 'Save' : 'Publish'}
            </button>
          </p>
        </form>
      </div>
      <script src={assetHref('preview.js')} defer />
    </Layout>
  );
}

/** The chapter rendered by the same code that will render it on save, and what in it will not show as typed. */
function Preview({ preview }: { preview: ChapterPreview }) {
  return (
    <section class="preview" id="preview" aria-labelledby="preview-heading" tabindex={-1}>
      <h2 id="preview-heading">Preview</h2>
      <p class="muted">Not saved yet · {preview.words.toLocaleString('en')} words</p>
      {preview.notices.length > 0 && (
        <ul class="notices">
          {preview.notices.map((notice) => (
            <li>{notice}</li>
          ))}
        </ul>
      )}
      <AuthorsNote html={preview.noteBefore} place="before" />
      <UserHtml html={preview.body} class="prose chapter-text" />
      <AuthorsNote html={preview.noteAfter} place="after" />
    </section>
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
