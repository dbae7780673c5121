import type { ComponentChildren } from 'preact';
import type { Page } from '../../../kernel/db/pagination.ts';
import type { Rating, Story, StoryStatus } from '../../../kernel/db/schema.ts';
import { isAdult } from '../../../kernel/web/adult-content.ts';
import { formatDate, isoDate, plural } from '../../../kernel/web/format.ts';
import { authorPath, coverPath, storyPath, tagPath } from '../../../kernel/web/paths.ts';
import { thumbSize } from '../../../modules/stories/cover.ts';
import { RATINGS, STATUSES } from '../../../modules/stories/stories.schema.ts';
import type { StoryCard as StoryCardData } from '../../../modules/stories/stories.service.ts';
import type { StoryTag } from '../../../modules/tags/tags.service.ts';

const label = (list: readonly { value: string; label: string }[], value: string) =>
  list.find((item) => item.value === value)?.label ?? value;

export function RatingBadge({ rating }: { rating: Rating }) {
  return (
    <span
      class={`badge rating-${rating}${isAdult(rating) ? ' adult' : ''}`}
      title={isAdult(rating) ? 'May contain adult content' : undefined}
    >
      {label(RATINGS, rating)}
      {isAdult(rating) && <span class="visually-hidden"> (may contain adult content)</span>}
    </span>
  );
}

export function StatusBadge({ status }: { status: StoryStatus }) {
  return <span class={`badge status-${status}`}>{label(STATUSES, status)}</span>;
}

export function TagList({ tags }: { tags: StoryTag[] }) {
  if (tags.length === 0) return null;
  return (
    <ul class="tags">
      {tags.map((tag) => (
        <li class={`tag tag-${tag.type}`}>
          <a href={tagPath({ id: tag.tag_id, name: tag.name })}>{tag.name}</a>
        </li>
      ))}
    </ul>
  );
}

export function StoryStats({
  story,
}: {
  story: Pick<Story, 'word_count' | 'chapter_count' | 'updated_at' | 'published_at' | 'kudos_count' | 'view_count'>;
}) {
  return (
    <p class="stats">
      {plural(story.word_count, 'word')} · {plural(story.chapter_count, 'chapter')} ·{' '}
      {story.kudos_count > 0 && <>{plural(story.kudos_count, 'kudos', 'kudos')} · </>}
      {story.view_count > 0 && <>{plural(story.view_count, 'view')} · </>}
      {story.published_at === null ? (
        <span class="badge draft">Draft</span>
      ) : (
        <>
          updated <time datetime={isoDate(story.updated_at)}>{formatDate(story.updated_at)}</time>
        </>
      )}
    </p>
  );
}

type MetaFields = Pick<StoryCardData, 'author_username' | 'author_display_name' | 'original_author' | 'rating' | 'status' | 'tags'>;

/** "by Ada" — or, for a story brought from elsewhere, "by its writer, imported by Ada" (AO3's archivist credit). */
export function Byline({ story }: { story: Pick<MetaFields, 'author_username' | 'author_display_name' | 'original_author'> }) {
  const account = <a href={authorPath(story.author_username)}>{story.author_display_name}</a>;
  // An author importing their own story is simply its author.
  const other = story.original_author && story.original_author.toLowerCase() !== story.author_display_name.toLowerCase();
  return (
    <p class="byline">
      {other ? (
        <>
          by {story.original_author}, imported by {account}
        </>
      ) : (
        <>by {account}</>
      )}
    </p>
  );
}

/** Author, rating, status and tags: the same under a card's title and a story page's. */
export function StoryMeta({ story }: { story: MetaFields }) {
  return (
    <>
      <Byline story={story} />
      <p class="badges">
        <RatingBadge rating={story.rating} /> <StatusBadge status={story.status} />
      </p>
      <TagList tags={story.tags} />
    </>
  );
}

/** One story in a list: what a reader scans to decide whether to open it. */
/** A story in a list; `children` (a search's snippet) follows its stats. */
export function StoryCard({ story, children }: { story: StoryCardData; children?: ComponentChildren }) {
  const thumb = story.cover_key && story.cover_width && story.cover_height ? thumbSize(story.cover_width, story.cover_height) : null;
  return (
    <article class="story-card">
      {story.cover_key && thumb && (
        <img class="card-cover" src={coverPath(story.cover_key, 'thumb')} alt="" width={thumb.width} height={thumb.height} loading="lazy" />
      )}
      <div class="card-body">
        <h2 class="card-title">
          <a href={storyPath(story)}>{story.title}</a>
        </h2>
        <StoryMeta story={story} />
        {story.summary && <p class="summary">{story.summary}</p>}
        <StoryStats story={story} />
        {children}
      </div>
    </article>
  );
}

/** "‹ Newer" and "Older ›" through a keyset-paginated list; the newest page is the list's own address. */
type PagerProps = { page: Page<unknown>; base: string; query?: string; labels?: [string, string] };

export function Pager({ page, base, query = '', labels = ['‹ Newer stories', 'Older stories ›'] }: PagerProps) {
  if (!page.next && !page.previous) return null;
  const at = (key: 'before' | 'after', cursor: string) => `${base}?${query ? `${query}&` : ''}${key}=${encodeURIComponent(cursor)}`;
  return (
    <nav class="pager" aria-label="More stories">
      {page.previous && (
        <a class="button" href={at('before', page.previous)} rel="prev">
          {labels[0]}
        </a>
      )}
      {page.next && (
        <a class="button" href={at('after', page.next)} rel="next">
          {labels[1]}
        </a>
      )}
    </nav>
  );
}
