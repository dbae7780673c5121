import type { Story } from '../../../kernel/db/schema.ts';
import { CATEGORIES, CHOSEN_TYPES, TAG_FIELDS, TAG_TYPES, WARNINGS } from '../../../kernel/db/tag-types.ts';
import { storedHtml } from '../../../kernel/text/render.ts';
import { assetHref } from '../../../kernel/web/assets.ts';
import { formatDate, isoDate, plural } from '../../../kernel/web/format.ts';
import {
  ChoiceGroup,
  CsrfField,
  Field,
  FormatHelp,
  FormatSelect,
  FormErrors,
  type FormState,
  namedOptions,
  Select,
  TextArea,
  TextInput,
} from '../../../kernel/web/forms.tsx';
import { Layout } from '../../../kernel/web/layout.tsx';
import type { PageContext } from '../../../kernel/web/page.ts';
import { authorPath, chapterPath, coverPath, storyPath } from '../../../kernel/web/paths.ts';
import { UserHtml } from '../../../kernel/web/user-html.tsx';
import type { KudosGivers } from '../../../modules/kudos/kudos.service.ts';
import { canModerate } from '../../../modules/moderation/moderation.policy.ts';
import type { ReadingState } from '../../../modules/progress/progress.service.ts';
import type { SeriesPlace } from '../../../modules/series/series.service.ts';
import { canOwnStory } from '../../../modules/stories/stories.policy.ts';
import { LANGUAGES, RATINGS, STATUSES } from '../../../modules/stories/stories.schema.ts';
import type { ChapterHeading, FullStory, StoryFormChoices } from '../../../modules/stories/stories.service.ts';
import { ChapterManager } from '../chapters/chapter-manager.tsx';
import { CoauthorManager, Coauthors } from '../coauthors/coauthors.pages.tsx';
import { DownloadLinks } from '../export/export.pages.tsx';
import { StoryMeta, StoryStats } from '../parts/story-parts.tsx';
import { ContinueLink } from '../progress/library.pages.tsx';
import { SeriesNav } from '../series/series.pages.tsx';

type StoryPageProps = {
  page: PageContext;
  story: FullStory;
  chapters: ChapterHeading[];
  canEdit: boolean;
  kudos: KudosGivers;
  /** On how many readers' shelves the story is. */
  shelved: number;
  /** A signed-in reader's place in the story and the chapters they read; null for everyone else. */
  reading: ReadingState;
  /** Accepted co-authors and open invitations (those only its author sees). */
  coauthors: { id: number; username: string; display_name: string; accepted_at: number | null }[];
  /** The series the story is part of, with its neighbours in each. */
  series: SeriesPlace[];
};

export function CoverCredit({ story }: { story: Pick<Story, 'cover_artist_name' | 'cover_artist_url' | 'cover_source_url'> }) {
  const { cover_artist_name: name, cover_artist_url: artistUrl, cover_source_url: sourceUrl } = story;
  if (!name && !artistUrl && !sourceUrl) return null;
  return (
    <p class="cover-credit">
      Cover art by{' '}
      {artistUrl ? (
        <a href={artistUrl} rel="nofollow ugc noopener noreferrer">
          {name || new URL(artistUrl).hostname}
        </a>
      ) : (
        name || 'an uncredited artist'
      )}
      {sourceUrl && (
        <>
          {' '}
          ·{' '}
          <a href={sourceUrl} rel="nofollow ugc noopener noreferrer">
            original artwork
          </a>
        </>
      )}
    </p>
  );
}

/** Marks every chapter read, or none (a plain form, no token: like kudos, it sits on a shared page). */
function ReadToggle({ story, read }: { story: { id: number }; read: boolean }) {
  return (
    <form method="post" action={`/stories/${story.id}/read`} class="inline-form">
      <input type="hidden" name="action" value={read ? 'unread' : 'read'} />
      <button type="submit" class="link-button">
        {read ? 'Mark as unread' : 'Mark as read'}
      </button>
    </form>
  );
}

/** The kudos button (a plain form, no token: see kudos.routes) and who has left kudos. */
function Kudos({ story, kudos }: { story: { id: number; kudos_count: number }; kudos: KudosGivers }) {
  const others = story.kudos_count - kudos.accounts.length - kudos.guests;
  return (
    <section class="kudos" id="kudos" aria-label="Kudos">
      <form method="post" action={`/stories/${story.id}/kudos`} class="inline-form">
        <button type="submit" class="button">
          ♥ Kudos
        </button>
      </form>
      {story.kudos_count > 0 && (
        <p class="muted">
          {kudos.accounts.map((giver, index) => (
            <>
              {index > 0 && ', '}
              <a href={authorPath(giver.username)}>{giver.display_name}</a>
            </>
          ))}
          {others > 0 && `${kudos.accounts.length > 0 ? ', ' : ''}${plural(others, 'more reader')}`}
          {kudos.guests > 0 && `${kudos.accounts.length + Math.max(0, others) > 0 ? ' and ' : ''}${plural(kudos.guests, 'guest')}`} left
          kudos on this story.
        </p>
      )}
    </section>
  );
}

export function StoryPage({ page, story, chapters, canEdit, kudos, shelved, reading, coauthors, series }: StoryPageProps) {
  const readable = chapters.filter((chapter) => chapter.published_at !== null || canEdit);
  // "Start reading" leads readers in; a story with nothing published has nowhere to lead them yet.
  const first = chapters.find((chapter) => chapter.published_at !== null);
  return (
    <Layout
      page={page}
      title={story.title}
      description={story.summary}
      share={{ canonical: storyPath(story), image: story.cover_key ? coverPath(story.cover_key, 'full') : undefined, type: 'article' }}
      feed={`${storyPath(story)}/feed.atom`}
    >
      <article class="story-page">
        <header class="story-header">
          {story.cover_key && (
            <figure class="cover">
              {/* The thumbnail fills the slot on most screens; the full image is for sharp ones. */}
              <img
                src={coverPath(story.cover_key, 'full')}
                srcset={`${coverPath(story.cover_key, 'thumb')} 240w, ${coverPath(story.cover_key, 'full')} ${story.cover_width ?? 1200}w`}
                sizes="(max-width: 36rem) 11rem, 13rem"
                alt={`Cover of ${story.title}`}
                width={story.cover_width ?? undefined}
                height={story.cover_height ?? undefined}
                fetchpriority="high"
              />
              <figcaption>
                <CoverCredit story={story} />
              </figcaption>
            </figure>
          )}
          <div class="story-heading">
            <h1>{story.title}</h1>
            <StoryMeta story={story} />
            <Coauthors coauthors={coauthors} />
            <SeriesNav series={series} />
            {!story.cover_key && <CoverCredit story={story} />}
          </div>
        </header>
        {story.hidden_at !== null && (
          <p class="notice" role="status">
            A moderator hid this story{story.hidden_reason ? `: ${story.hidden_reason}` : ''}. Only its author and moderators can see it.
          </p>
        )}
        {/* An imported story's summary is often its description's first line: said once, then. */}
        {story.summary && !story.description_source.trimStart().startsWith(story.summary) && <p class="summary lede">{story.summary}</p>}
        {story.description_html && <UserHtml html={storedHtml(story.description_html)} class="description prose" />}
        {story.source_url && (
          <p class="source">
            First published at{' '}
            <a href={story.source_url} rel="nofollow ugc noopener noreferrer">
              {new URL(story.source_url).hostname}
            </a>
          </p>
        )}
        <StoryStats story={story} />
        <p class="dates">
          {story.published_at !== null && (
            <>
              Published <time datetime={isoDate(story.published_at)}>{formatDate(story.published_at)}</time>
            </>
          )}
        </p>
        {first && (
          <p class="inline-actions">
            {reading?.place ? (
              <ContinueLink story={story} place={reading.place} />
            ) : (
              <a class="button primary" href={chapterPath(story, first)}>
                Start reading
              </a>
            )}
          </p>
        )}
        <section aria-labelledby="contents">
          <h2 id="contents">Contents</h2>
          {readable.length === 0 ? (
            <p class="muted">No chapters yet.</p>
          ) : (
            <ol class="toc">
              {readable.map((chapter) => (
                <li>
                  <a href={chapterPath(story, chapter)}>{chapter.title}</a>{' '}
                  {reading?.read.has(chapter.id) && (
                    <span class="read-mark" title="Read">
                      ✓<span class="visually-hidden"> read</span>
                    </span>
                  )}{' '}
                  <span class="muted">
                    {plural(chapter.word_count, 'word')}
                    {chapter.published_at === null && <span class="badge draft">Draft</span>}
                  </span>
                </li>
              ))}
            </ol>
          )}
        </section>
        {story.published_at !== null && (
          <>
            <Kudos story={story} kudos={kudos} />
            <div class="shelving muted">
              <a href={`/stories/${story.id}/shelve`}>Add to a shelf</a> · <a href={`/stories/${story.id}/subscription`}>Subscribe</a> ·{' '}
              <ReadToggle story={story} read={reading !== null && reading.read.size >= story.chapter_count && story.chapter_count > 0} /> ·{' '}
              <a href={`/report?kind=story&id=${story.id}`}>Report</a>
              {shelved > 0 && ` · on ${plural(shelved, 'shelf', 'shelves')}`}
            </div>
            <DownloadLinks story={story} />
          </>
        )}
        {canEdit && <ChapterManager page={page} story={story} chapters={chapters} />}
        {canOwnStory(page.viewer, story) && <CoauthorManager page={page} story={story} coauthors={coauthors} />}
        {canModerate(page.viewer) && (
          <form
            method="post"
            action={`/moderation/stories/${story.id}/${story.hidden_at === null ? 'hide' : 'restore'}`}
            class="inline-form moderation-action"
          >
            <CsrfField token={page.csrfToken} />
            <input type="text" name="reason" placeholder="Reason" maxLength={500} aria-label="Reason" />
            <button type="submit" class="button">
              {story.hidden_at === null ? 'Hide this story (moderator)' : 'Restore this story (moderator)'}
            </button>
          </form>
        )}
      </article>
    </Layout>
  );
}

export type StoryFormStory = Pick<Story, 'id' | 'slug' | 'title' | 'cover_key'>;
type StoryFormProps = { page: PageContext; form: FormState; choices: StoryFormChoices; story?: StoryFormStory | undefined };

/** Choice groups' errors link to their first box. */
const CHOICE_ANCHORS = { rating: 'rating-0', warnings: 'warnings-0', categories: 'categories-0', genres: 'genres-0' };

export function StoryFormPage({ page, form, choices, story }: StoryFormProps) {
  const action = story ? storyPath(story) : '/stories';
  const title = story ? `Edit “${story.title}”` : 'New story';
  return (
    <Layout page={page} title={title}>
      <div class="form-page">
        <h1>{title}</h1>
        <form method="post" action={action} enctype="multipart/form-data" class="stacked-form" novalidate>
          <CsrfField token={page.csrfToken} />
          <FormErrors form={{ ...form, anchors: CHOICE_ANCHORS }} />
          <TextInput form={form} name="title" label="Title" required maxLength={200} />
          <TextArea
            form={form}
            name="summary"
            label="Summary"
            help="A sentence or two, plain text, shown in story lists and at the top of the story page."
            rows={3}
            maxLength={1000}
          />
          <FormatSelect form={form} name="description_format" label="Description format" />
          <TextArea form={form} name="description" label="Description (optional)" help={<FormatHelp />} rows={8} />
          <ChoiceGroup
            form={form}
            name="rating"
            label="Rating"
            help="Choose one. Mature, Explicit and Not rated stories ask anonymous readers to confirm before showing the text."
            options={RATINGS}
          />
          <Select form={form} name="status" label="Status" options={STATUSES} />
          <Select form={form} name="language" label="Language" options={LANGUAGES} />
          <ChoiceGroup
            form={form}
            name="warnings"
            label="Archive warnings"
            help="At least one; “Creator Chose Not To Use Archive Warnings” if you would rather not say."
            options={namedOptions(WARNINGS)}
            multiple
          />
          <ChoiceGroup form={form} name="categories" label="Categories (optional)" options={namedOptions(CATEGORIES)} multiple />
          <TagField form={form} name="fandoms" label="Fandoms" example="My Little Pony: Friendship is Magic" />
          <TagField form={form} name="relationships" label="Relationships" example="Twilight Sparkle/Spike, Twilight Sparkle & Spike" />
          <TagField form={form} name="characters" label="Characters" example="Twilight Sparkle, Spike" />
          <ChoiceGroup form={form} name="genres" label="Genres (optional)" options={namedOptions(choices.genres)} multiple />
          <TagField form={form} name="tags" label="Additional tags" example="Friendship, Found Family" />
          <fieldset>
            <legend>Cover art</legend>
            <Field
              form={form}
              name="cover"
              label="Cover image"
              help="JPEG, PNG, WebP, GIF or AVIF, up to 10 MB. It is re-encoded and its metadata removed."
            >
              <input id="cover" name="cover" type="file" accept="image/jpeg,image/png,image/webp,image/gif,image/avif" />
            </Field>
            {form.values.cover_token && (
              <p class="kept-cover">
                <input type="hidden" name="cover_token" value={form.values.cover_token} />
                The image you chose is kept and will be saved with the story; choose another file only to replace it.
              </p>
            )}
            {story?.cover_key && (
              <label class="checkbox">
                <input type="checkbox" name="remove_cover" checked={form.values.remove_cover === 'on'} /> Remove the current cover
              </label>
            )}
            <TextInput form={form} name="cover_artist_name" label="Artist's name" maxLength={100} />
            <TextInput
              form={form}
              name="cover_artist_url"
              label="Artist's page"
              type="url"
              help="A link to the artist, e.g. their gallery."
            />
            <TextInput form={form} name="cover_source_url" label="Original artwork" type="url" help="A link to the artwork itself." />
          </fieldset>
          <OriginFields form={form} />
          <button type="submit" class="button primary">
            {story ? 'Save story' : 'Create story'}
          </button>
        </form>
        <script src={assetHref('tag-suggest.js')} defer />
        {story && (
          <p class="danger-zone">
            <a href={`${storyPath(story)}/delete`}>Delete this story…</a>
          </p>
        )}
      </div>
    </Layout>
  );
}

/** A comma-separated list of one type of tag; optional, up to 75 typed tags in all. */
function TagField({ form, name, label, example }: { form: FormState; name: string; label: string; example: string }) {
  const type = TAG_TYPES.find((t) => TAG_FIELDS[t] === name);
  return (
    <TextInput
      form={form}
      name={name}
      label={`${label} (optional)`}
      help={`Separate with commas, e.g. ${example}.`}
      maxLength={10_000}
      suggest={type}
    />
  );
}

/** For a story first published elsewhere: shown as "by X, imported by Y". */
export function OriginFields({ form }: { form: FormState }) {
  return (
    <fieldset>
      <legend>First published elsewhere? (optional)</legend>
      <TextInput
        form={form}
        name="original_author"
        label="Original author"
        help="Who wrote it, if not you: the story then shows “by them, imported by you”."
        maxLength={100}
      />
      <TextInput form={form} name="source_url" label="Source" type="url" help="Where it was first published." />
    </fieldset>
  );
}

/** The values a story form starts with when editing. */
export function storyFormValues(story: FullStory): Record<string, string> {
  return {
    title: story.title,
    summary: story.summary,
    description: story.description_source,
    description_format: story.description_format,
    rating: story.rating,
    status: story.status,
    language: story.language,
    ...Object.fromEntries(
      TAG_TYPES.map((type) => {
        const names = story.tags.filter((tag) => tag.type === type).map((tag) => tag.name);
        // Check boxes are kept one per line, typed tags comma-separated as they are typed.
        return [TAG_FIELDS[type], names.join((CHOSEN_TYPES as readonly string[]).includes(type) ? '\n' : ', ')];
      }),
    ),
    cover_artist_name: story.cover_artist_name,
    cover_artist_url: story.cover_artist_url,
    cover_source_url: story.cover_source_url,
    original_author: story.original_author,
    source_url: story.source_url,
  };
}
