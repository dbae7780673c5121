import { CATEGORIES, WARNINGS } from '../../../kernel/db/tag-types.ts';
import { ChoiceGroup, emptyForm, namedOptions, Select, TextInput } from '../../../kernel/web/forms.tsx';
import { type Filters, isFiltered, SORTS, UPDATED_WITHIN } from '../../../modules/stories/filters.ts';
import { LANGUAGES, RATINGS } from '../../../modules/stories/stories.schema.ts';

type Props = {
  action: string;
  filters: Filters;
  /** The sort choices (a search adds "Best match"). */
  sorts?: readonly { value: string; label: string }[];
  /** Other query values the form carries along (a search's words). */
  keep?: Record<string, string>;
};

const COMPLETE = [
  { value: 'any', label: 'Any' },
  { value: 'complete', label: 'Complete' },
  { value: 'in-progress', label: 'In progress' },
];
const UPDATED = [
  { value: '', label: 'Any time' },
  ...UPDATED_WITHIN.map((choice) => ({ value: String(choice.value), label: choice.label })),
];
const ANY_LANGUAGE = [{ value: '', label: 'Any' }, ...LANGUAGES];
const CROSSOVERS = [
  { value: 'include', label: 'Include' },
  { value: 'exclude', label: 'Leave out' },
  { value: 'only', label: 'Only crossovers' },
];

/**
 * The filters as a plain GET form: they live in the URL, so a filtered list can be shared and the
 * back button works, and no script is needed. Open while any filter is set. Built from the same
 * form controls as every other form, filled from the filters (check boxes one value per line).
 */
export function FilterForm({ action, filters, sorts = SORTS, keep = {} }: Props) {
  const form = emptyForm({
    include: filters.include.join(', '),
    exclude: filters.exclude.join(', '),
    rating: filters.ratings.join('\n'),
    warning: filters.warnings.join('\n'),
    category: filters.categories.join('\n'),
    complete: filters.complete,
    updated_within: filters.updatedWithin === null ? '' : String(filters.updatedWithin),
    crossovers: filters.crossovers,
    language: filters.language ?? '',
    sort: filters.sort,
  });
  return (
    <details class="filters" open={isFiltered(filters)}>
      <summary>Filter and sort</summary>
      <form method="get" action={action} class="filter-form">
        {Object.entries(keep).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <TextInput form={form} name="include" label="Include tags (all of them)" placeholder="e.g. Twilight Sparkle, Friendship" />
        <TextInput form={form} name="exclude" label="Exclude tags (any of them)" placeholder="e.g. Major Character Death" />
        <ChoiceGroup form={form} name="rating" label="Ratings" options={RATINGS} multiple />
        <ChoiceGroup form={form} name="warning" label="Warnings (any of)" options={namedOptions(WARNINGS)} multiple />
        <ChoiceGroup form={form} name="category" label="Categories (any of)" options={namedOptions(CATEGORIES)} multiple />
        <div class="field-row">
          <Select form={form} name="complete" label="Status" options={COMPLETE} />
          <div class="field">
            <label for="words_from">Words from</label>
            <input id="words_from" name="words_from" type="number" min={0} inputmode="numeric" value={filters.wordsFrom ?? ''} />
          </div>
          <div class="field">
            <label for="words_to">Words to</label>
            <input id="words_to" name="words_to" type="number" min={0} inputmode="numeric" value={filters.wordsTo ?? ''} />
          </div>
          <Select form={form} name="updated_within" label="Updated in" options={UPDATED} />
          <Select form={form} name="crossovers" label="Crossovers" options={CROSSOVERS} />
          <Select form={form} name="language" label="Language" options={ANY_LANGUAGE} />
          <Select form={form} name="sort" label="Sort by" options={sorts} />
        </div>
        <p class="inline-actions">
          <button type="submit" class="button primary">
            Show stories
          </button>
          {isFiltered(filters) && <a href={Object.keys(keep).length ? `${action}?${new URLSearchParams(keep)}` : action}>Clear filters</a>}
        </p>
      </form>
    </details>
  );
}
