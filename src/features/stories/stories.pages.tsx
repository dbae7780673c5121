import type { Story } from '../../db/schema.ts';
import { storedHtml } from '../../text/render.ts';
import { formatDate, isoDate, plural } from '../../web/format.ts';
import {
  CsrfField,
  Field,
  FORMAT_HELP,
  FORMAT_OPTIONS,
  FormErrors,
  type FormState,
  Select,
  TextArea,
  TextInput,
} from '../../web/forms.tsx';
import { Layout } from '../../web/layout.tsx';
import type { PageContext } from '../../web/page.ts';
import { chapterPath, coverPath, storyPath } from '../../web/paths.ts';
import { UserHtml } from '../../web/user-html.tsx';
import { ChapterManager } from '../chapters/chapter-manager.tsx';
import type { ChapterHeading } from '../chapters/chapters.repository.ts';
import { RATINGS, STATUSES } from './stories.schema.ts';
import type { FullStory } from './stories.service.ts';
import { StoryMeta, StoryStats } from './story-parts.tsx';

type StoryPageProps = { page: PageContext; story: FullStory; chapters: ChapterHeading[]; canEdit: boolean };

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

export function StoryPage({ page, story, chapters, canEdit }: StoryPageProps) {
  const readable = chapters.filter((chapter) => chapter.published_at !== null || canEdit);
  const first = readable[0];
  return (
    <Layout page={page} title={story.title} description={story.summary}>
      <article class="story-page">
        <header class="story-header">
          {story.cover_key && (
            <figure class="cover">
              <img
                src={coverPath(story.cover_key, 'full')}
                alt={`Cover of ${story.title}`}
                width={story.cover_width ?? undefined}
                height={story.cover_height ?? undefined}
              />
              <figcaption>
                <CoverCredit story={story} />
              </figcaption>
            </figure>
          )}
          <div class="story-heading">
            <h1>{story.title}</h1>
            <StoryMeta story={story} />
            {!story.cover_key && <CoverCredit story={story} />}
          </div>
        </header>
        {/* As on FimFiction, the long description replaces the short summary here; cards show the summary. */}
        {story.description_html ? (
          <UserHtml html={storedHtml(story.description_html)} class="description prose" />
        ) : (
          story.summary && <p class="summary lede">{story.summary}</p>
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
          <p>
            <a class="button primary" href={chapterPath(story.id, first.id)}>
              Start reading
            </a>
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
                  <a href={chapterPath(story.id, chapter.id)}>{chapter.title}</a>{' '}
                  <span class="muted">
                    {plural(chapter.word_count, 'word')}
                    {chapter.published_at === null && <span class="badge draft">Draft</span>}
                  </span>
                </li>
              ))}
            </ol>
          )}
        </section>
        {canEdit && <ChapterManager page={page} story={story} chapters={chapters} />}
      </article>
    </Layout>
  );
}

type StoryFormProps = { page: PageContext; form: FormState; story?: Story };

export function StoryFormPage({ page, form, story }: StoryFormProps) {
  const action = story ? storyPath(story.id) : '/stories';
  const title = story ? `Edit “${story.title}”` : 'New story';
  return (
    <Layout page={page} title={title}>
      <div class="form-page">
        <h1>{title}</h1>
        <form method="post" action={action} enctype="multipart/form-data" class="stacked-form" novalidate>
          <CsrfField token={page.csrfToken} />
          <FormErrors form={form} />
          <TextInput form={form} name="title" label="Title" required maxLength={200} />
          <TextArea
            form={form}
            name="summary"
            label="Summary"
            help="A sentence or two, plain text, shown in story lists."
            rows={3}
            maxLength={1000}
          />
          <Select form={form} name="description_format" label="Description format" options={FORMAT_OPTIONS} />
          <TextArea form={form} name="description" label="Description" help={FORMAT_HELP} rows={8} />
          <div class="field-row">
            <Select form={form} name="rating" label="Rating" options={RATINGS} />
            <Select form={form} name="status" label="Status" options={STATUSES} />
          </div>
          <TextInput
            form={form}
            name="tags"
            label="Tags"
            help="Separate tags with commas, e.g. Friendship, Slice of Life, Twilight Sparkle."
          />
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
          <button type="submit" class="button primary">
            {story ? 'Save story' : 'Create story'}
          </button>
        </form>
        {story && (
          <p class="danger-zone">
            <a href={`${storyPath(story.id)}/delete`}>Delete this story…</a>
          </p>
        )}
      </div>
    </Layout>
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
    tags: story.tags.map((tag) => tag.name).join(', '),
    cover_artist_name: story.cover_artist_name,
    cover_artist_url: story.cover_artist_url,
    cover_source_url: story.cover_source_url,
  };
}
