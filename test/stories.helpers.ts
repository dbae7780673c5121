import { expect } from 'vitest';
import type { Db } from '../src/kernel/db/schema.ts';
import type { Agent, FormFields } from './agent.ts';

export const storyFields = (overrides: FormFields = {}): FormFields => ({
  title: 'The Long Road',
  summary: 'A dragon leaves home.',
  description: 'A story about *goodbyes*.',
  description_format: 'markdown',
  rating: 'everyone',
  status: 'incomplete',
  warnings: 'No Archive Warnings Apply',
  tags: 'Friendship, Slice of Life',
  ...overrides,
});

export const chapterFields = (overrides: FormFields = {}): FormFields => ({
  title: 'Chapter One',
  format: 'markdown',
  body: 'It was a cold morning.\n\nShe waited by the door.',
  note_before: '',
  note_after: '',
  action: 'publish',
  ...overrides,
});

/** Creates a story through the form and returns its id. */
export async function createStory(agent: Agent, overrides: FormFields = {}): Promise<number> {
  const response = await agent.submit('/stories/new', '/stories', storyFields(overrides));
  expect(response.statusCode, problemIn(response.body)).toBe(303);
  return Number(/\/stories\/(\d+)-[^/]*$/.exec(response.headers.location as string)?.[1]);
}

/** Adds a chapter through the form and returns its id. */
export async function addChapter(agent: Agent, storyId: number, overrides: FormFields = {}): Promise<number> {
  const response = await agent.submit(`/stories/${storyId}/chapters/new`, `/stories/${storyId}/chapters`, chapterFields(overrides));
  expect(response.statusCode, problemIn(response.body)).toBe(303);
  return Number(/\/chapters\/(\d+)-[^/]*$/.exec(response.headers.location as string)?.[1]);
}

/** The form's error messages, so a failed helper says why. */
function problemIn(html: string): string {
  return [...html.matchAll(/class="(?:form|field)-error"[^>]*>([^<]*)</g)].map((m) => m[1]).join(' | ') || html.slice(0, 300);
}

/**
 * Many published stories at once, as a bulk import would leave them: written straight to the
 * tables (the forms would take minutes), each with the given tag, filter set included.
 */
export async function insertStories(db: Db, authorId: number, count: number, at: number, tagId: number) {
  const rows = Array.from({ length: count }, (_, i) => ({
    author_id: authorId,
    title: `Bulk ${i}`,
    slug: `bulk-${i}`,
    rating: 'everyone' as const,
    status: 'complete' as const,
    created_at: at,
    updated_at: at,
    published_at: at,
  }));
  const ids: { id: number }[] = [];
  for (let i = 0; i < rows.length; i += 500)
    ids.push(
      ...(await db
        .insertInto('stories')
        .values(rows.slice(i, i + 500))
        .returning('id')
        .execute()),
    );
  for (let i = 0; i < ids.length; i += 500) {
    const links = ids.slice(i, i + 500).map(({ id }) => ({ story_id: id, tag_id: tagId }));
    await db.insertInto('story_tags').values(links).execute();
    await db.insertInto('story_filter_tags').values(links).execute();
  }
  return ids.map(({ id }) => id);
}
