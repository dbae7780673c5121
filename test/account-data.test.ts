import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetPassword } from '../src/modules/accounts/accounts.service.ts';
import type { Agent } from './agent.ts';
import { createHarness, dialects, type Harness, testClock } from './harness.ts';
import { photoWithExif } from './images.ts';
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
    const doomed = await createStory(quitter, {
      title: 'Doomed',
      cover: { filename: 'cover.jpg', contentType: 'image/jpeg', bytes: await photoWithExif(600, 900) },
    });
    await addChapter(quitter, doomed);
    await quitter.submit('/settings/data', '/settings/export', {});
    await h.runJobs();
    const files = async () => {
      const keys: string[] = [];
      for await (const key of h.ctx.storage.list()) keys.push(key);
      return keys;
    };
    const cover = (await h.ctx.db.selectFrom('stories').select('cover_key').where('id', '=', doomed).executeTakeFirstOrThrow()).cover_key;
    const quitterId = (await h.ctx.db.selectFrom('users').select('id').where('username', '=', 'quitter').executeTakeFirstOrThrow()).id;
    expect((await files()).filter((key) => key.includes(String(cover)) || key.startsWith(`exports/${quitterId}-`))).toHaveLength(3);
    await quitter.submit('/settings/delete', '/settings/delete', { stories: 'delete', password: 'quitter-password', confirm: 'yes' });
    expect((await h.agent().get(`/stories/${doomed}`)).statusCode).toBe(404);
    // Its cover and its data download are gone from storage, so from later backups too.
    expect((await files()).filter((key) => key.includes(String(cover)) || key.startsWith(`exports/${quitterId}-`))).toEqual([]);
    expect((await h.agent().get('/search?q=doomed')).body).not.toContain('Doomed');
  });
});

describe.each(dialects)('the orphan account is the archive’s own, on %s', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(dialect);
  });
  afterAll(() => h.close());

  it('refuses orphan_account and its look-alikes as a new name, even on an empty archive, and gives orphans only to the system account', async () => {
    const signUp = (username: string, display_name = '') =>
      h
        .agent()
        .submit('/signup', '/signup', { username, display_name, password: 'a long password', password_confirmation: 'a long password' });
    for (const name of ['orphan_account', 'Orphan_Account', 'orphan-acc0unt', '0rphan_account', 'ORPHAN-ACCOUNT']) {
      const refused = await signUp(name);
      expect(refused.statusCode, name).toBe(400);
      expect(refused.body).toContain('That name belongs to the archive itself.');
    }
    for (const display of ['Orphan Account', 'orphаn.account']) expect((await signUp('squatter', display)).statusCode, display).toBe(400);
    // Nobody became admin or anything else on the way.
    expect(await h.ctx.db.selectFrom('users').select('username').execute()).toEqual([]);

    // The first person still becomes admin (the system account is nobody); a rename to the name is refused as well.
    expect((await signUp('firstperson')).statusCode).toBe(303);
    expect((await h.ctx.db.selectFrom('users').select('role').where('username', '=', 'firstperson').executeTakeFirstOrThrow()).role).toBe(
      'admin',
    );
    const first = h.agent();
    expect((await first.submit('/login', '/login', { username: 'firstperson', password: 'a long password' })).statusCode).toBe(303);
    const renamed = await first.submit('/settings/data', '/settings/username', {
      username: 'orphan_acc0unt',
      password: 'a long password',
    });
    expect(renamed.statusCode).toBe(400);
    expect([...renamed.body.matchAll(/class="(?:form|field)-error"[^>]*>([^<]*)</g)].map((m) => m[1])).toContain(
      'That name belongs to the archive itself.',
    );

    const leaver = await h.login('leaver');
    const kept = await createStory(leaver, { title: 'Left Behind' });
    await addChapter(leaver, kept);
    await leaver.submit('/settings/delete', '/settings/delete', { stories: 'orphan', password: 'leaver-password', confirm: 'yes' });
    const owner = await h.ctx.db
      .selectFrom('stories')
      .innerJoin('users', 'users.id', 'stories.author_id')
      .select(['users.username', 'users.system'])
      .where('stories.id', '=', kept)
      .executeTakeFirstOrThrow();
    expect(owner).toEqual({ username: 'orphan_account', system: 1 });
    // An operator cannot give it a password.
    await expect(resetPassword(h.ctx, 'orphan_account', 'a password of my own')).rejects.toThrow('the archive’s own account');
  });
});
