import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from './agent.ts';
import { createHarness, dialects, type Harness, testClock } from './harness.ts';
import { addChapter, createStory } from './stories.helpers.ts';

const bodies = (html: string) =>
  [...html.matchAll(/<div class="prose comment-body">([\s\S]*?)<\/div>/g)].map((m) => m[1]?.replace(/<[^>]+>/g, '').trim());

describe.each(dialects)('comments on %s', (dialect) => {
  let h: Harness;
  let author: Agent;
  let reader: Agent;
  let other: Agent;
  let storyId: number;
  let chapterId: number;
  let comments: string;
  const clock = testClock();
  beforeAll(async () => {
    h = await createHarness(dialect, clock);
    author = await h.login('writer');
    reader = await h.login('reader');
    other = await h.login('other');
    storyId = await createStory(author, { title: 'Talk' });
    chapterId = await addChapter(author, storyId, { title: 'One' });
    comments = `/stories/${storyId}/chapters/${chapterId}/comments`;
    // Past their first day, so the newcomers' comment limit (tested in moderation.test.ts) does not apply.
    clock.advance(2 * 24 * 60 * 60 * 1000);
  });
  afterAll(() => h.close());

  const post = (agent: Agent, body: string, extra: Record<string, string> = {}) =>
    agent.submit(comments, comments, { body, format: 'markdown', ...extra });
  const idOf = (location: unknown) => Number(/\/comments\/(\d+)$/.exec(String(location))?.[1]);

  it('posts comments and threaded replies in Markdown, sanitised, linked from the chapter with a count', async () => {
    const first = await post(reader, 'Loved **this**. <script>alert(1)</script> See [my site](https://example.org/spam).');
    expect(first.statusCode).toBe(303);
    const firstId = idOf(first.headers.location);
    const permalink = await h.app.inject({ url: `/comments/${firstId}` });
    expect(permalink.statusCode).toBe(302);
    expect(permalink.headers.location).toMatch(new RegExp(`/chapters/${chapterId}-one/comments#comment-${firstId}$`));
    const reply = await reader.get(`/comments/${firstId}/reply`);
    expect(reply.body).toContain(`name="parent_id" value="${firstId}"`);
    expect((await post(author, 'Thank you!', { parent_id: String(firstId) })).statusCode).toBe(303);
    const page = (await h.agent().get(comments)).body;
    expect(page).toContain('Loved <strong>this</strong>.');
    expect(page).not.toContain('<script>alert');
    // Links in comments tell search engines not to follow them.
    expect(page).toContain('<a href="https://example.org/spam" rel="nofollow ugc noopener noreferrer">my site</a>');
    expect(page).toMatch(
      /<ol class="comment-replies"><li class="comment" id="comment-\d+"><p class="comment-meta"><a href="\/users\/writer">writer<\/a><span class="badge">author<\/span>/,
    );
    expect(page).toContain('<p class="muted">2 comments</p>');
    const chapter = (await h.agent().get(`/stories/${storyId}/chapters/${chapterId}`)).body;
    expect(chapter).toContain('>Comments (2)</a>');
    // Anonymous readers see the thread and a link to log in, not a form.
    expect(page).toContain(`<a href="/login?next=`);
    expect(page).not.toContain('name="body"');
  });

  it('refuses what it must: no session, empty or oversized text, a draft chapter, a reply to another chapter', async () => {
    const anonymous = await h.agent().submit(comments, comments, { body: 'hi', format: 'markdown' }, { csrf: false });
    expect([401, 403]).toContain(anonymous.statusCode);
    const empty = await post(reader, '   ');
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Write something first.');
    expect((await post(reader, 'x'.repeat(10_001))).body).toContain('A comment is at most 10,000 characters.');
    const draft = await addChapter(author, storyId, { title: 'Draft', action: 'draft' });
    expect((await reader.get(`/stories/${storyId}/chapters/${draft}/comments`)).statusCode).toBe(404);
    const otherChapter = await addChapter(author, storyId, { title: 'Two' });
    const elsewhere = await reader.submit(
      `/stories/${storyId}/chapters/${otherChapter}/comments`,
      `/stories/${storyId}/chapters/${otherChapter}/comments`,
      { body: 'hi', format: 'markdown' },
    );
    const elsewhereId = idOf(elsewhere.headers.location);
    expect((await post(reader, 'cross', { parent_id: String(elsewhereId) })).statusCode).toBe(404);
    expect((await h.agent().get('/comments/99999999999')).statusCode).toBe(404);
  });

  it('lets the writer edit for 15 minutes, marked edited; nobody else, and not after', async () => {
    const posted = await post(reader, 'Tpyo here.');
    const id = idOf(posted.headers.location);
    expect(
      (
        await other.submit(
          `/comments/${id}/edit`,
          `/comments/${id}`,
          { body: 'hijack', format: 'markdown' },
          { csrf: await other.csrfFrom('/') },
        )
      ).statusCode,
    ).toBe(403);
    const edited = await reader.submit(`/comments/${id}/edit`, `/comments/${id}`, { body: 'Typo here.', format: 'markdown' });
    expect(edited.statusCode).toBe(303);
    const page = (await reader.get(comments)).body;
    expect(page).toContain('Typo here.');
    expect(page).toMatch(new RegExp(`id="comment-${id}"><p class="comment-meta">.*?<span class="muted"> · edited</span>`));
    clock.advance(16 * 60 * 1000);
    const late = await reader.submit(`/comments/${id}/edit`, `/comments/${id}`, { body: 'Too late', format: 'markdown' });
    expect(late.statusCode).toBe(403);
    expect(late.body).toContain('Comments can be edited for 15 minutes after posting.');
  });

  it('deletes into a placeholder that keeps the replies; the story’s author and moderators may delete others’ comments', async () => {
    const top = idOf((await post(other, 'A rude remark.')).headers.location);
    await post(reader, 'A reply to it.', { parent_id: String(top) });
    expect((await reader.submit(comments, `/comments/${top}/delete`, {})).statusCode).toBe(403);
    expect((await author.submit(comments, `/comments/${top}/delete`, {})).statusCode).toBe(303);
    const page = (await h.agent().get(comments)).body;
    expect(page).toMatch(
      new RegExp(`id="comment-${top}"><p class="muted comment-deleted">This comment was deleted.</p><ol class="comment-replies">`),
    );
    expect(page).toContain('A reply to it.');
    expect(page).not.toContain('A rude remark.');
    // Replying to a deleted comment is refused; a moderator may delete anyone's.
    expect((await post(reader, 'late', { parent_id: String(top) })).statusCode).toBe(400);
    const moderator = await h.login('mod', 'moderator');
    const mine = idOf((await post(reader, 'Spam link.')).headers.location);
    expect((await moderator.submit(comments, `/comments/${mine}/delete`, {})).statusCode).toBe(303);
  });

  it('lets the author close the story to new comments, and keeps a history on each commenter’s profile', async () => {
    expect((await reader.submit(comments, `${comments}/lock`, { locked: '1' })).statusCode).toBe(403);
    expect((await author.submit(comments, `${comments}/lock`, { locked: '1' })).statusCode).toBe(303);
    const closed = await post(reader, 'Still there?');
    expect(closed.statusCode).toBe(403);
    expect((await reader.get(comments)).body).toContain('The author has closed this story to new comments.');
    await author.submit(comments, `${comments}/lock`, { locked: '0' });
    expect((await post(reader, 'Open again.')).statusCode).toBe(303);
    const history = (await h.agent().get('/users/reader/comments')).body;
    expect(bodies(history)[0]).toBe('Open again.');
    expect(bodies(history)).not.toContain('Spam link.');
  });

  it('pages threads oldest first, twenty at a time', async () => {
    const chapter = await addChapter(author, storyId, { title: 'Busy' });
    const path = `/stories/${storyId}/chapters/${chapter}/comments`;
    for (let i = 1; i <= 23; i++) await reader.submit(path, path, { body: `Comment ${i}`, format: 'markdown' });
    const first = (await h.agent().get(path)).body;
    expect(bodies(first)).toHaveLength(20);
    expect(bodies(first)[0]).toBe('Comment 1');
    const next = /<a class="button" href="([^"]+)" rel="next">/.exec(first)?.[1]?.replaceAll('&amp;', '&') ?? '';
    const second = (await h.agent().get(next)).body;
    expect(bodies(second)).toEqual(['Comment 21', 'Comment 22', 'Comment 23']);
    // A permalink to a later thread opens the page that holds it.
    const id = /id="comment-(\d+)"/.exec(second)?.[1];
    const moved = await h.app.inject({ url: `/comments/${id}` });
    const landed = (await h.agent().get(String(moved.headers.location).replace(/#.*/, ''))).body;
    expect(bodies(landed)[0]).toBe('Comment 21');
  });
});
