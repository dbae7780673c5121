import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, dialects, type Harness } from '../../../test/harness.ts';

describe.each(dialects)('account settings on %s', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(dialect);
  });
  afterAll(() => h.close());

  it('an author sets a display name and a plain-text bio, shown on their page with nothing live', async () => {
    const author = await h.login('bard');
    const response = await author.submit('/settings/account', '/settings/profile', {
      display_name: 'The Bard',
      bio: 'Writes ballads.\n<script>alert(1)</script>',
    });
    expect(response.statusCode).toBe(303);
    expect((await author.get('/settings/account?saved=profile')).body).toContain('Your profile is saved.');
    const page = (await h.agent().get('/users/bard')).body;
    expect(page).toContain('<h1>The Bard</h1>');
    expect(page).toContain('<p>Writes ballads.</p>');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).not.toContain('<script>');
  });

  it('formats a bio in Markdown or BBCode, as the description is', async () => {
    const author = await h.login('formatter');
    for (const [format, bio, html] of <const>[
      ['markdown', 'Writes *ballads*.', '<p>Writes <em>ballads</em>.</p>'],
      ['bbcode', 'Writes [b]epics[/b].', '<strong>epics</strong>'],
    ]) {
      const response = await author.submit('/settings/account', '/settings/profile', {
        display_name: 'Formatter',
        bio,
        bio_format: format,
      });
      expect(response.statusCode).toBe(303);
      expect((await h.agent().get('/users/formatter')).body).toContain(html);
      expect((await author.get('/settings/account')).body).toContain(`<option value="${format}" selected>`);
    }
  });

  it('keeps what was typed when the profile is invalid', async () => {
    const author = await h.login('poet');
    const response = await author.submit('/settings/account', '/settings/profile', { display_name: '  ', bio: 'Kept bio' });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Enter the name readers will see.');
    expect(response.body).toContain('Kept bio');
    const user = await h.ctx.db
      .selectFrom('users')
      .select(['display_name', 'bio'])
      .where('username', '=', 'poet')
      .executeTakeFirstOrThrow();
    expect(user).toEqual({ display_name: 'poet', bio: '' });
  });

  it('changing the password needs the current one and signs out other devices', async () => {
    const laptop = await h.login('keeper');
    const phone = h.agent();
    await phone.submit('/login', '/login', { username: 'keeper', password: 'keeper-password' });

    const wrong = await laptop.submit('/settings/account', '/settings/password', {
      current_password: 'not it',
      password: 'brand new password',
      password_confirmation: 'brand new password',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('That is not your current password.');
    expect(wrong.body).not.toContain('brand new password');

    const right = await laptop.submit('/settings/account', '/settings/password', {
      current_password: 'keeper-password',
      password: 'brand new password',
      password_confirmation: 'brand new password',
    });
    expect(right.statusCode).toBe(303);
    expect((await laptop.get('/settings/account')).statusCode).toBe(200);
    expect((await phone.get('/settings/account')).statusCode).toBe(303);
    const old = await h.agent().submit('/login', '/login', { username: 'keeper', password: 'keeper-password' });
    expect(old.statusCode).toBe(400);
    const fresh = await h.agent().submit('/login', '/login', { username: 'keeper', password: 'brand new password' });
    expect(fresh.statusCode).toBe(303);
  });

  it('is only for signed-in people', async () => {
    expect((await h.agent().get('/settings/account')).headers.location).toBe('/login?next=%2Fsettings%2Faccount');
    expect((await h.agent().submit('/login', '/settings/profile', { display_name: 'x' })).statusCode).toBe(401);
  });
});
