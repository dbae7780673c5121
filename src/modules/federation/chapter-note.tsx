import { Create, type Context as FedifyContext, Note, PUBLIC_COLLECTION } from '@fedify/fedify';
import { Temporal } from '@js-temporal/polyfill';
import { renderToString } from 'preact-render-to-string';
import { chapterPath, storyPath } from '../../kernel/web/paths.ts';
import { RATINGS } from '../stories/stories.schema.ts';
import type { PublicChapter } from './federation.repository.ts';

/** Ratings a Mastodon reader sees behind a content warning. */
const SENSITIVE = new Set(['mature', 'explicit']);

/**
 * A new chapter as a public Note from its author: a line naming story and chapter with links,
 * then the summary. Mature and explicit stories go behind a content warning naming the rating.
 */
export function chapterNote(c: FedifyContext<unknown>, origin: string, chapter: PublicChapter): Note {
  const author = String(chapter.author_id);
  const story = { id: chapter.story_id, slug: chapter.slug };
  const storyUrl = new URL(storyPath(story), origin).href;
  const url = new URL(chapterPath(story, chapter), origin);
  const name = chapter.title || `Chapter ${chapter.position}`;
  const content = renderToString(
    <>
      <p>
        {chapter.position === 1 ? 'New story: ' : `Chapter ${chapter.position} of `}
        <a href={storyUrl}>{chapter.story_title}</a>
        {' — '}
        <a href={url.href}>{name}</a>
      </p>
      {chapter.summary ? <p>{chapter.summary}</p> : null}
    </>,
  );
  const sensitive = SENSITIVE.has(chapter.rating);
  return new Note({
    id: c.getObjectUri(Note, { id: String(chapter.id) }),
    attribution: c.getActorUri(author),
    to: PUBLIC_COLLECTION,
    cc: c.getFollowersUri(author),
    url,
    content,
    sensitive,
    summary: sensitive ? `Rated ${RATINGS.find((r) => r.value === chapter.rating)?.label ?? chapter.rating}` : null,
    published: Temporal.Instant.fromEpochMilliseconds(chapter.published_at ?? 0),
  });
}

/** The chapter's Note as its author's Create, what followers receive and the outbox lists. */
export function chapterCreate(c: FedifyContext<unknown>, origin: string, chapter: PublicChapter): Create {
  const note = chapterNote(c, origin, chapter);
  return new Create({
    id: new URL(`${note.id?.href}#create`),
    actor: c.getActorUri(String(chapter.author_id)),
    to: note.toId,
    cc: note.ccId,
    object: note,
    published: note.published,
  });
}
