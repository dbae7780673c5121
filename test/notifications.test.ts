import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from './agent.ts';
import { createHarness, dialects, type Harness, testClock } from './harness.ts';
import { addChapter, createStory } from './stories.helpers.ts';

const notificationTexts = (html: string) => [...html.matchAll(/<a href="\/notifications\/\d+">([^<]*)<\/a>/g)].map((m) => m[1]);

describe.each(dialects)('follows, subscriptions and notifications on %s', (dialect) => {
  let h: Harness;
  let author: Agent;
  let reader: Agent;
  let story: number;
  const clock = testClock();
  beforeAll(async () => {
    h = await createHarness(dialect, clock);
    author = await h.login('author');
    reader = await h.login('reader');
    story = await createStory(author, { title: 'The Long Road' });
    await addChapter(author, story, { title: 'Setting out' });
    await h.runJobs();
  });
  afterAll(() => h.close());

  const follow = (agent: Agent, username: string, action = 'follow') =>
    agent.submit(`/users/${username}`, `/users/${username}/follow`, { action });
  const subscribe = (agent: Agent, storyId: number, action = 'subscribe') =>
    agent.submit(`/stories/${storyId}/subscription`, `/stories/${storyId}/subscription`, { action });

  it('tells an author of a new follower, with an unread count in the header until it is opened', async () => {
    const response = await follow(reader, 'author');
    expect(response.statusCode).toBe(303);
    expect((await reader.get('/users/author')).body).toContain('You follow author.');
    const home = (await author.get('/')).body;
    expect(home).toMatch(/Notifications \(1\)/);
    const page = (await author.get('/notifications')).body;
    expect(notificationTexts(page)).toEqual(['reader now follows you.']);
    const id = /href="\/notifications\/(\d+)"/.exec(page)?.[1];
    const opened = await author.get(`/notifications/${id}`);
    expect(opened.headers.location).toBe('/users/reader');
    expect((await author.get('/')).body).not.toMatch(/Notifications \(\d+\)/);
    // Following twice is one follow and one notification.
    await follow(reader, 'author');
    expect(notificationTexts((await author.get('/notifications')).body)).toHaveLength(1);
    // Nobody follows themself, and a wrong name is a 404.
    expect(
      (await author.post('/users/author/follow', { _csrf: await author.csrfFrom('/users/reader'), action: 'follow' })).statusCode,
    ).toBe(400);
    expect(
      (await reader.post('/users/nobody/follow', { _csrf: await reader.csrfFrom('/users/author'), action: 'follow' })).statusCode,
    ).toBe(404);
  });

  it('tells followers of a new story and subscribers of a new chapter, through the job queue, drafts never', async () => {
    const subscriber = await h.login('subscriber');
    expect((await subscribe(subscriber, story)).statusCode).toBe(303);
    expect((await subscriber.get(`/stories/${story}/subscription`)).body).toContain('You are subscribed');
    await addChapter(author, story, { title: 'The river', action: 'draft' });
    await addChapter(author, story, { title: 'The bridge' });
    const fresh = await createStory(author, { title: 'Second Wind' });
    await addChapter(author, fresh, { title: 'Opening' });
    // Nothing reaches anyone until the fan-out job runs.
    expect(notificationTexts((await subscriber.get('/notifications')).body)).toEqual([]);
    expect(await h.runJobs()).toBeGreaterThanOrEqual(2);
    expect(notificationTexts((await subscriber.get('/notifications')).body)).toEqual(['author posted The bridge of “The Long Road”.']);
    // The follower hears of both: the new chapter (as the author's follower) and the new story.
    expect(notificationTexts((await reader.get('/notifications')).body)).toEqual([
      'author published a new story, “Second Wind”.',
      'author posted The bridge of “The Long Road”.',
    ]);
    // Unsubscribed: the next chapter reaches followers only.
    await subscribe(subscriber, story, 'unsubscribe');
    await addChapter(author, story, { title: 'Home' });
    await h.runJobs();
    expect(notificationTexts((await subscriber.get('/notifications')).body)).toHaveLength(1);
    expect(notificationTexts((await reader.get('/notifications')).body)[0]).toBe('author posted Home of “The Long Road”.');
  });

  it('tells a commenter of a reply and an author of comments and kudos, each as the reader chose', async () => {
    const chapters = await h.ctx.db.selectFrom('chapters').select('id').where('story_id', '=', story).orderBy('position').execute();
    const comments = `/stories/${story}/chapters/${chapters[0]?.id}/comments`;
    await reader.submit(comments, comments, { body: 'What a start.', format: 'markdown' });
    const commentId = (await h.ctx.db.selectFrom('comments').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow()).id;
    await author.submit(`/comments/${commentId}/reply`, comments, { body: 'Thank you!', format: 'markdown', parent_id: String(commentId) });
    const authorSees = notificationTexts((await author.get('/notifications')).body);
    expect(authorSees[0]).toBe('reader commented on Setting out of “The Long Road”.');
    expect(notificationTexts((await reader.get('/notifications')).body)[0]).toBe('author replied to your comment on “The Long Road”.');
    // Kudos from an account and from a guest; then the author turns kudos notifications off.
    reader.headers = { 'sec-fetch-site': 'same-origin' };
    await reader.post(`/stories/${story}/kudos`, {});
    reader.headers = {};
    const guest = h.agent();
    guest.headers = { 'sec-fetch-site': 'same-origin' };
    await guest.post(`/stories/${story}/kudos`, {});
    expect(notificationTexts((await author.get('/notifications')).body).slice(0, 2)).toEqual([
      'A guest left kudos on “The Long Road”.',
      'reader left kudos on “The Long Road”.',
    ]);
    const settings = await author.get('/settings/notifications');
    expect(settings.body).not.toContain('value="email"');
    const saved = await author.submit('/settings/notifications', '/settings/notifications', { kudos: 'off', comment: 'site' });
    expect(saved.headers.location).toBe('/settings/notifications?saved=1');
    expect((await author.get('/settings/notifications')).body).toMatch(/name="kudos" value="off" checked/);
    // An e-mail mode is refused while the archive sends no mail.
    expect((await author.submit('/settings/notifications', '/settings/notifications', { kudos: 'email' })).statusCode).toBe(400);
    const third = h.agent();
    third.headers = { 'sec-fetch-site': 'same-origin' };
    await third.post(`/stories/${story}/kudos`, {});
    expect(notificationTexts((await author.get('/notifications')).body)[0]).toBe('A guest left kudos on “The Long Road”.');
    expect(notificationTexts((await author.get('/notifications')).body).filter((t) => t?.includes('kudos'))).toHaveLength(2);
    // Mark all read.
    await author.submit('/notifications', '/notifications/read', {});
    expect((await author.get('/notifications')).body).not.toContain('class="unread"');
  });

  it('keeps a notification to its reader: another account cannot open it', async () => {
    const row = await h.ctx.db
      .selectFrom('notifications')
      .innerJoin('users', 'users.id', 'notifications.user_id')
      .select('notifications.id')
      .where('users.username', '=', 'author')
      .executeTakeFirstOrThrow();
    expect((await reader.get(`/notifications/${row.id}`)).statusCode).toBe(404);
    expect((await h.agent().get('/notifications')).statusCode).toBe(303);
  });

  it('lets a reader block an account: no comments, replies, kudos or follows from it, and no notifications of it', async () => {
    const pest = await h.login('pest');
    await follow(pest, 'author');
    expect((await subscribe(pest, story)).statusCode).toBe(303);
    const blocked = await author.submit('/users/pest', '/users/pest/block', { action: 'block' });
    expect(blocked.statusCode).toBe(303);
    // Blocking ended the follow, and a new one is refused.
    expect(
      (
        await h.ctx.db
          .selectFrom('follows')
          .innerJoin('users', 'users.id', 'follows.follower_id')
          .select('users.username')
          .where('users.username', '=', 'pest')
          .execute()
      ).length,
    ).toBe(0);
    expect((await follow(pest, 'author')).statusCode).toBe(403);
    // Nor does it keep or make a subscription to the blocker's stories.
    const pestId = (await h.ctx.db.selectFrom('users').select('id').where('username', '=', 'pest').executeTakeFirstOrThrow()).id;
    expect(await h.ctx.db.selectFrom('subscriptions').select('story_id').where('user_id', '=', pestId).execute()).toEqual([]);
    expect((await subscribe(pest, story)).statusCode).toBe(403);
    const chapter = (
      await h.ctx.db.selectFrom('chapters').select('id').where('story_id', '=', story).orderBy('position').executeTakeFirstOrThrow()
    ).id;
    const comments = `/stories/${story}/chapters/${chapter}/comments`;
    const comment = await pest.submit(comments, comments, { body: 'Hello again', format: 'markdown' });
    expect(comment.statusCode).toBe(403);
    expect(comment.body).toContain('blocked you');
    pest.headers = { 'sec-fetch-site': 'same-origin' };
    expect((await pest.post(`/stories/${story}/kudos`, {})).statusCode).toBe(403);
    pest.headers = {};
    expect((await author.get('/following')).body).toMatch(/Blocked[\s\S]*href="\/users\/pest"/);
    await author.submit('/users/pest', '/users/pest/block', { action: 'unblock' });
    expect((await follow(pest, 'author')).statusCode).toBe(303);
  });
});
