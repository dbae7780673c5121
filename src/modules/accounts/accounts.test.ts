import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, dialects, type Harness } from '../../../test/harness.ts';
import { isUniqueViolation } from '../../kernel/db/errors.ts';
import { insertUser } from './accounts.repository.ts';

describe.each(dialects)('accounts on %s', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(dialect);
  });
  afterAll(() => h.close());

  it('the first account on an empty archive becomes admin; later ones do not', async () => {
    const first = h.agent();
    const response = await first.submit('/signup', '/signup', {
      username: 'Founder',
      display_name: 'The Founder',
      password: 'correct horse battery',
      password_confirmation: 'correct horse battery',
    });
    expect(response.statusCode).toBe(303);
    expect(first.cookies.has('oak_session')).toBe(true);
    const home = await first.get('/');
    expect(home.body).toContain('The Founder');
    expect(home.body).toContain('Log out');

    const second = h.agent();
    await second.submit('/signup', '/signup', {
      username: 'reader2',
      password: 'another password',
      password_confirmation: 'another password',
    });
    const roles = await h.ctx.db.selectFrom('users').select(['username', 'role']).orderBy('id').execute();
    expect(roles).toEqual([
      { username: 'Founder', role: 'admin' },
      { username: 'reader2', role: 'user' },
    ]);
  });

  it('stores argon2id hashes and only the SHA-256 of session tokens', async () => {
    const user = await h.ctx.db.selectFrom('users').selectAll().where('username_key', '=', 'founder').executeTakeFirstOrThrow();
    expect(user.password_hash).toMatch(/^\$argon2id\$/);
    const agent = await h.login('hashcheck');
    const token = agent.cookies.get('oak_session') ?? '';
    const sessions = await h.ctx.db.selectFrom('sessions').select('token_hash').execute();
    expect(sessions.some((s) => s.token_hash === token)).toBe(false);
    expect(sessions.every((s) => /^[0-9a-f]{64}$/.test(s.token_hash))).toBe(true);
  });

  it('sets the session cookie HttpOnly and SameSite=Lax', async () => {
    const agent = h.agent();
    await h.login('cookiecheck');
    const response = await agent.submit('/login', '/login', { username: 'cookiecheck', password: 'cookiecheck-password' });
    const cookie = String(response.headers['set-cookie']);
    expect(cookie).toMatch(/oak_session=[a-z2-7]{32}/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
  });

  it('usernames are unique regardless of case, and the form keeps what was typed but not the password', async () => {
    const agent = h.agent();
    const response = await agent.submit('/signup', '/signup', {
      username: 'FOUNDER',
      display_name: 'Copycat',
      password: 'secret-password-1',
      password_confirmation: 'secret-password-1',
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('That username is taken.');
    expect(response.body).toContain('value="FOUNDER"');
    expect(response.body).toContain('value="Copycat"');
    expect(response.body).not.toContain('secret-password-1');
  });

  it("the database's unique key backs the name check, and its error is recognised on this dialect", async () => {
    // Two sign-ups racing past the look-up both reach the insert; the second must read as "taken", not a 500.
    const row = {
      username: 'racer',
      username_key: 'racer',
      display_name: 'r',
      username_skeleton: 'racer',
      display_name_skeleton: 'r',
      bio: '',
      role: 'user' as const,
      password_hash: 'x',
      created_at: 1,
    };
    await insertUser(h.ctx.db, row);
    const error = await insertUser(h.ctx.db, { ...row, username: 'RACER' }).catch((e: unknown) => e);
    expect(isUniqueViolation(error)).toBe(true);
    expect(isUniqueViolation(new Error('something else'))).toBe(false);
  });

  it('explains each invalid field next to it, saying more than the help line does', async () => {
    const response = await h.agent().submit('/signup', '/signup', { username: 'a b', password: 'short', password_confirmation: 'other' });
    expect(response.statusCode).toBe(400);
    const errors = [...response.body.matchAll(/<p class="field-error" id="(\w+)-error">([^<]*)<\/p>/g)].map((m) => [m[1], m[2]]);
    expect(errors).toEqual([
      ['username', 'A username cannot contain spaces: use letters, digits, _ or -.'],
      ['password', 'That password has only 5 characters: use at least 8.'],
      ['password_confirmation', 'The two passwords do not match.'],
    ]);
    const helps = [...response.body.matchAll(/<div class="help" id="\w+-help">([^<]*)<\/div>/g)].map((m) => m[1]);
    for (const [, error] of errors) expect(helps).not.toContain(error);
    expect(await h.ctx.db.selectFrom('users').select('id').where('username_key', '=', 'a b').execute()).toEqual([]);
  });

  it('refuses a wrong password without saying which part was wrong', async () => {
    const response = await h.agent().submit('/login', '/login', { username: 'Founder', password: 'not the password' });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('That username and password do not match an account.');
    expect(response.body).toContain('value="Founder"');
    const unknown = await h.agent().submit('/login', '/login', { username: 'nobody-here', password: 'whatever1' });
    expect(unknown.body).toContain('That username and password do not match an account.');
  });

  it('logging in sends you back where you were, but never to another site', async () => {
    await h.login('traveller');
    const agent = h.agent();
    const back = await agent.submit('/login', '/login', {
      username: 'traveller',
      password: 'traveller-password',
      next: '/settings/reading',
    });
    expect(back.headers.location).toBe('/settings/reading');
    const away = await h
      .agent()
      .submit('/login', '/login', { username: 'traveller', password: 'traveller-password', next: '//evil.example/' });
    expect(away.headers.location).toBe('/');
  });

  it.each([
    ['a tab before the second slash', '/\t/evil.example', '/'],
    ['a backslash', '/\\evil.example', '/'],
    ['a newline', '/\n/evil.example', '/'],
    ['CR/LF header injection', '/ok\r\nSet-Cookie: stolen=1', '/okSet-Cookie:%20stolen=1'],
    ['characters above U+00FF', '/stories/ü→✓?q=ā#ē', '/stories/%C3%BC%E2%86%92%E2%9C%93?q=%C4%81#%C4%93'],
    ['an absolute URL', 'https://evil.example/', '/'],
  ])('resolves a next address with %s to a path on this site, and still logs in', async (_name, next, location) => {
    const agent = h.agent();
    const response = await agent.submit('/login', '/login', { username: 'traveller', password: 'traveller-password', next });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(location);
    expect(agent.cookies.has('oak_session')).toBe(true);
    // The reading-settings form's return address goes through the same check.
    const settings = await agent.submit('/settings/reading', '/settings/reading', { theme: 'dark', return: next });
    expect(settings.headers.location).toBe(location === '/' ? '/settings/reading' : location);
  });

  it('logging out ends the session on the server', async () => {
    const agent = await h.login('leaver');
    const token = agent.cookies.get('oak_session');
    const response = await agent.submit('/', '/logout', {});
    expect(response.statusCode).toBe(303);
    const again = await h.app.inject({ url: '/stories/new', headers: { cookie: `oak_session=${token}` } });
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe('/login?next=%2Fstories%2Fnew');
  });

  it('rejects a form without its CSRF token and writes nothing', async () => {
    const agent = h.agent();
    await agent.get('/signup');
    const response = await agent.post('/signup', { username: 'csrfless', password: 'password123', password_confirmation: 'password123' });
    expect(response.statusCode).toBe(403);
    expect(response.body).toContain('This form has expired');
    const forged = await agent.submit(
      '/signup',
      '/signup',
      { username: 'csrfless', password: 'password123', password_confirmation: 'password123' },
      { csrf: 'forged-token' },
    );
    expect(forged.statusCode).toBe(403);
    expect(await h.ctx.db.selectFrom('users').select('id').where('username_key', '=', 'csrfless').execute()).toEqual([]);
  });

  it('rate-limits log-in attempts from one address', async () => {
    const agent = h.agent();
    const token = await agent.csrfFrom('/login');
    const statuses: number[] = [];
    // A name per try, so only the limit per address (not the one per account) can answer 429.
    for (let i = 0; i < 12; i++) {
      const response = await agent.submit('/login', '/login', { username: `guessed-${i}`, password: `guess-${i}` }, { csrf: token });
      statuses.push(response.statusCode);
    }
    expect(statuses.slice(0, 10).every((s) => s === 400)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
  });

  it('shows an author page with a real 404 for unknown names', async () => {
    const page = await h.agent().get('/users/founder');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>The Founder</h1>');
    const missing = await h.agent().get('/users/no-such-person');
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toContain('Author not found.');
  });
});
