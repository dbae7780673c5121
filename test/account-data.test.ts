import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from './agent.ts';
import { createHarness, dialects, type Harness, testClock } from './harness.ts';
import { addChapter, createStory } from './stories.helpers.ts';

const DAY = 24 * 60 * 60 * 1000;

describe.each(dialects)('your data, your account on %s', (dialect) => {
  let h: Harness;
  let author: Agent;
  let reader: Agent;
  let story: number;
  const clock = testClock();
  beforeAll(async () => {
    h = await createHarness(dialect, clock);
    await h.login('founder', 'admin');
    author = await h.login('quill');
    reader = await h.login('reader');
    story = await createStory(author, { title: 'Ink and Paper', summary: 'A tale of letters.' });
    await addChapter(author, story, { title: 'The First Letter', body: 'Dear *reader*,\n\nI write to you.' });
    clock.advance(2 * DAY);
  });
  afterAll(() => h.close());

  it('changes a username; the old author page redirects and the old name stays reserved', async () => {
    const wrong = await author.submit('/settings/data', '/settings/username', { username: 'penman', password: 'nope' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('That is not your password.');
    expect(
      (await author.submit('/settings/data', '/settings/username', { username: 'reader', password: 'quill-password' })).body,
    ).toContain('That username is taken.');
    const renamed = await author.submit('/settings/data', '/settings/username', { username: 'penman', password: 'quill-password' });
    expect(renamed.headers.location).toBe('/users/penman');
    const old = await h.app.inject({ url: '/users/quill?sort=words' });
    expect(old.statusCode).toBe(301);
    expect(old.headers.location).toBe('/users/penman?sort=words');
    expect((await h.agent().get(`/stories/${story}`)).body).toContain('/users/penman');
    // Nobody else may sign up as the old name.
    const squatter = h.agent();
    const taken = await squatter.submit('/signup', '/signup', {
      username: 'quill',
      display_name: '',
      password: 'long-enough-1',
      password_confirmation: 'long-enough-1',
    });
    expect(taken.body).toContain('That username is taken.');
  });

  it('builds a download of everything by a job, for its owner only, offered for seven days', async () => {
    // Something on a shelf, with a note: the author's own Favourites (made with the account).
    const favourites = /name="shelves" value="(\d+)"/.exec((await author.get(`/stories/${story}/shelve`)).body)?.[1] ?? '';
    expect(
      (await author.submit(`/stories/${story}/shelve`, `/stories/${story}/shelve`, { shelves: favourites, note: 'Lovely letters' }))
        .statusCode,
    ).toBe(303);
    const comments = `/stories/${story}/chapters/${(await h.ctx.db.selectFrom('chapters').select('id').where('story_id', '=', story).executeTakeFirstOrThrow()).id}/comments`;
    await author.submit(comments, comments, { body: 'A note from me.', format: 'markdown' });
    await author.submit('/settings/data', '/settings/export', {});
    expect((await author.get('/settings/data')).body).toContain('being made');
    await h.runJobs();
    const page = (await author.get('/settings/data')).body;
    const link = /href="(\/settings\/export\/\d+)"/.exec(page)?.[1] as string;
    expect(link).toBeDefined();
    expect((await reader.get(link)).statusCode).toBe(404);
    const download = await author.get(link);
    expect(download.headers['content-type']).toBe('application/zip');
    const files = unzipSync(download.rawPayload);
    expect(Object.keys(files).sort()).toEqual(
      expect.arrayContaining([
        'profile.json',
        'settings.json',
        'comments.json',
        'shelves.json',
        'history.json',
        'following.json',
        'README.txt',
      ]),
    );
    const profile = JSON.parse(strFromU8(files['profile.json'] as Uint8Array));
    expect(profile.username).toBe('penman');
    expect(profile).not.toHaveProperty('password_hash');
    const markdown = Object.entries(files).find(([name]) => name.endsWith('.md'));
    expect(markdown?.[0]).toMatch(/^stories\/\d+-ink-and-paper\.md$/);
    expect(strFromU8(markdown?.[1] as Uint8Array)).toContain('# Ink and Paper\n\nA tale of letters.');
    expect(strFromU8(markdown?.[1] as Uint8Array)).toContain('## The First Letter\n\nDear *reader*,');
    expect(JSON.parse(strFromU8(files['comments.json'] as Uint8Array))[0].body_source).toBe('A note from me.');
    const shelves = JSON.parse(strFromU8(files['shelves.json'] as Uint8Array)) as { stories: { note: string }[] }[];
    expect(shelves.flatMap((shelf) => shelf.stories.map((item) => item.note))).toContain('Lovely letters');
    clock.advance(7 * DAY + 1);
    expect((await author.get(link)).statusCode).toBe(404);
  });

  it('deletes an account after its password and a tick: stories orphaned or deleted, comments kept as placeholders', async () => {
    const leaver = await h.login('leaver');
    const kept = await createStory(leaver, { title: 'Left Behind' });
    await addChapter(leaver, kept);
    const comments = `/stories/${story}/chapters/${(await h.ctx.db.selectFrom('chapters').select('id').where('story_id', '=', story).executeTakeFirstOrThrow()).id}/comments`;
    await leaver.submit(comments, comments, { body: 'Goodbye, all.', format: 'markdown' });
    const unticked = await leaver.submit('/settings/delete', '/settings/delete', { stories: 'orphan', password: 'leaver-password' });
    expect(unticked.body).toContain('Tick the box to confirm.');
    const gone = await leaver.submit('/settings/delete', '/settings/delete', {
      stories: 'orphan',
      password: 'leaver-password',
      confirm: 'yes',
    });
    expect(gone.headers.location).toBe('/');
    expect((await leaver.get('/settings/account')).statusCode).toBe(303);
    expect((await h.agent().get('/users/leaver')).statusCode).toBe(404);
    const orphaned = (await h.agent().get(`/stories/${kept}`)).body;
    expect(orphaned).toContain('/users/orphan_account');
    const thread = (await h.agent().get(comments)).body;
    expect(thread).toContain('This comment was deleted.');
    expect(thread).not.toContain('Goodbye, all.');
    // Nobody logs in as the orphan account.
    expect((await h.agent().submit('/login', '/login', { username: 'orphan_account', password: '!' })).statusCode).toBe(400);

    const quitter = await h.login('quitter');
    const doomed = await createStory(quitter, { title: 'Doomed' });
    await addChapter(quitter, doomed);
    await quitter.submit('/settings/delete', '/settings/delete', { stories: 'delete', password: 'quitter-password', confirm: 'yes' });
    expect((await h.agent().get(`/stories/${doomed}`)).statusCode).toBe(404);
    expect((await h.agent().get('/search?q=doomed')).body).not.toContain('Doomed');
  });
});
