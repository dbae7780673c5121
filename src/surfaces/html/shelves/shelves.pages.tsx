import type { ShelfKind, ShelfVisibility } from '../../../kernel/db/schema.ts';
import { formatCount } from '../../../kernel/web/format.ts';
import { ChoiceGroup, CsrfField, FormErrors, type FormState, TextArea, TextInput } from '../../../kernel/web/forms.tsx';
import { Layout } from '../../../kernel/web/layout.tsx';
import type { PageContext } from '../../../kernel/web/page.ts';
import { authorPath, storyPath } from '../../../kernel/web/paths.ts';
import { VISIBILITIES } from '../../../modules/shelves/shelves.schema.ts';
import { type Filters, filterQuery } from '../../../modules/stories/filters.ts';
import type { ListedStories } from '../../../modules/stories/stories.service.ts';
import { FacetSidebar, ListCount, pagerLabels } from '../browse/browse.pages.tsx';
import { FilterForm } from '../browse/filter-form.tsx';
import { Pager, StoryCard } from '../parts/story-parts.tsx';

type ShelfRow = { id: number; name: string; kind: ShelfKind; visibility: ShelfVisibility; stories: number; path: string };
const VISIBILITY_WORDS: Record<ShelfVisibility, string> = { private: 'private', unlisted: 'unlisted', public: 'public' };

/** The reader's shelves, and a form to make another. */
export function ShelvesPage({ page, shelves, form }: { page: PageContext; shelves: ShelfRow[]; form: FormState }) {
  return (
    <Layout page={page} title="Your shelves">
      <div class="narrow-page">
        <h1>Your shelves</h1>
        <ul class="saved-searches">
          {shelves.map((shelf) => (
            <li>
              <a href={shelf.path}>{shelf.name}</a>{' '}
              <span class="muted">
                {formatCount(shelf.stories)} · {VISIBILITY_WORDS[shelf.visibility]}
              </span>
            </li>
          ))}
        </ul>
        <form method="post" action="/shelves" class="stacked-form" novalidate>
          <CsrfField token={page.csrfToken} />
          <FormErrors form={form} />
          <TextInput form={form} name="name" label="A new shelf" maxLength={100} />
          <ChoiceGroup form={form} name="visibility" label="Who may see it" options={VISIBILITIES} />
          <button type="submit" class="button primary">
            Make the shelf
          </button>
        </form>
      </div>
    </Layout>
  );
}

type ShelvingProps = { page: PageContext; story: { id: number; slug: string; title: string }; shelves: ShelfRow[]; form: FormState };

/** Which of the reader's shelves hold a story, and their note on it (no script needed). */
export function ShelvingPage({ page, story, shelves, form }: ShelvingProps) {
  return (
    <Layout page={page} title={`Shelve ${story.title}`}>
      <div class="narrow-page">
        <p class="breadcrumb">
          <a href={storyPath(story)}>{story.title}</a>
        </p>
        <h1>Put it on a shelf</h1>
        <form method="post" action={`/stories/${story.id}/shelve`} class="stacked-form" novalidate>
          <CsrfField token={page.csrfToken} />
          <FormErrors form={form} />
          <ChoiceGroup
            form={form}
            name="shelves"
            label="Shelves"
            options={shelves.map((shelf) => ({ value: String(shelf.id), label: shelf.name }))}
            multiple
          />
          <TextArea form={form} name="note" label="Your note (optional)" rows={3} maxLength={2000} />
          <button type="submit" class="button primary">
            Save
          </button>
        </form>
        <p class="muted">
          <a href="/shelves">Your shelves</a>
        </p>
      </div>
    </Layout>
  );
}

type ShelfPageProps = {
  page: PageContext;
  shelf: { id: number; name: string; visibility: ShelfVisibility; username: string; display_name: string; path: string };
  list: ListedStories;
  notes: Map<number, string>;
  filters: Filters;
};

/** One shelf: its stories as a list like any other, each with the reader's note. */
export function ShelfPage({ page, shelf, list, notes, filters }: ShelfPageProps) {
  const { path } = shelf;
  return (
    <Layout page={page} title={shelf.name} feed={shelf.visibility === 'private' ? undefined : `${path}/feed.atom`}>
      <div class="list-page">
        <p class="breadcrumb">
          <a href={authorPath(shelf.username)}>{shelf.display_name}</a> · {VISIBILITY_WORDS[shelf.visibility]} shelf
        </p>
        <h1>{shelf.name}</h1>
        <FilterForm action={path} filters={filters} />
        <ListCount list={list} />
        <div class="with-facets">
          {list.items.length === 0 ? (
            <p class="muted empty">Nothing on this shelf yet.</p>
          ) : (
            <div class="story-list">
              {list.items.map((story) => (
                <StoryCard story={story}>{notes.get(story.id) && <p class="shelf-note">{notes.get(story.id)}</p>}</StoryCard>
              ))}
            </div>
          )}
          <FacetSidebar list={list} filters={filters} base={path} />
        </div>
        <Pager page={list} base={path} query={filterQuery(filters)} labels={pagerLabels(filters.sort)} />
      </div>
    </Layout>
  );
}
