import { CsrfField, FormErrors, type FormState, TextArea } from '../../../kernel/web/forms.tsx';
import { Layout } from '../../../kernel/web/layout.tsx';
import type { PageContext } from '../../../kernel/web/page.ts';

/** The mute list: tag patterns and authors a reader never wants to see, one per line. */
export function MutesPage({ page, form }: { page: PageContext; form: FormState }) {
  return (
    <Layout page={page} title="Mute list">
      <div class="narrow-page">
        <h1>Mute list</h1>
        <p class="lede">
          Stories with a muted tag or by a muted author never appear in your lists, and pages stay full: they are left out before a page is
          made, not hidden after.
        </p>
        <form method="post" action="/settings/mutes" class="stacked-form" novalidate>
          <CsrfField token={page.csrfToken} />
          <FormErrors form={form} />
          <TextArea
            form={form}
            name="tags"
            label="Muted tags"
            help="One per line or comma-separated, any type, in any case. * stands for anything: *death* mutes “Major Character Death” and “Death Fic”."
            rows={6}
          />
          <TextArea form={form} name="authors" label="Muted authors" help="Usernames, one per line or comma-separated." rows={4} />
          <button type="submit" class="button primary">
            Save mute list
          </button>
        </form>
      </div>
    </Layout>
  );
}
