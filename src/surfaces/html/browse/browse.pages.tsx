import type { TagType, User } from '../../../kernel/db/schema.ts';
import { TAG_TYPE_LABELS, TAG_TYPES } from '../../../kernel/db/tag-types.ts';
import { storedHtml } from '../../../kernel/text/render.ts';
import { formatDate, plural } from '../../../kernel/web/format.ts';
import { CsrfField } from '../../../kernel/web/forms.tsx';
import { Layout } from '../../../kernel/web/layout.tsx';
import type { PageContext } from '../../../kernel/web/page.ts';
import { authorPath, tagPath } from '../../../kernel/web/paths.ts';
import { UserHtml } from '../../../kernel/web/user-html.tsx';
import type { FollowState } from '../../../modules/follows/follows.service.ts';
import { canModerate } from '../../../modules/moderation/moderation.policy.ts';
import type { HistoryRow } from '../../../modules/progress/progress.service.ts';
import { type Filters, filterQuery, isFiltered } from '../../../modules/stories/filters.ts';
import type { ListedStories, StoryCard as StoryCardData } from '../../../modules/stories/stories.service.ts';
import type { TagRelations } from '../../../modules/wrangling/wrangling.service.ts';
import { FollowBar } from '../follows/follows.pages.tsx';
import { Pager, StoryCard } from '../parts/story-parts.tsx';
import { ContinueReading } from '../progress/library.pages.tsx';
import { TagRelationsList } from '../wrangling/wrangling.pages.tsx';
import { FilterForm } from './filter-form.tsx';

const SORT_HEADINGS: Record<Filters['sort'], string> = {
  relevance: 'Best matches',
  title: 'Stories by title',
  kudos: 'Most kudos',
  views: 'Most viewed',
  updated: 'Recently updated',
  published: 'Recently published',
  words: 'Longest stories',
};

export function StoryList({ stories, empty }: { stories: StoryCardData[]; empty: string }) {
  if (stories.length === 0) return <p class="muted empty">{empty}</p>;
  return (
    <div class="story-list">
      {stories.map((story) => (
        <StoryCard story={story} />
      ))}
    </div>
  );
}

type HomeProps = {
  page: PageContext;
  stories: ListedStories;
  filters: Filters;
  showMuted: boolean;
  /** The reader's default filter is what the list shows (the address had none). */
  usingDefault: boolean;
  first: boolean;
  hasAccounts: boolean /** Where a signed-in reader is in the stories they read lately. */;
  continuing: HistoryRow[];
};

export function HomePage({ page, stories, filters, showMuted, usingDefault, first, hasAccounts, continuing }: HomeProps) {
  const filtered = isFiltered(filters);
  const empty = first && stories.items.length === 0 && !filtered;
  return (
    <Layout
      page={page}
      title="Golden Oak"
      description="An archive of fan fiction and original stories."
      share={{ canonical: '/' }}
      feed={`/feed.atom${filterQuery(filters) ? `?${filterQuery(filters)}` : ''}`}
    >
      <div class="list-page">
        <h1>{filtered ? 'Stories' : first ? SORT_HEADINGS[filters.sort] : 'Older updates'}</h1>
        {first && !page.viewer && !empty && (
          <p class="lede">
            Golden Oak is an archive of stories, written and read here. <a href="/signup">Sign up</a> to publish your own.
          </p>
        )}
        <ContinueReading rows={continuing} />
        {!empty && <FilterForm action="/" filters={filters} />}
        {!empty && page.viewer && <DefaultFilter page={page} filters={filters} usingDefault={usingDefault} />}
        {filtered && <ListCount list={stories} />}
        <MuteNotice list={stories} filters={filters} showMuted={showMuted} muting={page.viewer?.muting === true} />
        {empty ? (
          <FirstSteps page={page} hasAccounts={hasAccounts} />
        ) : (
          <div class="with-facets">
            <StoryList stories={stories.items} empty={filtered ? 'No stories match these filters.' : 'No older stories.'} />
            <FacetSidebar list={stories} filters={filters} base="/" />
          </div>
        )}
        <Pager page={stories} base="/" query={filterQuery(filters)} labels={pagerLabels(filters.sort)} />
      </div>
    </Layout>
  );
}

/** What the pager's links say: newer and older, or (by title) previous and next. */
export const pagerLabels = (sort: Filters['sort']): [string, string] =>
  sort === 'title' || sort === 'relevance' ? ['‹ Previous', 'Next ›'] : ['‹ Newer stories', 'Older stories ›'];

/** "1,234 stories": counted exactly on a list's first page; a search says "over 1,000" past its limit. */
export function ListCount({ list }: { list: ListedStories }) {
  if (list.total === null) return null;
  return (
    <p class="list-count muted" role="status">
      {list.counted === 'exact' ? '' : list.counted === 'about' ? 'About ' : 'At least '}
      {plural(list.total, 'story', 'stories')}
    </p>
  );
}

/** Says when the reader's default filter is on, and offers to make the current filters the default or clear it. */
function DefaultFilter({ page, filters, usingDefault }: { page: PageContext; filters: Filters; usingDefault: boolean }) {
  const query = filterQuery(filters);
  const saved = page.viewer?.defaultFilter ?? '';
  const canSave = query !== '' && query !== saved;
  if (!usingDefault && !canSave && !saved) return null;
  return (
    <form method="post" action="/settings/default-filter" class="default-filter muted">
      <CsrfField token={page.csrfToken} />
      <input type="hidden" name="filters" value={query} />
      {usingDefault && (
        <>
          Showing your default filters · <a href="/?all=1">Show everything</a>{' '}
        </>
      )}
      {canSave && (
        <button type="submit" name="action" value="save" class="link-button">
          Make these filters my default
        </button>
      )}{' '}
      {saved && (
        <button type="submit" name="action" value="clear" class="link-button">
          Clear my default filters
        </button>
      )}
    </form>
  );
}

type MuteNoticeProps = { list: ListedStories; filters: Filters; showMuted: boolean; muting: boolean; base?: string; keep?: string };

/** "3 stories hidden by your mute list", with a link to see them anyway (and back). */
export function MuteNotice({ list, filters, showMuted, muting, base = '/', keep = '' }: MuteNoticeProps) {
  const query = [keep, filterQuery(filters)].filter(Boolean).join('&');
  if (showMuted && muting) {
    return (
      <p class="mute-notice muted">
        Showing stories your mute list would hide · <a href={`${base}${query ? `?${query}` : ''}`}>Hide them again</a>
      </p>
    );
  }
  if (list.hidden === 0) return null;
  return (
    <p class="mute-notice muted">
      {list.counted === 'exact' ? '' : list.counted === 'about' ? 'About ' : 'At least '}
      {plural(list.hidden, 'story', 'stories')} hidden by your <a href="/settings/mutes">mute list</a> ·{' '}
      <a href={`${base}?${query ? `${query}&` : ''}muted=show`}>Show them</a>
    </p>
  );
}

/** An empty archive says what to do first, to whoever is looking. */
function FirstSteps({ page, hasAccounts }: { page: PageContext; hasAccounts: boolean }) {
  const writeOrImport = (
    <p class="inline-actions">
      <a class="button primary" href="/stories/new">
        Write the first story
      </a>{' '}
      <a class="button" href="/import">
        Import a story
      </a>
    </p>
  );
  return (
    <section class="first-steps" aria-labelledby="first-steps">
      <h2 id="first-steps">Nothing has been published here yet</h2>
      {page.viewer ? (
        <>
          <p>Start the shelves: write a story here, or bring one you have already published elsewhere as a saved story page.</p>
          {writeOrImport}
        </>
      ) : hasAccounts ? (
        <p>
          <a href="/login">Log in</a> or <a href="/signup">sign up</a> to write the first story.
        </p>
      ) : (
        <>
          <p>This archive is brand new. The first account to sign up becomes its admin; then write a story or import one.</p>
          <p>
            <a class="button primary" href="/signup">
              Create the admin account
            </a>
          </p>
        </>
      )}
    </section>
  );
}

type AuthorPageProps = {
  page: PageContext;
  author: User;
  stories: ListedStories;
  filters: Filters;
  own: boolean;
  usingDefault: boolean;
  showMuted: boolean;
  /** The author's public shelves. */
  shelves: { id: number; name: string }[];
  follow: FollowState;
  /** The archive federates: the page names the author's ActivityPub actor. */
  federates: boolean;
};

/** For moderators on an account's page: its suspension, and the form to suspend it or lift it. */
function SuspensionBar({ page, author }: { page: PageContext; author: User }) {
  if (!canModerate(page.viewer) || page.viewer?.id === author.id) return null;
  // A lapsed suspension still shows its date until someone lifts it; it no longer stops anything.
  const suspended = author.suspended_until !== null;
  const path = `${authorPath(author.username)}`.replace('/users/', '/moderation/users/');
  return suspended ? (
    <form method="post" action={`${path}/unsuspend`} class="inline-form moderation-action">
      <CsrfField token={page.csrfToken} />
      <span>
        Suspended until {formatDate(author.suspended_until ?? 0)}
        {author.suspension_reason ? ` (${author.suspension_reason})` : ''}.
      </span>{' '}
      <button type="submit" class="button">
        Lift the suspension
      </button>
    </form>
  ) : (
    <form method="post" action={`${path}/suspend`} class="inline-form moderation-action">
      <CsrfField token={page.csrfToken} />
      <label>
        Suspend for <input type="number" name="days" min="1" max="3650" value="7" required /> days
      </label>{' '}
      <input type="text" name="reason" placeholder="Reason" maxLength={500} aria-label="Reason" />{' '}
      <button type="submit" class="button">
        Suspend
      </button>
    </form>
  );
}

/** Says that a list shows the reader's default filters, with a way to see everything. */
export function DefaultFilterNotice({ base, usingDefault }: { base: string; usingDefault: boolean }) {
  if (!usingDefault) return null;
  return (
    <p class="default-filter muted">
      Showing your default filters · <a href={`${base}${base.includes('?') ? '&' : '?'}all=1`}>Show everything</a>
    </p>
  );
}

export function AuthorPage({ page, author, stories, filters, own, usingDefault, showMuted, shelves, follow, federates }: AuthorPageProps) {
  const path = authorPath(author.username);
  return (
    <Layout
      page={page}
      title={author.display_name}
      share={{ canonical: authorPath(author.username) }}
      feed={`${authorPath(author.username)}/feed.atom`}
      actor={federates ? `/ap/users/${author.id}` : undefined}
    >
      <div class="list-page">
        <h1>{author.display_name}</h1>
        <p class="muted">
          @{author.username} · joined {formatDate(author.created_at)} · <a href={`${authorPath(author.username)}/comments`}>Comments</a>
          {author.role !== 'user' && <span class="badge">{author.role}</span>}
        </p>
        <FollowBar page={page} author={author} state={follow} />
        <SuspensionBar page={page} author={author} />
        {author.bio_html ? (
          <UserHtml html={storedHtml(author.bio_html)} class="bio prose" />
        ) : (
          author.bio && <p class="bio">{author.bio}</p>
        )}
        {shelves.length > 0 && (
          <p class="muted">
            Shelves:{' '}
            {shelves.map((shelf, index) => (
              <>
                {index > 0 && ', '}
                <a href={`/shelves/${shelf.id}`}>{shelf.name}</a>
              </>
            ))}
          </p>
        )}
        <h2>{own ? 'Your stories' : 'Stories'}</h2>
        {own && (
          <p>
            <a class="button primary" href="/stories/new">
              Start a new story
            </a>
          </p>
        )}
        {(stories.items.length > 0 || isFiltered(filters)) && <FilterForm action={authorPath(author.username)} filters={filters} />}
        <DefaultFilterNotice base={path} usingDefault={usingDefault} />
        {isFiltered(filters) && <ListCount list={stories} />}
        <MuteNotice list={stories} filters={filters} showMuted={showMuted} muting={page.viewer?.muting === true} base={path} />
        <div class="with-facets">
          <StoryList
            stories={stories.items}
            empty={
              isFiltered(filters)
                ? 'No stories match these filters.'
                : own
                  ? 'You have not started a story yet.'
                  : 'No published stories yet.'
            }
          />
          <FacetSidebar list={stories} filters={filters} base={path} />
        </div>
        <Pager page={stories} base={authorPath(author.username)} query={filterQuery(filters)} labels={pagerLabels(filters.sort)} />
      </div>
    </Layout>
  );
}

type TagPageProps = { page: PageContext; relations: TagRelations; stories: ListedStories; filters: Filters; usingDefault: boolean };

/** One tag's stories (its synonyms' and subtags' too), with the same filters and mute list as every list. */
export function TagPage({ page, relations, stories, filters, usingDefault }: TagPageProps) {
  const { tag } = relations;
  const path = tagPath(tag);
  return (
    <Layout page={page} title={tag.name} share={{ canonical: path }} feed={`${path}/feed.atom`}>
      <div class="list-page">
        <p class="breadcrumb">
          <a href="/tags">Tags</a> · {TAG_TYPE_LABELS[tag.type]}
        </p>
        <h1>{tag.name}</h1>
        <TagRelationsList relations={relations} />
        <FilterForm action={path} filters={filters} />
        <DefaultFilterNotice base={path} usingDefault={usingDefault} />
        <ListCount list={stories} />
        <div class="with-facets">
          <StoryList
            stories={stories.items}
            empty={isFiltered(filters) ? 'No stories match these filters.' : 'No published story has this tag yet.'}
          />
          <FacetSidebar list={stories} filters={filters} base={path} />
        </div>
        <Pager page={stories} base={path} query={filterQuery(filters)} labels={pagerLabels(filters.sort)} />
      </div>
    </Layout>
  );
}

type TagsPageProps = { page: PageContext; tags: Map<TagType, { id: number; name: string; uses: number }[]> };

/** Every type's most used tags, with how many stories carry each. */
export function TagsPage({ page, tags }: TagsPageProps) {
  return (
    <Layout page={page} title="Tags" share={{ canonical: '/tags' }}>
      <div class="list-page">
        <h1>Tags</h1>
        {tags.size === 0 && <p class="muted empty">No published story has tags yet.</p>}
        {TAG_TYPES.filter((type) => tags.has(type)).map((type) => (
          <section aria-labelledby={`type-${type}`}>
            <h2 id={`type-${type}`}>{TAG_TYPE_LABELS[type]}</h2>
            <ul class="tag-cloud">
              {(tags.get(type) ?? []).map((tag) => (
                <li>
                  <a href={tagPath(tag)}>{tag.name}</a> <span class="muted">{tag.uses.toLocaleString('en')}</span>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
    </Layout>
  );
}

/**
 * The tags most used in the whole list, each type's top few with counts, and a one-click link to
 * include or exclude each (a link to the same list with one filter more: no script).
 */
export function FacetSidebar({ list, filters, base, keep = '' }: { list: ListedStories; filters: Filters; base: string; keep?: string }) {
  const types = TAG_TYPES.filter((type) => (list.facets.get(type) ?? []).length > 0);
  if (types.length === 0) return null;
  const href = (more: Partial<Filters>) => {
    const query = [keep, filterQuery({ ...filters, ...more })].filter(Boolean).join('&');
    return query ? `${base}?${query}` : base;
  };
  return (
    <aside class="facets" aria-labelledby="facets-heading">
      <h2 id="facets-heading">
        {list.facetsWithin ? `In the first ${plural(list.facetsWithin, 'story', 'stories')}` : 'In these stories'}
      </h2>
      {types.map((type) => (
        <section>
          <h3>{TAG_TYPE_LABELS[type]}</h3>
          <ul>
            {(list.facets.get(type) ?? []).map((tag) => {
              const key = tag.name.toLowerCase();
              const included = filters.include.includes(key);
              return (
                <li>
                  <span class="facet-name">{tag.name}</span> <span class="muted">{tag.uses.toLocaleString('en')}</span>
                  {!included && (
                    <a class="facet-add" href={href({ include: [...filters.include, key] })} aria-label={`Include ${tag.name}`}>
                      +
                    </a>
                  )}
                  <a class="facet-add" href={href({ exclude: [...filters.exclude, key] })} aria-label={`Exclude ${tag.name}`}>
                    −
                  </a>
                </li>
              );
            })}
          </ul>
        </section>
      ))}
    </aside>
  );
}
