import { createHash } from 'node:crypto';
import type { Db, TextFormat } from '../../kernel/db/schema.ts';
import { TAG_TYPE_LABELS } from '../../kernel/db/tag-types.ts';
import { RATINGS, STATUSES } from '../stories/stories.schema.ts';
import { tagsForStories } from '../tags/tags.service.ts';

/** Chapters are read from the database this many at a time, so a long story is never held whole. */
const CHAPTER_BATCH = 20;

/** Everything a download says about a story besides its chapters. */
export async function storyHead(db: Db, storyId: number) {
  const story = await db
    .selectFrom('stories')
    .innerJoin('users', 'users.id', 'stories.author_id')
    .selectAll('stories')
    .select(['users.username as author_username', 'users.display_name as author_display_name'])
    .where('stories.id', '=', storyId)
    .executeTakeFirst();
  if (!story) return null;
  const tags = (await tagsForStories(db, [storyId])).get(storyId) ?? [];
  const series = await db
    .selectFrom('series_parts')
    .innerJoin('series', 'series.id', 'series_parts.series_id')
    .select(['series.id', 'series.title', 'series_parts.position'])
    .where('series_parts.story_id', '=', storyId)
    .orderBy('series.id')
    .execute();
  const chapters = await db
    .selectFrom('chapters')
    .select(['id', 'position', 'title', 'updated_at', 'word_count'])
    .where('story_id', '=', storyId)
    .where('published_at', 'is not', null)
    .orderBy('position')
    .execute();
  return {
    story,
    tags,
    series,
    chapters,
    rating: RATINGS.find((r) => r.value === story.rating)?.label ?? story.rating,
    status: STATUSES.find((s) => s.value === story.status)?.label ?? story.status,
    tagGroups: groupTags(tags),
  };
}
export type StoryHead = NonNullable<Awaited<ReturnType<typeof storyHead>>>;

function groupTags(tags: { type: string; name: string }[]) {
  const groups = new Map<string, string[]>();
  for (const tag of tags) {
    const label = TAG_TYPE_LABELS[tag.type as keyof typeof TAG_TYPE_LABELS] ?? tag.type;
    groups.set(label, [...(groups.get(label) ?? []), tag.name]);
  }
  return [...groups].map(([label, names]) => ({ label, names }));
}

/**
 * What a download is built from changes exactly when this does: the story's row, its tags and
 * series, and each published chapter's id and last edit. Downloads are cached under it.
 */
export function fingerprint(head: StoryHead): string {
  const { story, tags, series, chapters } = head;
  return createHash('sha256')
    .update(JSON.stringify([story, tags, series, chapters]))
    .digest('base64url')
    .slice(0, 20);
}

/** The published chapters' full text, a batch at a time, in order. */
export type ChapterText = {
  id: number;
  position: number;
  title: string;
  format: TextFormat;
  body_source: string;
  body_html: string;
  note_before_html: string;
  note_after_html: string;
  note_before_source: string;
  note_after_source: string;
};

export async function* chapterTexts(db: Db, head: StoryHead): AsyncGenerator<ChapterText> {
  const ids = head.chapters.map((chapter) => chapter.id);
  for (let from = 0; from < ids.length; from += CHAPTER_BATCH) {
    const rows = await db
      .selectFrom('chapters')
      .select([
        'id',
        'position',
        'title',
        'format',
        'body_source',
        'body_html',
        'note_before_html',
        'note_after_html',
        'note_before_source',
        'note_after_source',
      ])
      .where('id', 'in', ids.slice(from, from + CHAPTER_BATCH))
      .orderBy('position')
      .execute();
    yield* rows;
  }
}
