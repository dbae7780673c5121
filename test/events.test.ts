import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { record, staleScopes, write } from '../src/kernel/events/events.ts';
import type { Agent } from './agent.ts';
import { createHarness, dialects, type Harness, testClock } from './harness.ts';
import { addChapter, createStory } from './stories.helpers.ts';

const titles = (html: string) => [...html.matchAll(/<h2 class="card-title"><a href="[^"]*">([^<]*)<\/a>/g)].map((m) => m[1]);

/** Each write records events; the subscribers registered once carry them out. Through HTTP, as a user meets them. */
describe.each(dialects)('what a write sets in motion, on %s', (dialect) => {
  let h: Harness;
  const clock = testClock();
  beforeAll(async () => {
    h = await createHarness(dialect, clock, { PUBLIC_URL: 'https://oak.example' });
  });
  afterAll(() => h.close());

  const found = async (q: string) => titles((await h.agent().get(`/search?q=${encodeURIComponent(q)}`)).body);
  async function publishedStory(agent: Agent, title: string) {
    const id = await createStory(agent, { title });
    await addChapter(agent, id, { title: 'One', body: 'Plain words.' });
    return id;
  }

  it('finds an author by the display name she chose, and no longer by the old one', async () => {
    const author = await h.login('marisol');
    await publishedStory(author, 'Salt Roads');
    const rename = (name: string) => author.submit('/settings/account', '/settings/profile', { display_name: name, bio: '' });
    expect((await rename('Quillfeather')).statusCode).toBe(303);
    expect(await found('Quillfeather')).toEqual(['Salt Roads']);
    expect((await rename('Inkwright')).statusCode).toBe(303);
    expect(await found('Inkwright')).toEqual(['Salt Roads']);
    expect(await found('Quillfeather')).toEqual([]);
  });

  it('finds an author by her new username, and no longer by the old one', async () => {
    const author = await h.login('oldpen');
    // A display name of her own: the one made at sign-up is the username, and would still find her.
    await author.submit('/settings/account', '/settings/profile', { display_name: 'Harbour Pen', bio: '' });
    await publishedStory(author, 'Tide Tables');
    expect(await found('oldpen')).toEqual(['Tide Tables']);
    const renamed = await author.submit('/settings/data', '/settings/username', { username: 'newquill', password: 'oldpen-password' });
    expect(renamed.statusCode).toBe(303);
    expect(await found('newquill')).toEqual(['Tide Tables']);
    expect(await found('oldpen')).toEqual([]);
  });

  it('cuts an orphaned account’s name from every story it wrote', async () => {
    const leaver = await h.login('vanishing');
    await publishedStory(leaver, 'Left Lantern');
    await publishedStory(leaver, 'Second Lantern');
    expect((await found('vanishing')).sort()).toEqual(['Left Lantern', 'Second Lantern']);
    const gone = await leaver.submit('/settings/delete', '/settings/delete', {
      stories: 'orphan',
      password: 'vanishing-password',
      confirm: 'yes',
    });
    expect(gone.statusCode).toBe(303);
    expect(await found('vanishing')).toEqual([]);
    // The stories stay, findable by their words and credited to the orphan account.
    expect((await found('Lantern')).sort()).toEqual(['Left Lantern', 'Second Lantern']);
    expect((await found('orphan_account')).sort()).toEqual(['Left Lantern', 'Second Lantern']);
  });

  it('queues the readers’ notice when a chapter goes public, and the followers’ Delete when it is deleted', async () => {
    const author = await h.login('herald');
    const id = await createStory(author, { title: 'Bells' });
    const jobs = (kind: string) =>
      h.ctx.db.selectFrom('jobs').select('payload').where('kind', '=', kind).execute() as Promise<{ payload: string }[]>;
    const before = (await jobs('notify.chapter')).length;
    const chapter = await addChapter(author, id, { title: 'Peal' });
    const notices = await jobs('notify.chapter');
    expect(notices).toHaveLength(before + 1);
    expect(JSON.parse(notices.at(-1)?.payload ?? '{}')).toEqual({ chapterId: chapter, newStory: true });
    const deleted = await author.submit(`/stories/${id}/chapters/${chapter}/delete`, `/stories/${id}/chapters/${chapter}/delete`, {});
    expect(deleted.statusCode).toBe(303);
    const withdrawn = (await jobs('federation.withdraw')).map((job) => JSON.parse(job.payload));
    expect(withdrawn).toContainEqual({ authorId: expect.any(Number), chapterIds: [chapter] });
  });

  it('rolls the whole write back when a subscriber fails, and refuses an event recorded outside a write', async () => {
    const author = await h.login('rollback');
    const id = await createStory(author, { title: 'Half Written' });
    const failing = { ...h.ctx, subscribers: [{ name: 'broken', handle: () => Promise.reject(new Error('index down')) }] };
    await expect(
      write(failing, async (trx) => {
        await trx.updateTable('stories').set({ title: 'Never Saved' }).where('id', '=', id).execute();
        record(trx, { type: 'storyChanged', storyId: id });
      }),
    ).rejects.toThrow('index down');
    const story = await h.ctx.db.selectFrom('stories').select('title').where('id', '=', id).executeTakeFirstOrThrow();
    expect(story.title).toBe('Half Written');
    expect(() => record(h.ctx.db, { type: 'storyChanged', storyId: id })).toThrow(/outside write/);
  });
});

describe('the pages each event makes stale', () => {
  it('names the lists, the stories and the sessions each event touches, once each', () => {
    expect(staleScopes([{ type: 'commentsChanged', storyId: 4 }])).toEqual(['story:4']);
    expect(staleScopes([{ type: 'kudosLeft', storyId: 4, storyAuthorId: 1, giverId: null }]).sort()).toEqual(['lists', 'story:4']);
    expect(staleScopes([{ type: 'accountChanged', userId: 1 }])).toEqual(['sessions']);
    expect(staleScopes([{ type: 'shelvesChanged', storyId: null }])).toEqual(['lists']);
    expect(
      staleScopes([
        { type: 'authorRenamed', userId: 1, storyIds: [2, 3] },
        { type: 'storyChanged', storyId: 2 },
      ]).sort(),
    ).toEqual(['lists', 'sessions', 'story:2', 'story:3']);
    expect(staleScopes([])).toEqual([]);
  });
});
