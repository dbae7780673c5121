import { Layout } from '../../../kernel/web/layout.tsx';
import type { PageContext } from '../../../kernel/web/page.ts';
import { chapterPath } from '../../../kernel/web/paths.ts';
import { UserHtml } from '../../../kernel/web/user-html.tsx';
import type { SearchResults, Snippet } from '../../../modules/search/search.service.ts';
import { type Filters, filterQuery, SEARCH_SORTS } from '../../../modules/stories/filters.ts';
import { DefaultFilterNotice, FacetSidebar, ListCount, MuteNotice, pagerLabels } from '../browse/browse.pages.tsx';
import { FilterForm } from '../browse/filter-form.tsx';
import { Pager, StoryCard } from '../parts/story-parts.tsx';

type SearchPageProps = {
  page: PageContext;
  q: string;
  filters: Filters;
  results: SearchResults | null;
  /** Why the query could not be used, in a sentence. */
  problem: string | null;
  showMuted: boolean;
  usingDefault: boolean;
};

function SearchBox({ q, problem }: { q: string; problem: string | null }) {
  return (
    // biome-ignore lint/a11y/useSemanticElements: a form with role=search is the landmark every screen reader knows; <search> is newer than some readers' browsers.
    <form method="get" action="/search" class="search-box" role="search">
      <label for="q" class="visually-hidden">
        Search stories
      </label>
      <input
        id="q"
        name="q"
        type="search"
        value={q}
        maxLength={1000}
        aria-invalid={problem ? 'true' : undefined}
        aria-describedby={problem ? 'q-error' : 'q-help'}
      />
      <button type="submit" class="button primary">
        Search
      </button>
      {problem ? (
        <p class="field-error" id="q-error" role="alert">
          {problem}
        </p>
      ) : (
        <p class="help" id="q-help">
          Titles, summaries, tags, authors and every published chapter. <a href="/search/help">How to search</a>
        </p>
      )}
    </form>
  );
}

/** Where a result matched: the chapter, linked at the matched word (a text fragment), and the passage. */
function MatchedPassage({ story, found }: { story: { id: number; slug: string }; found: Snippet }) {
  const href = `${chapterPath(story, { id: found.chapterId, title: found.chapterTitle })}${found.word ? `#:~:text=${encodeURIComponent(found.word)}` : ''}`;
  return (
    <p class="snippet">
      <a href={href}>{found.chapterTitle}</a>
      {found.html && (
        <>
          {': '}
          <UserHtml html={found.html} as="span" />
        </>
      )}
    </p>
  );
}

export function SearchPage({ page, q, filters, results, problem, showMuted, usingDefault }: SearchPageProps) {
  const keep = q ? `q=${encodeURIComponent(q)}` : '';
  const query = [keep, filterQuery(filters)].filter(Boolean).join('&');
  return (
    <Layout page={page} title={q ? `Search: ${q}` : 'Search'} feed={q ? `/search/feed.atom?${query}` : undefined}>
      <div class="list-page">
        <h1>Search</h1>
        <SearchBox q={q} problem={problem} />
        <FilterForm action="/search" filters={filters} sorts={SEARCH_SORTS} keep={q ? { q } : {}} />
        <DefaultFilterNotice base={`/search?${keep}`} usingDefault={usingDefault} />
        {results && (
          <>
            <div class="list-actions muted">
              <ListCount list={results.list} /> <a href={`/searches/new?${query}`}>Save this search</a> ·{' '}
              <a href={`/search/feed.atom?${query}`}>Atom feed</a>
            </div>
            <MuteNotice
              list={results.list}
              filters={filters}
              showMuted={showMuted}
              muting={page.viewer?.muting === true}
              base="/search"
              keep={keep}
            />
            <div class="with-facets">
              {results.list.items.length === 0 ? (
                <p class="muted empty">No published story matches. Fewer words, or no filters, find more.</p>
              ) : (
                <div class="story-list">
                  {results.list.items.map((story) => {
                    const found = results.snippets.get(story.id);
                    return <StoryCard story={story}>{found && <MatchedPassage story={story} found={found} />}</StoryCard>;
                  })}
                </div>
              )}
              <FacetSidebar list={results.list} filters={filters} base="/search" keep={keep} />
            </div>
            <Pager page={results.list} base="/search" query={query} labels={pagerLabels(filters.sort)} />
          </>
        )}
      </div>
    </Layout>
  );
}

/** The query language, with an example of each part. */
export function SearchHelpPage({ page }: { page: PageContext }) {
  const example = (q: string) => (
    <a href={`/search?q=${encodeURIComponent(q)}`}>
      <code>{q}</code>
    </a>
  );
  return (
    <Layout page={page} title="How to search" share={{ canonical: '/search/help' }}>
      <div class="narrow-page prose">
        <h1>How to search</h1>
        <p>
          Search looks through every published story: its title, summary, description, tags and author names, and the full text and author’s
          notes of every published chapter. Drafts are never found. Accents and capitals do not matter: {example('cafe')} finds “Café”.
        </p>
        <dl class="search-help">
          <dt>{example('dragon library')}</dt>
          <dd>Stories with both words, anywhere in the story.</dd>
          <dt>{example('"the last dragon"')}</dt>
          <dd>The exact phrase, in one chapter (or the title, or the tags).</dd>
          <dt>{example('dragon -death')}</dt>
          <dd>Leaves out every story that mentions the word after the minus, in any chapter.</dd>
          <dt>{example('dragon OR wyvern')}</dt>
          <dd>Either word. OR (in capitals) joins the words on each side of it.</dd>
          <dt>{example('author:keeper lantern')}</dt>
          <dd>Only stories by that username.</dd>
          <dt>{example('tag:"Slice of Life" tea')}</dt>
          <dd>Only stories with that tag (or a synonym of it); -tag: leaves a tag out.</dd>
          <dt>{example('words>5000 words<20000')}</dt>
          <dd>Story length in words (also &gt;= and &lt;=).</dd>
          <dt>{example('kudos>100 dragon')}</dt>
          <dd>Stories more than that many readers left kudos on.</dd>
          <dt>{example('views>1000 dragon')}</dt>
          <dd>Stories read more than that many times (each reader counts once a chapter a day).</dd>
          <dt>{example('updated<30d')}</dt>
          <dd>Updated within the last 30 days; w, m and y count weeks, months and years.</dd>
          <dt>{example('sort:words dragon')}</dt>
          <dd>Sort by relevance (the default), updated, published, words, kudos or views.</dd>
        </dl>
        <p>
          Chinese and Japanese text is split into words, so a word finds a story without spaces around it. A search has at most 32 words and
          1,000 characters. The filters below the search box, and your mute list, apply to every search. A word found in very many chapters
          is ranked among the 2,000 most recent of them, and a search keeps its 1,000 best stories; its count then says “At least”.
        </p>
      </div>
    </Layout>
  );
}
