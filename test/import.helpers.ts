import { expect } from 'vitest';
import type { Agent } from './agent.ts';
import type { Harness } from './harness.ts';

/** Imports a file through the form, published, and reads back the story, its tags and its chapters. */
export async function importThroughForm(h: Harness, agent: Agent, filename: string, contentType: string, bytes: Buffer) {
  const response = await agent.submit('/import', '/import', { file: { filename, contentType, bytes }, publish: 'on' });
  expect(response.statusCode, /field-error[^>]*>([^<]*)/.exec(response.body)?.[1]).toBe(303);
  const id = Number(/\/stories\/(\d+)/.exec(String(response.headers.location))?.[1]);
  const story = await h.ctx.db.selectFrom('stories').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const tags = await h.ctx.db
    .selectFrom('story_tags')
    .innerJoin('tags', 'tags.id', 'story_tags.tag_id')
    .select(['tags.type', 'tags.name'])
    .where('story_tags.story_id', '=', id)
    .execute();
  const chapters = await h.ctx.db
    .selectFrom('chapters')
    .select(['title', 'body_html', 'note_before_html', 'note_after_html'])
    .where('story_id', '=', id)
    .orderBy('position')
    .execute();
  return { story, tags: tags.map((t) => `${t.type}:${t.name}`).sort(), chapters };
}
