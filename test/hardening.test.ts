import { mkdtempSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../src/archive.ts';
import { loadConfig } from '../src/kernel/config.ts';
import { signUp } from '../src/modules/accounts/accounts.service.ts';
import { sweepExpiredSessions } from '../src/modules/accounts/sessions.ts';
import type { Agent } from './agent.ts';
import { createHarness, dialects, type Harness, testClock } from './harness.ts';
import { photoWithExif } from './images.ts';
import { addChapter, chapterFields, createStory, storyFields } from './stories.helpers.ts';

const DAY = 24 * 60 * 60 * 1000;

/** Sends the start of a request and never the rest: an answer proves the server did not wait for the body. */
function answerBeforeBody(port: number, head: string, firstBytes = ''): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(head + firstBytes));
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('no answer: the server waited for the body'));
    }, 3000);
    socket.once('data', (data) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(data.toString('latin1'))?.[1]));
    });
    socket.once('error', reject);
  });
}

const multipartHead = (path: string, cookie: string, length: number, boundary = 'oakboundary') =>
  `POST ${path} HTTP/1.1\r\nHost: localhost\r\nCookie: ${cookie}\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${length}\r\n\r\n`;
const field = (name: string, value: string, boundary = 'oakboundary') =>
  `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
const cookieOf = (agent: Agent) => [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; ');

describe.each(dialects)('hardening on %s', (dialect) => {
  let h: Harness;
  let author: Agent;
  let port: number;
  const clock = testClock();
  beforeAll(async () => {
    h = await createHarness(dialect, clock);
    author = await h.login('hardy');
    await h.app.listen({ host: '127.0.0.1', port: 0 });
    port = (h.app.server.address() as AddressInfo).port;
  });
  afterAll(() => h.close());

  describe('bodies are checked before they are read', () => {
    it('refuses an anonymous 49 MB upload after its headers', async () => {
      // The story form keeps its text through an expired session, so it is refused for its size instead.
      expect(await answerBeforeBody(port, multipartHead('/stories', '', 49 * 1024 * 1024), field('title', 'x'))).toBe(413);
      expect(await answerBeforeBody(port, multipartHead('/import', '', 49 * 1024 * 1024))).toBe(401);
    });

    it('refuses a signed-in upload without a CSRF secret, or with a bad token as its first part, without reading on', async () => {
      // The import form: it has no typed text to keep, so nothing past a bad first part is read.
      const session = `oak_session=${author.cookies.get('oak_session')}`;
      expect(await answerBeforeBody(port, multipartHead('/import', session, 2 * 1024 * 1024), field('title', 'x'))).toBe(403);
      await author.get('/import');
      const withSecret = cookieOf(author);
      // The next boundary tells the parser the first part has ended; the rest of the 2 MB never comes.
      const first = (name: string, value: string) => `${field(name, value)}--oakboundary\r\n`;
      expect(await answerBeforeBody(port, multipartHead('/import', withSecret, 2 * 1024 * 1024), first('_csrf', 'forged'))).toBe(403);
      expect(await answerBeforeBody(port, multipartHead('/import', withSecret, 2 * 1024 * 1024), first('title', 'no token first'))).toBe(
        403,
      );
    });

    it('refuses a declared size over the route limit before reading, and counts fields as they stream', async () => {
      await author.get('/stories/new');
      expect(await answerBeforeBody(port, multipartHead('/stories', cookieOf(author), 40 * 1024 * 1024))).toBe(413);
      const csrf = await author.csrfFrom('/stories/new');
      const many = Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`f${i}`, 'x']));
      expect((await author.post('/stories', { _csrf: csrf, ...storyFields(), ...many }, { multipart: true })).statusCode).toBe(413);
      const huge = await author.post('/stories', { _csrf: csrf, ...storyFields({ summary: 'y'.repeat(300 * 1024) }) }, { multipart: true });
      expect(huge.statusCode).toBe(413);
      expect(huge.body).toContain('This form may send at most 12 MB');
    });

    it('streams a cover to a temporary file and leaves none behind', async () => {
      const id = await createStory(author, {
        cover: { filename: 'c.jpg', contentType: 'image/jpeg', bytes: await photoWithExif(300, 450) },
      });
      const story = await h.ctx.db.selectFrom('stories').select('cover_key').where('id', '=', id).executeTakeFirstOrThrow();
      expect(story.cover_key).toMatch(/^[0-9a-f]{24}$/);
      const { readdirSync } = await import('node:fs');
      expect(readdirSync(h.ctx.tmpDir)).toEqual([]);
      expect(statSync(h.ctx.tmpDir).mode & 0o777).toBe(0o700);
    });
  });

  describe('identity', () => {
    it('makes exactly one admin when 40 people sign up at once on an empty archive', async () => {
      const fresh = await createHarness(dialect);
      try {
        const users = await Promise.all(
          Array.from({ length: 40 }, (_, i) => signUp(fresh.ctx, { username: `racer${i}`, display_name: '', password: 'a long password' })),
        );
        expect(users.filter((user) => user.role === 'admin')).toHaveLength(1);
      } finally {
        await fresh.close();
      }
    });

    it('limits guesses at one account from many addresses, however its name is written', async () => {
      await signUp(h.ctx, { username: 'guarded', display_name: '', password: 'guarded password' });
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++) {
        // A new agent is a new address: the per-address limit never trips.
        const guesser = h.agent();
        const username = i % 2 ? 'GUARDED' : ' guarded ';
        statuses.push((await guesser.submit('/login', '/login', { username, password: `guess ${i}` })).statusCode);
      }
      expect(statuses.slice(0, 10)).toEqual(Array(10).fill(400));
      expect(statuses[10]).toBe(429);
      // Even the right password waits now; another account does not.
      expect((await h.agent().submit('/login', '/login', { username: 'guarded', password: 'guarded password' })).statusCode).toBe(429);
      expect((await h.agent().submit('/login', '/login', { username: 'hardy', password: 'hardy-password' })).statusCode).toBe(303);
    });

    it.each([
      ['a right-to-left override', 'Evil\u202Egnp.exe'],
      ['a zero-width space', 'Ke\u200Beper'],
      ['a Hangul filler', '\u3164'],
      ['a no-break space', 'Ke\u00A0eper'],
    ])('refuses a display name with %s', async (_name, displayName) => {
      const agent = await h.login(`inv${Math.random().toString(36).slice(2, 8)}`);
      const response = await agent.submit('/settings/account', '/settings/profile', { display_name: displayName, bio: '' });
      expect(response.statusCode).toBe(400);
      expect(response.body).toContain('Use only visible characters');
    });

    it.each([
      ['the same name in capitals', 'HARDY'],
      ['a Greek capital eta and alpha', 'ΗΑRDY'],
      ['Cyrillic look-alikes', 'hаrdу'],
      ['a Greek small alpha', 'hαrdy'],
    ])("refuses a display name that passes for another account's: %s", async (_name, displayName) => {
      const impostor = await h.login(`imp${Math.random().toString(36).slice(2, 8)}`);
      const response = await impostor.submit('/settings/account', '/settings/profile', { display_name: displayName, bio: '' });
      expect(response.statusCode).toBe(400);
      expect(response.body).toContain('looks too much like another account');
    });

    it('lets people keep their own name, and refuses a sign-up that copies a display name', async () => {
      const own = await author.submit('/settings/account', '/settings/profile', { display_name: 'Hardy', bio: '' });
      expect(own.statusCode).toBe(303);
      await author.submit('/settings/account', '/settings/profile', { display_name: 'Thomas Hardy', bio: '' });
      const copy = await h.agent().submit('/signup', '/signup', {
        username: 'newcomer',
        display_name: 'Thomas  Hardy',
        password: 'a long password',
        password_confirmation: 'a long password',
      });
      expect(copy.statusCode).toBe(400);
      expect(copy.body).toContain('That display name looks too much like another account');
    });

    it('creates DATA_DIR and the SQLite file private', async () => {
      const dir = join(mkdtempSync(join(tmpdir(), 'oak-perm-')), 'data');
      const ctx = await createContext(loadConfig({ DATA_DIR: dir, DATABASE_URL: '' }));
      await ctx.close();
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      expect(statSync(join(dir, 'oak.sqlite')).mode & 0o777).toBe(0o600);
    });
  });

  describe('covers of drafts', () => {
    it('are served only to those who may see the draft, privately; published covers are public and immutable', async () => {
      const id = await createStory(author, {
        cover: { filename: 'c.jpg', contentType: 'image/jpeg', bytes: await photoWithExif(200, 300) },
      });
      const { cover_key: key } = await h.ctx.db.selectFrom('stories').select('cover_key').where('id', '=', id).executeTakeFirstOrThrow();
      for (const size of ['', '-thumb']) {
        const url = `/media/covers/${key}${size}.webp`;
        expect((await h.agent().get(url)).statusCode).toBe(404);
        expect((await (await h.login(`peek${size.length}${id}`)).get(url)).statusCode).toBe(404);
        const own = await author.get(url);
        expect(own.statusCode).toBe(200);
        expect(own.headers['cache-control']).toBe('private, no-cache');
      }
      await addChapter(author, id);
      const published = await h.agent().get(`/media/covers/${key}.webp`);
      expect(published.statusCode).toBe(200);
      expect(published.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    });
  });

  describe('both databases answer alike', () => {
    it.each([
      ['/stories/2147483648', 404],
      ['/stories/9223372036854775807', 404],
      ['/stories/2147483648/chapters/2147483649', 404],
      ['/stories/1/chapters/4294967296/edit', 404],
      ['/?after=1.2147483648', 200],
      ['/?after=9999999999999999.999999999999', 200],
      ['/users/x%00y', 400],
      ['/stories/1%00', 400],
    ])('GET %s → %i', async (url, status) => {
      expect((await author.get(url)).statusCode).toBe(status);
    });

    it('drops NUL characters from every form field', async () => {
      const id = await createStory(author, { title: 'Nul\u0000title', summary: 'a\u0000b', description: 'c\u0000d' });
      const chapterId = await addChapter(author, id, { title: 'Ch\u0000', body: 'Body\u0000text', note_after: 'n\u0000' });
      const story = await h.ctx.db.selectFrom('stories').select(['title', 'summary']).where('id', '=', id).executeTakeFirstOrThrow();
      expect(story).toEqual({ title: 'Nultitle', summary: 'ab' });
      const chapter = await h.ctx.db
        .selectFrom('chapters')
        .select(['title', 'body_source'])
        .where('id', '=', chapterId)
        .executeTakeFirstOrThrow();
      expect(chapter).toEqual({ title: 'Ch', body_source: 'Bodytext' });
      const profile = await author.submit('/settings/account', '/settings/profile', { display_name: 'Hardy', bio: 'x\u0000y' });
      expect(profile.statusCode).toBe(303);
      const login = await h.agent().submit('/login', '/login', { username: 'ha\u0000rdy', password: 'x\u0000' });
      expect(login.statusCode).toBe(400);
    });

    it('adds 10 chapters at once to one story, all in some order with no duplicate position', async () => {
      const id = await createStory(author);
      const csrf = await author.csrfFrom(`/stories/${id}/chapters/new`);
      const responses = await Promise.all(
        Array.from({ length: 10 }, (_, i) => author.post(`/stories/${id}/chapters`, { _csrf: csrf, ...chapterFields({ title: `C${i}` }) })),
      );
      expect(responses.map((r) => r.statusCode)).toEqual(Array(10).fill(303));
      const positions = (await h.ctx.db.selectFrom('chapters').select('position').where('story_id', '=', id).execute()).map(
        (c) => c.position,
      );
      expect(positions.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    });

    it('moves chapters 12 times at once without a deadlock or a duplicate position', async () => {
      const id = await createStory(author);
      const ids: number[] = [];
      for (let i = 0; i < 4; i++) ids.push(await addChapter(author, id, { title: `M${i}` }));
      const csrf = await author.csrfFrom(`/stories/${id}`);
      const moves = Array.from({ length: 12 }, (_, i) =>
        author.post(`/stories/${id}/chapters/${ids[i % 4]}/move`, { _csrf: csrf, direction: i % 2 ? 'up' : 'down' }),
      );
      expect((await Promise.all(moves)).map((r) => r.statusCode)).toEqual(Array(12).fill(303));
      const positions = (await h.ctx.db.selectFrom('chapters').select('position').where('story_id', '=', id).execute()).map(
        (c) => c.position,
      );
      expect(positions.sort((a, b) => a - b)).toEqual([1, 2, 3, 4]);
    });
  });

  describe('imports obey the form limits', () => {
    const upload = (text: string) =>
      author.submit('/import', '/import', { file: { filename: 'page.txt', contentType: 'text/plain', bytes: Buffer.from(text) } });

    it('refuses a 1.5 million character chapter and a 147,000 character description, writing nothing', async () => {
      const before = (await h.ctx.db.selectFrom('stories').select('id').execute()).length;
      const long = await upload(`Description\n\nShort.\nhttps://artist.example\n\n${'word '.repeat(300_000)}`);
      expect(long.statusCode).toBe(400);
      expect(long.body).toContain('chapter text cannot be imported: A chapter may be at most 1,000,000 characters');
      const described = await upload(`Description\n\n${'word '.repeat(29_400)}\nhttps://artist.example\n\nThe chapter.`);
      expect(described.statusCode).toBe(400);
      expect(described.body).toContain('description cannot be imported: Keep the description under 50,000 characters.');
      expect((await h.ctx.db.selectFrom('stories').select('id').execute()).length).toBe(before);
    });

    it('imports a credit link with a broken escape instead of failing', async () => {
      const response = await upload('Description\n\nA story.\nhttps://example.com/%E0%A4%A\n\nThe chapter begins.');
      expect(response.statusCode).toBe(303);
    });

    it('saves a chapter of 1,000,000 Cyrillic characters (the limit is characters, not bytes)', async () => {
      const id = await createStory(author);
      const body = 'Жили-были '.repeat(100_000);
      expect(body.length).toBe(1_000_000);
      await addChapter(author, id, { body });
      const saved = await h.ctx.db.selectFrom('chapters').select('word_count').where('story_id', '=', id).executeTakeFirstOrThrow();
      expect(saved.word_count).toBe(100_000);
    });
  });
});

describe.each(dialects)('sessions on %s', (dialect) => {
  let s: Harness;
  const clock = testClock();
  beforeAll(async () => {
    s = await createHarness(dialect, clock);
  });
  afterAll(() => s.close());

  it('a new log-in replaces the session and the CSRF secret the browser had', async () => {
    const agent = await s.login('rotator');
    await agent.get('/stories/new');
    const [oldSession, oldSecret] = [agent.cookies.get('oak_session'), agent.cookies.get('_csrf')];
    expect(oldSecret).toBeTruthy();
    const again = await agent.submit('/login', '/login', { username: 'rotator', password: 'rotator-password' });
    expect(again.statusCode).toBe(303);
    expect(agent.cookies.get('oak_session')).not.toBe(oldSession);
    expect(agent.cookies.has('_csrf')).toBe(false);
    const stale = await s.app.inject({ url: '/stories/new', headers: { cookie: `oak_session=${oldSession}` } });
    expect(stale.statusCode).toBe(303);
  });

  it('sessions slide while used and end after thirty idle days', async () => {
    const agent = await s.login('slider');
    const token = agent.cookies.get('oak_session') ?? '';
    const hash = (await import('../src/modules/accounts/sessions.ts')).tokenHash(token);
    const mine = () => s.ctx.db.selectFrom('sessions').select('expires_at').where('token_hash', '=', hash).executeTakeFirstOrThrow();
    const before = (await mine()).expires_at;
    clock.advance(20 * DAY);
    const used = await agent.get('/stories/new');
    expect(used.statusCode).toBe(200);
    expect((await mine()).expires_at).toBe(before + 20 * DAY);
    expect(String(used.headers['set-cookie'])).toMatch(/oak_session=/);
    clock.advance(29 * DAY);
    expect((await agent.get('/stories/new')).statusCode).toBe(200);
    clock.advance(31 * DAY);
    expect((await agent.get('/stories/new')).statusCode).toBe(303);
  });

  it('sweeps expired sessions periodically, not only at start', async () => {
    await s.login('sweepme');
    const count = async () => (await s.ctx.db.selectFrom('sessions').select('id').execute()).length;
    expect(await count()).toBeGreaterThan(0);
    const stop = sweepExpiredSessions(s.ctx, 20);
    try {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const left = await count();
      clock.advance(400 * DAY);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(left).toBeGreaterThan(0);
      expect(await count()).toBe(0);
    } finally {
      stop();
    }
  });
});
