import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent, FormFields } from './agent.ts';
import { createHarness, dialects, type Harness } from './harness.ts';
import { addChapter, chapterFields, createStory, storyFields } from './stories.helpers.ts';

type Target = { story: number; chapter: number };
/** `keeps`: an editor that shows its form again, filled with what was sent, instead of an error page. */
type WriteRoute = { path: (t: Target) => string; fields: FormFields; multipart?: boolean; anonymous?: boolean; keeps?: string };

/** Every route that changes something. */
const ROUTES: Record<string, WriteRoute> = {
  'sign up': {
    path: () => '/signup',
    fields: { username: 'forged', password: 'a long password', password_confirmation: 'a long password' },
    anonymous: true,
  },
  'log in': { path: () => '/login', fields: { username: 'victim', password: 'victim-password' }, anonymous: true },
  'log out': { path: () => '/logout', fields: {} },
  profile: { path: () => '/settings/profile', fields: { display_name: 'Forged Name', bio: 'forged' }, keeps: 'Forged Name' },
  password: {
    path: () => '/settings/password',
    fields: { current_password: 'victim-password', password: 'forged password', password_confirmation: 'forged password' },
  },
  'new story': { path: () => '/stories', fields: storyFields({ title: 'Forged story' }), multipart: true, keeps: 'Forged story' },
  'edit story': {
    path: (t) => `/stories/${t.story}`,
    fields: storyFields({ title: 'Forged title' }),
    multipart: true,
    keeps: 'Forged title',
  },
  'delete story': { path: (t) => `/stories/${t.story}/delete`, fields: {} },
  'new chapter': {
    path: (t) => `/stories/${t.story}/chapters`,
    fields: chapterFields({ title: 'Forged chapter' }),
    keeps: 'Forged chapter',
  },
  'edit chapter': {
    path: (t) => `/stories/${t.story}/chapters/${t.chapter}`,
    fields: chapterFields({ title: 'Forged edit' }),
    keeps: 'Forged edit',
  },
  'move chapter': { path: (t) => `/stories/${t.story}/chapters/${t.chapter}/move`, fields: { direction: 'down' } },
  'mute list': { path: () => '/settings/mutes', fields: { tags: 'forged', authors: '' } },
  'default filter': { path: () => '/settings/default-filter', fields: { filters: 'rating=explicit', action: 'save' } },
  'delete chapter': { path: (t) => `/stories/${t.story}/chapters/${t.chapter}/delete`, fields: {} },
  import: {
    path: () => '/import',
    fields: { title: 'Forged import', file: { filename: 'page.txt', contentType: 'text/plain', bytes: Buffer.from('A forged story.') } },
    multipart: true,
  },
};

describe.each(dialects)('CSRF on every write route, on %s', (dialect) => {
  let h: Harness;
  let victim: Agent;
  let target: Target;
  let foreignToken: string;
  beforeAll(async () => {
    h = await createHarness(dialect);
    victim = await h.login('victim');
    target = { story: await createStory(victim, { title: 'Kept title' }), chapter: 0 };
    target.chapter = await addChapter(victim, target.story, { title: 'Kept chapter' });
    await addChapter(victim, target.story, { title: 'Second' });
    await victim.get('/settings/account');
    // A valid token, but for another browser's secret: what an attacker could obtain for themselves.
    foreignToken = await (await h.login('attacker')).csrfFrom('/settings/account');
  });
  afterAll(() => h.close());

  /** Everything a forged request could have changed. */
  async function state() {
    const db = h.ctx.db;
    return {
      users: await db.selectFrom('users').select(['username', 'display_name', 'password_hash', 'bio']).orderBy('id').execute(),
      sessions: (await db.selectFrom('sessions').select('id').execute()).length,
      stories: await db.selectFrom('stories').select(['id', 'title']).orderBy('id').execute(),
      chapters: await db.selectFrom('chapters').select(['id', 'title', 'position']).orderBy('id').execute(),
      mutes: await db.selectFrom('muted_tags').select(['user_id', 'pattern']).execute(),
      defaults: await db.selectFrom('users').select(['id', 'default_filter']).orderBy('id').execute(),
    };
  }

  const cases = Object.entries(ROUTES).flatMap(([name, route]) =>
    (['no token', 'a wrong token', "another browser's token"] as const).map((how) => [name, how, route] as const),
  );

  it.each(cases)('%s with %s is refused with 403 and changes nothing', async (_name, how, route) => {
    const agent = route.anonymous ? h.agent() : victim;
    if (route.anonymous) await agent.get('/login');
    const before = await state();
    const token = how === 'no token' ? undefined : how === 'a wrong token' ? 'forged-token' : foreignToken;
    const fields: FormFields = token ? { _csrf: token, ...route.fields } : route.fields;
    const response = await agent.post(route.path(target), fields, { multipart: route.multipart === true });
    expect(response.statusCode).toBe(403);
    if (route.keeps) {
      // The text comes back in the form, with a fresh token, and a line saying why nothing was saved.
      expect(response.body).toContain('This form had expired, so nothing was saved yet.');
      expect(response.body).toContain(`value="${route.keeps}"`);
      expect(response.body).not.toContain('Not yours to change');
    } else expect(response.body).toContain('This form has expired');
    expect(await state()).toEqual(before);
  });

  it('lets the reading settings through without a token: they only set how pages look, in a cookie', async () => {
    const before = await state();
    const response = await h.agent().post('/settings/reading', { theme: 'dark', return: '/' });
    expect(response.statusCode).toBe(303);
    expect(String(response.headers['set-cookie'])).toContain('oak_prefs=theme=dark');
    expect(await state()).toEqual(before);
  });
});
