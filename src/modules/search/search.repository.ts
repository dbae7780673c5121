import type { Db } from '../../kernel/db/schema.ts';

/** The chapters search results point into, with the text their snippets are cut from. */
export async function matchedChapters(db: Db, ids: number[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('chapters')
    .select(['id', 'story_id', 'title', 'body_html', 'note_before_html', 'note_after_html'])
    .where('id', 'in', ids)
    .where('published_at', 'is not', null)
    .execute();
}
