import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from './agent.ts';
import { createHarness, dialects, type Harness, testClock } from './harness.ts';
import { addChapter, chapterFields, createStory, storyFields } from './stories.helpers.ts';

describe.each(dialects)('series and co-authors on %s', (dialect) => {
  let h: Harness;
  let author: Agent;
  let friend: Agent;
  let stranger: Agent;
  const parts: number[] = [];
  const clock = testClock();
  beforeAll(async () => {
    h = await createHarness(dialect, clock);
    author = await h.login('author');
    friend = await h.login('friend');
    stranger = await h.login('stranger');
    for (const title of ['Dawn', 'Noon', 'Dusk']) {
      const id = await createStory(author, { title });
      await addChapter(author, id);
      parts.push(id);
    }
  });
  afterAll(() => h.close());

  it('groups stories in order, with "part 2 of 3" and neighbours on each story, reordered by its owner only', async () => {
    const made = await author.submit('/series', '/series', { title: 'The Day', description: 'Three parts.' });
    const series = String(made.headers.location);
    expect(series).toMatch(/^\/series\/\d+$/);
    for (const id of parts) await author.submit(series, `${series}/parts`, { story_id: String(id) });
    const page = (await h.agent().get(series)).body;
    expect([...page.matchAll(/<li><a href="\/stories\/\d+-[^"]*">([^<]*)<\/a>/g)].map((m) => m[1])).toEqual(['Dawn', 'Noon', 'Dusk']);
    const noon = (await h.agent().get(`/stories/${parts[1]}`)).body;
    expect(noon).toMatch(/‹ Dawn<\/a> Part 2 of 3 in <a href="\/series\/\d+">The Day<\/a> <a href="\/stories\/\d+-dusk" rel="next">Dusk ›/);
    await author.submit(series, `${series}/parts/${parts[2]}/up`, {});
    expect((await h.agent().get(`/stories/${parts[2]}`)).body).toContain('Part 2 of 3');
    expect((await h.agent().get(`/stories/${parts[1]}`)).body).toContain('Part 3 of 3');
    // Someone else can neither reorder it nor add their own story to it.
    expect((await stranger.post(`${series}/parts/${parts[0]}/down`, { _csrf: await stranger.csrfFrom('/library') })).statusCode).toBe(403);
    const theirs = await createStory(stranger, { title: 'Intruder' });
    expect(
      (await stranger.post(`${series}/parts`, { _csrf: await stranger.csrfFrom('/library'), story_id: String(theirs) })).statusCode,
    ).toBe(403);
    expect((await author.post(`${series}/parts`, { _csrf: await author.csrfFrom('/library'), story_id: String(theirs) })).statusCode).toBe(
      400,
    );
    await author.submit(series, `${series}/parts/${parts[0]}/remove`, {});
    expect((await h.agent().get(`/stories/${parts[0]}`)).body).not.toContain('Part ');
    expect((await h.agent().get(`/stories/${parts[2]}`)).body).toContain('Part 1 of 2');
    expect((await h.agent().get('/series/99999999')).statusCode).toBe(404);
  });

  it('lets an invited co-author edit the story once they accept, but not delete it', async () => {
    const story = parts[0] as number;
    expect(
      (await friend.submit(`/stories/${story}/edit`, `/stories/${story}`, storyFields({ title: 'Mine now' }), { multipart: true }))
        .statusCode,
    ).toBe(403);
    const invited = await author.submit(`/stories/${story}`, `/stories/${story}/coauthors`, { username: 'friend' });
    expect(invited.statusCode).toBe(303);
    // Invited is not yet allowed.
    expect((await friend.submit(`/stories/${story}/chapters/new`, `/stories/${story}/chapters`, chapterFields())).statusCode).toBe(403);
    expect((await friend.get('/library')).body).toContain('Invitations to co-author');
    // Only the invitee can accept, and only the author can invite.
    expect((await stranger.post(`/stories/${story}/coauthors/accept`, { _csrf: await stranger.csrfFrom('/library') })).statusCode).toBe(
      404,
    );
    expect(
      (await friend.post(`/stories/${story}/coauthors`, { _csrf: await friend.csrfFrom('/library'), username: 'stranger' })).statusCode,
    ).toBe(403);
    await friend.submit('/library', `/stories/${story}/coauthors/accept`, {});
    expect((await h.agent().get(`/stories/${story}`)).body).toMatch(/With <a href="\/users\/friend">friend<\/a>/);
    // The story is on the co-author's page and found by author: as theirs too.
    expect((await h.agent().get('/users/friend')).body).toContain('Dawn');
    expect((await friend.get('/users/friend')).body).toContain('Dawn');
    expect((await h.agent().get('/search?q=author%3Afriend')).body).toContain('Dawn');
    const edited = await friend.submit(`/stories/${story}/edit`, `/stories/${story}`, storyFields({ title: 'Dawn, Revised' }));
    expect(edited.statusCode).toBe(303);
    expect(
      (await friend.submit(`/stories/${story}/chapters/new`, `/stories/${story}/chapters`, chapterFields({ title: 'By the friend' })))
        .statusCode,
    ).toBe(303);
    // The co-author sees their own editing controls on the story page, not the shared page.
    expect((await friend.get(`/stories/${story}`)).body).toContain('Add a chapter');
    expect((await stranger.get(`/stories/${story}`)).body).not.toContain('Add a chapter');
    expect((await friend.post(`/stories/${story}/delete`, { _csrf: await friend.csrfFrom('/library') })).statusCode).toBe(403);
    // The author removes them; their rights end.
    await author.submit(`/stories/${story}`, `/stories/${story}/coauthors/friend/remove`, {});
    expect(
      (await friend.submit(`/stories/${story}/edit`, `/stories/${story}`, storyFields({ title: 'Again' }), { multipart: true })).statusCode,
    ).toBe(403);
    expect((await author.submit(`/stories/${story}`, `/stories/${story}/coauthors`, { username: 'nobody' })).statusCode).toBe(400);
  });
});
