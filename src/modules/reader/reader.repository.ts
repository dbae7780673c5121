import { prepared } from '../../kernel/db/prepared.ts';
import type { Db } from '../../kernel/db/schema.ts';
import { coauthorsOf } from '../stories/stories.service.ts';

/** What the reader shows of a chapter and its story: no sources, no description, no tags. */
const chapterWithStory = prepared((db: Db, storyId: number, chapterId: number) =>
  db
    .selectFrom('chapters')
    .innerJoin('stories', 'stories.id', 'chapters.story_id')
    .innerJoin('users', 'users.id', 'stories.author_id')
    .select([
      'chapters.id',
      'chapters.position',
      'chapters.title',
      'chapters.body_html',
      'chapters.note_before_html',
      'chapters.note_after_html',
      'chapters.word_count',
      'chapters.published_at',
      'stories.title as story_title',
      'stories.slug as story_slug',
      'stories.rating as story_rating',
      'stories.summary as story_summary',
      'stories.status as story_status',
      'stories.author_id',
      'stories.published_at as story_published_at',
      'stories.hidden_at as story_hidden_at',
      'stories.hidden_reason as story_hidden_reason',
      'users.display_name as author_display_name',
      'stories.original_author',
      'stories.comments_locked',
      coauthorsOf(db),
    ])
    .where('chapters.story_id', '=', storyId)
    .where('chapters.id', '=', chapterId),
);

export async function findChapterWithStory(db: Db, storyId: number, chapterId: number) {
  return (await chapterWithStory(db, storyId, chapterId))[0];
}

/** Every chapter's place, title and state, for numbering, previous / next and the jump list. */
export const chapterPlaces = prepared((db: Db, storyId: number) =>
  db.selectFrom('chapters').select(['id', 'position', 'title', 'published_at']).where('story_id', '=', storyId).orderBy('position'),
);
