import { RATINGS } from '../stories/stories.schema.ts';
import { CATEGORIES, WARNINGS } from '../stories/tag-types.ts';
import { type Filters, isFiltered, SORTS, UPDATED_WITHIN } from './filters.ts';

type Props = { action: string; filters: Filters };

/**
 * The filters as a plain GET form: they live in the URL, so a filtered list can be shared and the
 * back button works, and no script is needed. Open while any filter is set.
 */
export function FilterForm({ action, filters }: Props) {
  const box = (name: string, value: string, label: string, checked: boolean) => (
    <label class="radio">
      <input type="checkbox" name={name} value={value} checked={checked} /> {label}
    </label>
  );
  return (
    <details class="filters" open={isFiltered(filters)}>
      <summary>Filter and sort</summary>
      <form method="get" action={action} class="filter-form">
        <div class="field">
          <label for="include">Include tags (all of them)</label>
          <input
            id="include"
            name="include"
            type="text"
            value={filters.include.join(', ')}
            placeholder="e.g. Twilight Sparkle, Friendship"
          />
        </div>
        <div class="field">
          <label for="exclude">Exclude tags (any of them)</label>
          <input id="exclude" name="exclude" type="text" value={filters.exclude.join(', ')} placeholder="e.g. Major Character Death" />
        </div>
        <fieldset class="choices">
          <legend>Ratings</legend>
          {RATINGS.map((rating) => box('rating', rating.value, rating.label, filters.ratings.includes(rating.value)))}
        </fieldset>
        <fieldset class="choices">
          <legend>Warnings (any of)</legend>
          {WARNINGS.map((name) => box('warning', name, name, filters.warnings.includes(name)))}
        </fieldset>
        <fieldset class="choices">
          <legend>Categories (any of)</legend>
          {CATEGORIES.map((name) => box('category', name, name, filters.categories.includes(name)))}
        </fieldset>
        <div class="field-row">
          <div class="field">
            <label for="complete">Status</label>
            <select id="complete" name="complete">
              <option value="any" selected={filters.complete === 'any'}>
                Any
              </option>
              <option value="complete" selected={filters.complete === 'complete'}>
                Complete
              </option>
              <option value="in-progress" selected={filters.complete === 'in-progress'}>
                In progress
              </option>
            </select>
          </div>
          <div class="field">
            <label for="words_from">Words from</label>
            <input id="words_from" name="words_from" type="number" min={0} inputmode="numeric" value={filters.wordsFrom ?? ''} />
          </div>
          <div class="field">
            <label for="words_to">Words to</label>
            <input id="words_to" name="words_to" type="number" min={0} inputmode="numeric" value={filters.wordsTo ?? ''} />
          </div>
          <div class="field">
            <label for="updated_within">Updated in</label>
            <select id="updated_within" name="updated_within">
              <option value="" selected={filters.updatedWithin === null}>
                Any time
              </option>
              {UPDATED_WITHIN.map((choice) => (
                <option value={String(choice.value)} selected={filters.updatedWithin === choice.value}>
                  {choice.label}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="crossovers">Crossovers</label>
            <select id="crossovers" name="crossovers">
              <option value="include" selected={filters.crossovers === 'include'}>
                Include
              </option>
              <option value="exclude" selected={filters.crossovers === 'exclude'}>
                Leave out
              </option>
              <option value="only" selected={filters.crossovers === 'only'}>
                Only crossovers
              </option>
            </select>
          </div>
          <div class="field">
            <label for="sort">Sort by</label>
            <select id="sort" name="sort">
              {SORTS.map((sort) => (
                <option value={sort.value} selected={filters.sort === sort.value}>
                  {sort.label}
                </option>
              ))}
            </select>
          </div>
        </div>
        <p class="inline-actions">
          <button type="submit" class="button primary">
            Show stories
          </button>
          {isFiltered(filters) && <a href={action}>Clear filters</a>}
        </p>
      </form>
    </details>
  );
}
