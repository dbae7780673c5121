import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineFor } from '../src/modules/search/engine.ts';
import { createHarness, dialects, type Harness } from './harness.ts';
import { addChapter, createStory } from './stories.helpers.ts';

/** What any search engine must do (a new one, OpenSearch say, passes this before the list query meets it). */
describe.each(dialects)('the search engine contract, on %s', (dialect) => {
  let h: Harness;
  let story: number;
  let chapter: number;
  let other: number;
  beforeAll(async () => {
    h = await createHarness(dialect);
    const author = await h.login('engineer');
    story = await createStory(author, { title: 'Copper Kettle', tags: '' });
    chapter = await addChapter(author, story, { body: 'The kettle sang on the stove.' });
    other = await createStory(author, { title: 'Iron Gate', tags: '' });
    await addChapter(author, other, { body: 'The gate sang in the wind.' });
  });
  afterAll(() => h.close());

  const engine = () => engineFor(h.ctx.db);
  const found = async (groups: string[][][], excluded: string[][] = []) =>
    (await engine().match(h.ctx.db, groups, excluded)).matches?.map((match) => match.storyId).sort();

  it('matches every group, any term of a group, and leaves out the excluded', async () => {
    expect(await found([[['kettle']]])).toEqual([story]);
    expect(await found([[['sang']]])).toEqual([story, other].sort());
    expect(await found([[['kettle'], ['gate']]])).toEqual([story, other].sort());
    expect(await found([[['sang']], [['stove']]])).toEqual([story]);
    const result = await engine().match(h.ctx.db, [[['sang']]], [['kettle']]);
    expect(result.excluded).toEqual([story]);
    const best = result.matches?.find((match) => match.storyId === story);
    expect(best?.chapterId).toBe(chapter);
    expect(Number.isInteger(best?.score)).toBe(true);
  });

  it('finds phrases only in order', async () => {
    expect(await found([[['kettle', 'sang']]])).toEqual([story]);
    expect(await found([[['sang', 'kettle']]])).toEqual([]);
  });

  it('indexes, reports and removes a story’s chapters', async () => {
    expect(await engine().indexed(h.ctx.db, [story])).toEqual(new Set([chapter]));
    await h.ctx.db.transaction().execute(async (trx) => {
      await engine().index(trx, story, [{ chapterId: chapter, meta: ['brass'], title: [], body: ['whistle'] }], null);
    });
    expect(await found([[['whistle']]])).toEqual([story]);
    expect(await found([[['kettle']]])).toEqual([]);
    await h.ctx.db.transaction().execute((trx) => engine().remove(trx, story, [chapter]));
    expect(await engine().indexed(h.ctx.db, [story])).toEqual(new Set());
    expect(await found([[['whistle']]])).toEqual([]);
  });
});
