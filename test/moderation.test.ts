import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NEW_ACCOUNT_COMMENTS } from '../src/modules/comments/comments.policy.ts';
import type { Agent } from './agent.ts';
import { createHarness, dialects, type Harness, testClock } from './harness.ts';
import { addChapter, chapterFields, createStory } from './stories.helpers.ts';

const DAY = 24 * 60 * 60 * 1000;

describe.each(dialects)('reports, hiding, suspensions and the audit log on %s', (dialect) => {
  let h: Harness;
  let author: Agent;
  let reader: Agent;
  let moderator: Agent;
  let story: number;
  let chapter: number;
  const clock = testClock();
  beforeAll(async () => {
    h = await createHarness(dialect, clock);
    author = await h.login('author');
    reader = await h.login('reader');
    moderator = await h.login('mod', 'moderator');
    story = await createStory(author, { title: 'Contested', summary: 'Something someone dislikes.' });
    chapter = await addChapter(author, story, { title: 'First', body: 'The original words.' });
  });
  afterAll(() => h.close());

  const comments = () => `/stories/${story}/chapters/${chapter}/comments`;

  it('files a report with a snapshot of the text as it was, for moderators only', async () => {
    const form = await reader.get(`/report?kind=story&id=${story}`);
    expect(form.body).toContain('Report the story “Contested”');
    expect(
      (await reader.submit(`/report?kind=story&id=${story}`, '/report', { kind: 'story', id: String(story), reason: ' ' })).statusCode,
    ).toBe(400);
    const filed = await reader.submit(`/report?kind=chapter&id=${chapter}`, '/report', {
      kind: 'chapter',
      id: String(chapter),
      reason: 'Stolen text',
    });
    expect(filed.statusCode).toBe(303);
    // The author changes the chapter afterwards: the report keeps what was reported.
    await author.submit(`/stories/${story}/chapters/${chapter}/edit`, `/stories/${story}/chapters/${chapter}`, {
      title: 'First',
      body: 'New words.',
      format: 'markdown',
      note_before: '',
      note_after: '',
      action: 'publish',
    });
    const queue = (await moderator.get('/moderation')).body;
    expect(queue).toContain('Stolen text');
    expect(queue).toContain('The original words.');
    expect(queue).not.toContain('New words.');
    expect((await reader.get('/moderation')).statusCode).toBe(403);
    expect((await h.agent().get('/moderation')).statusCode).toBe(303);
    // Nonsense targets name nothing; one's own work cannot be reported.
    expect((await reader.get('/report?kind=planet&id=1')).statusCode).toBe(404);
    expect((await reader.get('/report?kind=story&id=99999999')).statusCode).toBe(404);
    expect(
      (await author.submit(`/report?kind=story&id=${story}`, '/report', { kind: 'story', id: String(story), reason: 'me' })).statusCode,
    ).toBe(400);
  });

  it('hides a story from lists, search and its page for everyone but its author and moderators, then restores it', async () => {
    await h.ctx.db
      .updateTable('users')
      .set({ created_at: clock.now() - 2 * DAY })
      .execute();
    expect((await h.agent().get('/')).body).toContain('Contested');
    const hid = await moderator.submit(`/stories/${story}`, `/moderation/stories/${story}/hide`, { reason: 'Under review' });
    expect(hid.statusCode).toBe(303);
    expect((await h.agent().get('/')).body).not.toContain('Contested');
    expect((await h.agent().get('/search?q=contested')).body).not.toContain('Contested');
    expect((await h.agent().get(`/stories/${story}`)).statusCode).toBe(404);
    expect((await reader.get(`/stories/${story}/chapters/${chapter}`)).statusCode).toBe(404);
    const own = (await author.get(`/stories/${story}`)).body;
    expect(own).toContain('A moderator hid this story: Under review.');
    expect((await moderator.get(`/stories/${story}`)).statusCode).toBe(200);
    await moderator.submit(`/stories/${story}`, `/moderation/stories/${story}/restore`, { reason: 'Fine after all' });
    expect((await h.agent().get(`/stories/${story}`)).statusCode).toBe(200);
    // A reader cannot use the moderator's buttons.
    expect(
      (await reader.post(`/moderation/stories/${story}/hide`, { _csrf: await reader.csrfFrom('/settings/account'), reason: 'x' }))
        .statusCode,
    ).toBe(403);
  });

  it('hides a comment behind a placeholder, with a notice to its writer', async () => {
    await reader.submit(comments(), comments(), { body: 'Rude words here.', format: 'markdown' });
    const id = (await h.ctx.db.selectFrom('comments').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow()).id;
    await moderator.submit(comments(), `/moderation/comments/${id}/hide`, {});
    expect((await h.agent().get(comments())).body).toContain('This comment was hidden by a moderator.');
    expect((await h.agent().get(comments())).body).not.toContain('Rude words');
    const writer = (await reader.get(comments())).body;
    expect(writer).toContain('A moderator hid this comment');
    expect(writer).toContain('Rude words here.');

    // Nowhere else: not its writer's history, not the editor or reply form to anyone, and no replies.
    const stranger = await h.login('stranger');
    for (const agent of [h.agent(), stranger, author]) expect((await agent.get('/users/reader/comments')).body).not.toContain('Rude words');
    expect((await stranger.get(`/comments/${id}/edit`)).statusCode).toBe(404);
    expect((await stranger.get(`/comments/${id}/edit`)).body).not.toContain('Rude words');
    expect((await stranger.get(`/comments/${id}/reply`)).statusCode).toBe(404);
    const reply = await stranger.submit(comments(), comments(), { body: 'Replying anyway.', format: 'markdown', parent_id: String(id) });
    expect(reply.statusCode).toBe(400);
    expect(await h.ctx.db.selectFrom('comments').select('id').where('parent_id', '=', id).execute()).toEqual([]);
    // Another account never gets a comment's source through its editor, hidden or not.
    await reader.submit(comments(), comments(), { body: 'Kind words here.', format: 'markdown' });
    const kind = (await h.ctx.db.selectFrom('comments').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow()).id;
    const editor = await stranger.get(`/comments/${kind}/edit`);
    expect(editor.statusCode).toBe(403);
    expect(editor.body).not.toContain('Kind words');
    expect((await reader.get(`/comments/${kind}/edit`)).body).toContain('Kind words here.');
    // A hidden story's comments leave its readers' histories too.
    expect((await h.agent().get('/users/reader/comments')).body).toContain('Kind words');
    const hiddenStory = await createStory(author, { title: 'Soon hidden' });
    const hiddenChapter = await addChapter(author, hiddenStory, { title: 'Only' });
    const there = `/stories/${hiddenStory}/chapters/${hiddenChapter}/comments`;
    await reader.submit(there, there, { body: 'Words on a doomed story.', format: 'markdown' });
    expect((await h.agent().get('/users/reader/comments')).body).toContain('doomed story');
    await moderator.submit(`/stories/${hiddenStory}`, `/moderation/stories/${hiddenStory}/hide`, { reason: 'Under review' });
    expect((await h.agent().get('/users/reader/comments')).body).not.toContain('doomed story');
  });

  it('suspends an account: it reads but cannot write until the suspension ends; moderators cannot suspend admins', async () => {
    const troll = await h.login('troll');
    const suspended = await moderator.submit('/users/troll', '/moderation/users/troll/suspend', { days: '3', reason: 'Spam' });
    expect(suspended.statusCode).toBe(303);
    expect((await troll.get(`/stories/${story}`)).statusCode).toBe(200);
    const refused = await troll.submit(comments(), comments(), { body: 'Let me in', format: 'markdown' });
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('Your account is suspended until');
    expect((await troll.submit('/stories/new', '/stories', { title: 'x' })).statusCode).toBe(403);
    expect((await troll.submit('/users/author', '/users/author/follow', { action: 'follow' })).statusCode).toBe(403);
    // Leaving still works: a suspended account may delete itself.
    const leaving = await h.login('leaving');
    await moderator.submit('/users/leaving', '/moderation/users/leaving/suspend', { days: '3', reason: 'Spam' });
    const gone = await leaving.submit('/settings/delete', '/settings/delete', {
      stories: 'delete',
      password: 'leaving-password',
      confirm: 'yes',
    });
    expect(gone.statusCode).toBe(303);
    expect(await h.ctx.db.selectFrom('users').select('id').where('username', '=', 'leaving').execute()).toEqual([]);
    // Logging out still works.
    expect((await troll.submit('/', '/logout', {})).statusCode).toBe(303);
    clock.advance(3 * DAY + 1);
    const back = await h.agent();
    await back.submit('/login', '/login', { username: 'troll', password: 'troll-password' });
    expect((await back.submit('/users/author', '/users/author/follow', { action: 'follow' })).statusCode).toBe(303);
    await h.login('boss', 'admin');
    expect((await moderator.submit('/users/boss', '/moderation/users/boss/suspend', { days: '1', reason: 'x' })).statusCode).toBe(403);
    expect((await moderator.submit('/users/troll', '/moderation/users/troll/suspend', { days: '0', reason: 'x' })).headers.location).toBe(
      '/moderation',
    );
  });

  it('keeps an audit log of every moderation action, for moderators', async () => {
    // A wrangling change is an action like any other.
    const tag = await h.ctx.db.selectFrom('tags').select('id').where('name', '=', 'Friendship').executeTakeFirstOrThrow();
    await moderator.submit(`/tags/${tag.id}/wrangle`, `/tags/${tag.id}/wrangle`, {
      canonical: '1',
      synonym_of: '',
      fandoms: '',
      metatags: '',
    });
    const log = (await moderator.get('/moderation/log')).body;
    expect(log).toContain('<td>wrangle</td>');
    expect(log).toMatch(/<td>wrangle<\/td><td>tag \d+<\/td><td>canonical<\/td>/);
    for (const action of ['hide', 'restore', 'suspend']) expect(log).toContain(`<td>${action}</td>`);
    expect(log).toContain('@mod');
    expect(log).toContain('3 days: Spam');
    expect((await reader.get('/moderation/log')).statusCode).toBe(403);
  });

  it('limits a new account’s comments harder than an established one’s', async () => {
    const fresh = await h.login('newcomer');
    const statuses: number[] = [];
    for (let i = 0; i <= NEW_ACCOUNT_COMMENTS; i++) {
      statuses.push(
        (await fresh.submit(comments(), comments(), { body: `Hello ${i} https://spam.example`, format: 'markdown' })).statusCode,
      );
    }
    expect(statuses.slice(0, NEW_ACCOUNT_COMMENTS).every((s) => s === 303)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    // Links in comments never pass reputation.
    expect((await h.agent().get(comments())).body).toMatch(/<a href="https:\/\/spam\.example" rel="nofollow ugc[^"]*"/);
    // An account older than a day is not held to the newcomer's limit.
    for (let i = 0; i <= NEW_ACCOUNT_COMMENTS; i++) {
      expect((await reader.submit(comments(), comments(), { body: `Reply ${i}`, format: 'markdown' })).statusCode).toBe(303);
    }
  });
});

describe.each(dialects)('what a hidden story or a chapter back in draft leaves behind, on %s', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(dialect);
  });
  afterAll(() => h.close());

  it('keeps their titles and tags out of suggestions, notifications and the library', async () => {
    const author = await h.login('author');
    const reader = await h.login('reader');
    const moderator = await h.login('mod', 'moderator');
    await reader.submit('/users/author', '/users/author/follow', { action: 'follow' });
    const story = await createStory(author, { title: 'Soon Gone', tags: 'Zanzibarian Lore' });
    await addChapter(author, story, { title: 'Opening' });
    await h.runJobs();
    const chapter = await addChapter(author, story, { title: 'Second Part' });
    await h.runJobs();
    await reader.get(`/stories/${story}/chapters/${chapter}`);
    const suggest = async () => (await h.app.inject({ url: '/tags/suggest?type=freeform&q=zanzib' })).json().names;
    expect(await suggest()).toEqual(['Zanzibarian Lore']);
    expect((await reader.get('/notifications')).body).toContain('Second Part');
    expect((await reader.get('/library')).body).toContain('Soon Gone');

    // The chapter goes back to draft under a new name: notifications do not learn it.
    const edit = `/stories/${story}/chapters/${chapter}`;
    await author.submit(`${edit}/edit`, edit, chapterFields({ title: 'Spoiler Title', action: 'draft' }));
    const notifications = (await reader.get('/notifications')).body;
    expect(notifications).not.toContain('Spoiler Title');
    expect(notifications).not.toContain('Second Part');
    expect(notifications).toContain('chapter 2');
    await author.submit(`${edit}/edit`, edit, chapterFields({ title: 'Second Part', action: 'publish' }));

    await moderator.submit(`/stories/${story}`, `/moderation/stories/${story}/hide`, { reason: 'Under review' });
    expect(await suggest()).toEqual([]);
    expect((await reader.get('/notifications')).body).not.toContain('Soon Gone');
    expect((await reader.get('/library')).body).not.toContain('Soon Gone');
    expect((await reader.get('/')).body).not.toContain('Soon Gone');
  });
});
