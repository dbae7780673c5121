import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendDigests, sendDueMail } from '../src/modules/notifications/notifications.mail.ts';
import type { Agent } from './agent.ts';
import { createHarness, dialects, type Harness, testClock } from './harness.ts';
import { linkIn, type Smtp, startSmtp } from './smtp.ts';
import { addChapter, createStory } from './stories.helpers.ts';

const DAY = 24 * 60 * 60 * 1000;

describe.each(dialects)('e-mail through a real SMTP server on %s', (dialect) => {
  let h: Harness;
  let smtp: Smtp;
  let reader: Agent;
  const clock = testClock();
  beforeAll(async () => {
    smtp = await startSmtp();
    h = await createHarness(dialect, clock, { SMTP_URL: smtp.url, PUBLIC_URL: 'https://oak.example' });
    reader = await h.login('reader');
  });
  afterAll(async () => {
    await h.close();
    await smtp.close();
  });

  const setEmail = (agent: Agent, email: string) => agent.submit('/settings/account', '/settings/email', { email });

  it('verifies an address by a link sent to it; a wrong or stale link verifies nothing', async () => {
    expect((await setEmail(reader, 'not an address')).body).toContain('That does not look like an e-mail address.');
    const saved = await setEmail(reader, 'reader@example.org');
    expect(saved.statusCode).toBe(303);
    expect((await reader.get('/settings/account')).body).toContain('This address is not verified yet');
    // The mail goes out from the job queue, not from the request.
    expect(smtp.to('reader@example.org')).toHaveLength(0);
    await h.runJobs();
    const [mail] = smtp.to('reader@example.org');
    expect(mail?.subject).toBe('Confirm your e-mail address for Golden Oak');
    const link = linkIn(mail, '/settings/email/verify');
    expect(mail?.text).toContain(`https://oak.example${link}`);
    expect((await reader.get(`${link.slice(0, -3)}abc`)).statusCode).toBe(400);
    expect((await reader.get('/settings/email/verify?token=1.2')).statusCode).toBe(400);
    const verified = await reader.get(link);
    expect(verified.headers.location).toBe('/settings/account');
    expect((await reader.get('/settings/account')).body).toContain('This address is verified.');
    // A link for an address that has since changed verifies nothing.
    await setEmail(reader, 'other@example.org');
    expect((await reader.get(link)).statusCode).toBe(400);
    await h.runJobs();
    await reader.get(linkIn(smtp.to('other@example.org')[0], '/settings/email/verify'));
    await setEmail(reader, 'reader@example.org');
    await h.runJobs();
    await reader.get(linkIn(smtp.to('reader@example.org').at(-1), '/settings/email/verify'));
    expect((await reader.get('/settings/account')).body).toContain('This address is verified.');
  });

  it('resets a password by a link that works once, and says the same whether or not an account matches', async () => {
    const anonymous = h.agent();
    const asked = await anonymous.submit('/forgot-password', '/forgot-password', { login: 'reader@example.org' });
    const nobody = await anonymous.submit('/forgot-password', '/forgot-password', { login: 'nobody@example.org' });
    expect(asked.statusCode).toBe(200);
    expect(nobody.body.replace(/value="[^"]*"/g, '')).toBe(asked.body.replace(/value="[^"]*"/g, ''));
    await h.runJobs();
    const mail = smtp.to('reader@example.org').find((m) => m.subject === 'Reset your Golden Oak password');
    const link = linkIn(mail, '/reset-password');
    const mismatch = await anonymous.submit(link, '/reset-password', {
      token: link.split('token=')[1] ?? '',
      password: 'new-password-1',
      password_confirmation: 'nope',
    });
    expect(mismatch.statusCode).toBe(400);
    const reset = await anonymous.submit(link, '/reset-password', {
      token: decodeURIComponent(link.split('token=')[1] ?? ''),
      password: 'new-password-1',
      password_confirmation: 'new-password-1',
    });
    expect(reset.headers.location).toBe('/login');
    // The old session ended; the new password works and the old one does not.
    expect((await reader.get('/settings/account')).statusCode).toBe(303);
    const fresh = h.agent();
    expect((await fresh.submit('/login', '/login', { username: 'reader', password: 'reader-password' })).statusCode).toBe(400);
    expect((await fresh.submit('/login', '/login', { username: 'reader', password: 'new-password-1' })).statusCode).toBe(303);
    reader = fresh;
    // The link is bound to the password it replaced: used once, it is spent.
    expect((await anonymous.get(link)).statusCode).toBe(400);

    // A link mailed to an address the account then changed ends with that address.
    await anonymous.submit('/forgot-password', '/forgot-password', { login: 'reader' });
    await h.runJobs();
    const second = linkIn(
      smtp
        .to('reader@example.org')
        .filter((m) => m.subject === 'Reset your Golden Oak password')
        .at(-1),
      '/reset-password',
    );
    expect((await anonymous.get(second)).statusCode).toBe(200);
    await setEmail(reader, 'moved@example.org');
    expect((await anonymous.get(second)).statusCode).toBe(400);
    const late = await anonymous.post('/reset-password', {
      _csrf: await anonymous.csrfFrom('/forgot-password'),
      token: decodeURIComponent(second.split('token=')[1] ?? ''),
      password: 'taken-over-1',
      password_confirmation: 'taken-over-1',
    });
    expect(late.statusCode).toBe(400);
    expect((await h.agent().submit('/login', '/login', { username: 'reader', password: 'taken-over-1' })).statusCode).toBe(400);
    // Back to the verified address the later tests use.
    await setEmail(reader, 'reader@example.org');
    await h.runJobs();
    await reader.get(linkIn(smtp.to('reader@example.org').at(-1), '/settings/email/verify'));
  });

  it('mails notifications at once or in a daily digest, as each reader chose, and only to verified addresses', async () => {
    const author = await h.login('author');
    const story = await createStory(author, { title: 'Letters' });
    await addChapter(author, story, { title: 'One' });
    await reader.submit('/users/author', '/users/author/follow', { action: 'follow' });
    const settings = (await reader.get('/settings/notifications')).body;
    expect(settings).toContain('value="email"');
    await reader.submit('/settings/notifications', '/settings/notifications', { new_chapter: 'email', follower: 'site' });
    // The author has no address: their e-mail choice cannot even be offered.
    expect((await author.get('/settings/notifications')).body).not.toContain('value="email"');
    const before = smtp.received.length;
    await addChapter(author, story, { title: 'Two' });
    await h.runJobs();
    const chapterMail = smtp.received.slice(before);
    expect(chapterMail).toHaveLength(1);
    expect(chapterMail[0]?.to).toEqual(['reader@example.org']);
    expect(chapterMail[0]?.subject).toBe('author posted Two of “Letters”.');
    expect(chapterMail[0]?.text).toMatch(/https:\/\/oak\.example\/stories\/\d+-letters\/chapters\/\d+-two/);
    // Digest: nothing at once; one mail listing both at midnight.
    await reader.submit('/settings/notifications', '/settings/notifications', { new_chapter: 'digest' });
    await addChapter(author, story, { title: 'Three' });
    await addChapter(author, story, { title: 'Four' });
    await h.runJobs();
    expect(smtp.received.length).toBe(before + 1);
    clock.advance(DAY);
    await h.runJobs();
    const digest = smtp.received.slice(before + 1);
    expect(digest).toHaveLength(1);
    expect(digest[0]?.subject).toBe('Golden Oak: 2 new notifications');
    expect(digest[0]?.text).toContain('• author posted Three of “Letters”.');
    expect(digest[0]?.text).toContain('• author posted Four of “Letters”.');
    // Sent is sent: the next midnight brings no second digest.
    clock.advance(DAY);
    await h.runJobs();
    expect(smtp.received.length).toBe(before + 2);
  });
});

describe('without SMTP_URL', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness('sqlite');
  });
  afterAll(() => h.close());

  it('hides every mail feature', async () => {
    const reader = await h.login('reader');
    expect((await reader.get('/settings/account')).body).not.toContain('E-mail address');
    expect((await h.agent().get('/login')).body).not.toContain('/forgot-password');
    expect((await h.agent().get('/forgot-password')).statusCode).toBe(404);
    expect((await h.agent().get('/reset-password?token=1.2.3')).statusCode).toBe(404);
    expect((await reader.post('/settings/email', { _csrf: await reader.csrfFrom('/settings/account'), email: 'a@b.org' })).statusCode).toBe(
      404,
    );
  });
});

describe.each(dialects)('notification mail with several runs at once, on %s', (dialect) => {
  let h: Harness;
  let smtp: Smtp;
  const clock = testClock();
  const readers: number[] = [];
  beforeAll(async () => {
    smtp = await startSmtp();
    h = await createHarness(dialect, clock, { SMTP_URL: smtp.url, PUBLIC_URL: 'https://oak.example' });
    const author = await h.login('author');
    const story = await createStory(author, { title: 'Letters' });
    const chapter = await addChapter(author, story, { title: 'One' });
    const authorId = (await h.ctx.db.selectFrom('users').select('id').where('username', '=', 'author').executeTakeFirstOrThrow()).id;
    for (let i = 0; i < 4; i++) {
      await h.login(`reader${i}`);
      const { id } = await h.ctx.db
        .updateTable('users')
        .set({ email: `reader${i}@example.org`, email_verified_at: clock.now() })
        .where('username', '=', `reader${i}`)
        .returning('id')
        .executeTakeFirstOrThrow();
      readers.push(id);
    }
    // Sixty due at once for the first reader, twelve for each other reader's digest.
    const row = (user_id: number, mail: 'now' | 'digest') => ({
      user_id,
      kind: 'new_chapter' as const,
      actor_id: authorId,
      story_id: story,
      chapter_id: chapter,
      comment_id: null,
      created_at: clock.now(),
      read_at: null,
      mail,
    });
    await h.ctx.db
      .insertInto('notifications')
      .values([
        ...Array.from({ length: 60 }, () => row(readers[0] as number, 'now')),
        ...readers.slice(1).flatMap((id) => Array.from({ length: 12 }, () => row(id, 'digest'))),
      ])
      .execute();
  });
  afterAll(async () => {
    await h.close();
    await smtp.close();
  });

  it('mails each notification once when three runs send at the same moment, digests too', async () => {
    await Promise.all([sendDueMail(h.ctx), sendDueMail(h.ctx), sendDueMail(h.ctx)]);
    expect(smtp.to('reader0@example.org')).toHaveLength(60);
    await Promise.all([sendDigests(h.ctx), sendDigests(h.ctx), sendDigests(h.ctx)]);
    for (const i of [1, 2, 3]) {
      const digests = smtp.to(`reader${i}@example.org`);
      expect(digests).toHaveLength(1);
      expect(digests[0]?.subject).toBe('Golden Oak: 12 new notifications');
    }
    expect(smtp.received).toHaveLength(63);
  });

  it('sends a claimed mail once more only when the run that claimed it died, after its claim lapses', async () => {
    const [first] = readers as [number];
    const ids = await h.ctx.db
      .updateTable('notifications')
      .set({ mail: 'now', mail_claimed_until: clock.now() + 60_000 })
      .where('user_id', '=', first)
      .returning('id')
      .execute();
    const before = smtp.received.length;
    // Claimed by a run that crashed: nobody else sends it while the claim holds...
    await sendDueMail(h.ctx);
    expect(smtp.received.length).toBe(before);
    // ... and once it lapses, it is sent, once.
    clock.advance(61_000);
    await Promise.all([sendDueMail(h.ctx), sendDueMail(h.ctx)]);
    expect(smtp.received.length).toBe(before + ids.length);
  });
});
