import { CsrfField, Field, FormErrors, type FormState, TextInput } from '../../../kernel/web/forms.tsx';
import { Layout } from '../../../kernel/web/layout.tsx';
import type { PageContext } from '../../../kernel/web/page.ts';
import { OriginFields } from '../stories/stories.pages.tsx';

export function ImportPage({ page, form }: { page: PageContext; form: FormState }) {
  return (
    <Layout page={page} title="Import a story">
      <div class="form-page">
        <h1>Import a story</h1>
        <p class="lede">
          Bring a story page saved as text from FimFiction (its description, cover credit, chapter and author's notes), a story downloaded
          from FimFiction or AO3 (HTML, text or EPUB: tags, every chapter and its notes), or any EPUB: it becomes a story here. You can edit
          everything afterwards.
        </p>
        <form method="post" action="/import" enctype="multipart/form-data" class="stacked-form" novalidate>
          <CsrfField token={page.csrfToken} />
          <FormErrors form={form} />
          <Field
            form={form}
            name="file"
            label="Story page or FimFiction download (.txt), EPUB, or AO3 or FimFiction download (.html)"
            help="A story page up to 2 MB; a download or an EPUB up to 16 MB."
          >
            <input id="file" name="file" type="file" accept=".txt,.epub,.html,text/plain,text/html,application/epub+zip" required />
          </Field>
          <TextInput
            form={form}
            name="title"
            label="Title"
            help="The page has no title line; leave empty to use the file name."
            maxLength={200}
          />
          <OriginFields form={form} />
          <label class="checkbox">
            <input type="checkbox" name="publish" checked={form.values.publish === 'on'} /> Publish straight away (otherwise it is kept as a
            draft)
          </label>
          <button type="submit" class="button primary">
            Import
          </button>
        </form>
      </div>
    </Layout>
  );
}
