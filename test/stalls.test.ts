import { request } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../src/archive.ts';
import { loadConfig } from '../src/kernel/config.ts';
import { signUp } from '../src/modules/accounts/accounts.service.ts';
import type { Agent } from './agent.ts';
import { createHarness, dialects, type Harness, testClock } from './harness.ts';
import { archiveEnv, logIn, serveArchive } from './served.ts';
import { addChapter, chapterFields, createStory } from './stories.helpers.ts';

const markdownTable = (rows: number) => `|a|b|\n|-|-|\n${'|x|y|\n'.repeat(rows)}`;

describe.each(dialects)('one request never freezes the archive, on %s', (dialect) => {
  let h: Harness;
  let author: Agent;
  let storyId: number;
  beforeAll(async () => {
    h = await createHarness(dialect);
    author = await h.login('tabler');
    storyId = await createStory(author);
  });
  afterAll(() => h.close());

  it('formats a slow chapter off the main thread while other requests are answered', async () => {
    const csrf = await author.csrfFrom(`/stories/${storyId}/chapters/new`);
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const saving = author.post(`/stories/${storyId}/chapters`, { _csrf: csrf, ...chapterFields({ body: markdownTable(60_000) }) });
    const health: number[] = [];
    for (let i = 0; i < 5; i++) {
      const start = performance.now();
      expect((await h.agent().get('/healthz')).statusCode).toBe(200);
      health.push(performance.now() - start);
    }
    const saved = await saving;
    delay.disable();
    expect(saved.statusCode).toBe(303);
    // On the main thread this table blocked the loop for about a second. What is left there (the
    // form's parsing, the search index's tokens) stays well under half of that, on a busy machine too.
    expect(delay.max / 1e6).toBeLessThan(400);
    expect(Math.max(...health)).toBeLessThan(400);
  });

  it('reads a large EPUB off the main thread while other requests are answered', async () => {
    // Two chapters of 1.2 MB of short paragraphs (under the chapter limit): a second or more of parsing, if it were done here.
    const chapter = (n: number) => strToU8(`<html><body><h1>Part ${n}</h1>${'<p>A line of a long book.</p>'.repeat(35_000)}</body></html>`);
    const epub = zipSync({
      mimetype: strToU8('application/epub+zip'),
      'META-INF/container.xml': strToU8('<container><rootfiles><rootfile full-path="c.opf"/></rootfiles></container>'),
      'c.opf': strToU8(
        '<package><metadata><dc:title>Long</dc:title></metadata><manifest><item id="a" href="a.xhtml" media-type="application/xhtml+xml"/><item id="b" href="b.xhtml" media-type="application/xhtml+xml"/></manifest><spine><itemref idref="a"/><itemref idref="b"/></spine></package>',
      ),
      'a.xhtml': chapter(1),
      'b.xhtml': chapter(2),
    });
    const csrf = await author.csrfFrom('/import');
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const importing = author.post('/import', {
      _csrf: csrf,
      file: { filename: 'long.epub', contentType: 'application/epub+zip', bytes: Buffer.from(epub) },
    });
    const health: number[] = [];
    for (let i = 0; i < 5; i++) {
      const start = performance.now();
      expect((await h.agent().get('/healthz')).statusCode).toBe(200);
      health.push(performance.now() - start);
    }
    const imported = await importing;
    delay.disable();
    expect(imported.statusCode, /field-error[^>]*>([^<]*)/.exec(imported.body)?.[1]).toBe(303);
    expect(delay.max / 1e6).toBeLessThan(400);
    expect(Math.max(...health)).toBeLessThan(400);
  });

  it('nests BBCode twenty thousand deep without a stack overflow', async () => {
    const body = `${'[quote]'.repeat(20_000)}deep${'[/quote]'.repeat(20_000)}\n${'[b]'.repeat(50_000)}bold${'[/b]'.repeat(50_000)}`;
    const chapterId = await addChapter(author, storyId, { format: 'bbcode', body });
    const page = await author.get(`/stories/${storyId}/chapters/${chapterId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('deep');
  });
});

describe('a render over its time budget', () => {
  let h: Harness;
  // Setup, not what is tested: a started worker, so a short text is not timed together with a
  // thread starting (from source, through tsx) on a machine busy with other test files.
  const warm = async () => {
    for (let tries = 0; tries < 5; tries++) {
      if (
        await h.ctx.renderer.render([{ source: 'warm', format: 'markdown' }]).then(
          () => true,
          () => false,
        )
      )
        return;
    }
  };
  beforeAll(async () => {
    h = await createHarness('sqlite', testClock(), {}, { renderBudgetMs: 500 });
    await warm();
  });
  afterAll(() => h.close());

  it('refuses the save with a clear message and writes nothing', async () => {
    const author = await h.login('slowpoke');
    const storyId = await createStory(author);
    const response = await author.submit(`/stories/${storyId}/chapters/new`, `/stories/${storyId}/chapters`, {
      ...chapterFields({ title: 'Too slow', body: '*a'.repeat(490_000) }),
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('took longer than 0.5 seconds to format, so it was not saved');
    // The author's text comes back in the form.
    expect(response.body).toContain('*a*a*a');
    const chapters = await h.ctx.db.selectFrom('chapters').select('id').where('story_id', '=', storyId).execute();
    expect(chapters).toEqual([]);
    // The pool recovers: the timed-out thread is replaced, and once it runs an ordinary save works.
    await warm();
    await addChapter(author, storyId, { body: 'A short chapter.' });
  });
});

describe('books waiting to be read', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness('sqlite', testClock(), {}, { renderBudgetMs: 3000 });
  });
  afterAll(() => h.close());

  /** An EPUB whose chapters are long runs of short paragraphs: seconds of parsing, from a few kilobytes zipped. */
  const book = (title: string, paragraphs: number, chapters: number) =>
    Buffer.from(
      zipSync({
        mimetype: strToU8('application/epub+zip'),
        'META-INF/container.xml': strToU8('<container><rootfiles><rootfile full-path="c.opf"/></rootfiles></container>'),
        'c.opf': strToU8(
          `<package><metadata><dc:title>${title}</dc:title></metadata><manifest>${Array.from({ length: chapters }, (_, i) => `<item id="c${i}" href="c${i}.xhtml" media-type="application/xhtml+xml"/>`).join('')}</manifest><spine>${Array.from({ length: chapters }, (_, i) => `<itemref idref="c${i}"/>`).join('')}</spine></package>`,
        ),
        ...Object.fromEntries(
          Array.from({ length: chapters }, (_, i) => [
            `c${i}.xhtml`,
            strToU8(`<html><body><h1>Part ${i + 1}</h1>${'<p>A line of a heavy book.</p>'.repeat(paragraphs)}</body></html>`),
          ]),
        ),
      }),
    );
  const upload = (agent: Agent, csrf: string, title: string, bytes: Buffer) =>
    agent.post('/import', { _csrf: csrf, file: { filename: `${title}.epub`, contentType: 'application/epub+zip', bytes } });

  it('reads another account’s book within its own budget while one account’s heavy books wait their turn', async () => {
    const heavy = await h.login('heavy');
    const other = await h.login('other');
    const token = await heavy.csrfFrom('/import');
    const bombs = [1, 2, 3, 4].map((n) => upload(heavy, token, `Heavy ${n}`, book(`Heavy ${n}`, 35_000, 8)));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const normal = await upload(other, await other.csrfFrom('/import'), 'Light', book('Light', 20, 1));
    const problem = /field-error[^>]*>([^<]*)/.exec(normal.body)?.[1];
    expect(normal.statusCode, problem).toBe(303);
    const statuses = (await Promise.all(bombs)).map((response) => response.statusCode);
    // One reading and two waiting: the fourth is refused at once instead of held in memory.
    expect(
      statuses.filter((status) => status === 429),
      String(statuses),
    ).toHaveLength(1);
  });
});

describe('rate limits on edits and password changes', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness('sqlite');
  });
  afterAll(() => h.close());

  it('limits chapter edits per account like creation', async () => {
    const author = await h.login('editor');
    const storyId = await createStory(author);
    const chapterId = await addChapter(author, storyId);
    const csrf = await author.csrfFrom(`/stories/${storyId}/chapters/${chapterId}/edit`);
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++) {
      statuses.push(
        (await author.post(`/stories/${storyId}/chapters/${chapterId}`, { _csrf: csrf, ...chapterFields({ body: `v${i}` }) })).statusCode,
      );
    }
    expect(statuses.slice(0, 60).every((status) => status === 303)).toBe(true);
    expect(statuses[60]).toBe(429);
  });

  it('limits password guesses on the settings form like log-in', async () => {
    const thief = await h.login('victim');
    const csrf = await thief.csrfFrom('/settings/account');
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const guess = { _csrf: csrf, current_password: `guess ${i}`, password: 'new password!', password_confirmation: 'new password!' };
      statuses.push((await thief.post('/settings/password', guess)).statusCode);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(400));
    expect(statuses[10]).toBe(429);
  });
});

/** The longest /healthz took, asked every 20 ms while `hostile` ran; and what `hostile` answered. */
/** An answer as a client saw it: a status and text, or 'reset' when the server closed before answering. */
type Answer = { status: number | 'reset'; text(): Promise<string> };

async function healthWhile(base: string, hostile: () => Promise<Answer>) {
  let done = false;
  let longest = 0;
  const probing = (async () => {
    while (!done) {
      const start = performance.now();
      await fetch(`${base}/healthz`).then((response) => response.arrayBuffer());
      longest = Math.max(longest, performance.now() - start);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  const response = await hostile().finally(() => {
    done = true;
  });
  await probing;
  return { status: response.status, text: await response.text(), longest };
}

/**
 * The status of a form posted in `count` chunks without a length, or 'reset'. The server answers and
 * closes while chunks are still being written; the unread bytes then make the kernel reset the
 * connection, which may discard the answer before the client reads it. Either way the body was cut off.
 */
function chunkedPost(url: string, count: number, chunk: (i: number) => string): Promise<number | 'reset'> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, (response) => {
      // The answer is what counts; the connection may still be cut under the rest of it.
      response.on('error', () => {});
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' || error.code === 'ECONNRESET') resolve('reset');
      else reject(error);
    });
    (async () => {
      for (let i = 0; i < count && !req.destroyed; i++) {
        if (!req.write(chunk(i))) await new Promise((next) => req.once('drain', next).once('close', next));
      }
      if (!req.destroyed) req.end();
    })().catch(reject);
  });
}

describe.each(dialects)('no anonymous body stalls a running oak serve, on %s', (dialect) => {
  let archive: Awaited<ReturnType<typeof archiveEnv>>;
  let served: Awaited<ReturnType<typeof serveArchive>>;
  let post: Awaited<ReturnType<typeof logIn>>;
  beforeAll(async () => {
    // PUBLIC_URL set: the archive federates, as the audit ran it.
    archive = await archiveEnv(dialect, { PUBLIC_URL: 'http://stories.example.org' });
    const setup = await createContext(loadConfig(archive.env));
    await signUp(setup, { username: 'owner', display_name: '', password: 'owner password' });
    await setup.close();
    served = await serveArchive(archive.env);
    post = await logIn(served.base, 'owner');
  });
  afterAll(async () => {
    served?.stop();
    await archive?.remove();
  });

  // A refused body is read and dropped up to a bound, so its answer arrives; past the bound the
  // server cuts the connection while the client still writes, and the client sees a reset.
  const send = (path: string, type: string, body: string, headers: Record<string, string> = {}): Promise<Answer> =>
    fetch(served.base + path, { method: 'POST', headers: { 'content-type': type, ...headers }, body }).catch((error: Error) => {
      const code = (error.cause as NodeJS.ErrnoException | undefined)?.code;
      if (code === 'EPIPE' || code === 'ECONNRESET') return { status: 'reset' as const, text: () => Promise.resolve('') };
      throw error;
    });

  // Each of these took seconds to minutes with /healthz blocked as long (the audit: 5.7 s, 81 s, 10.8 s).
  it('refuses a 1 MB ActivityPub array to the inbox without blocking other requests', async () => {
    const numbers = Array.from({ length: 500_000 }, (_, i) => i % 10);
    const array = JSON.stringify(numbers);
    // An activity whose object is a long list: Fedify expands it as JSON-LD before checking the signature.
    const activity = JSON.stringify({
      '@context': 'https://www.w3.org/ns/activitystreams',
      type: 'Create',
      actor: 'https://elsewhere.example/users/a',
      object: numbers.slice(0, 200_000),
    });
    // Two of each at once, as one client can send them: each used to hold the loop for a second or more.
    const statuses: Answer['status'][] = [];
    const { longest } = await healthWhile(served.base, async () => {
      const answers = await Promise.all(
        [array, activity, array, activity].map((body) => send('/ap/inbox', 'application/activity+json', body)),
      );
      statuses.push(...answers.map((answer) => answer.status));
      return answers[0] as Answer;
    });
    // Unsigned: refused by the inbox, and quickly.
    expect(statuses.every((status) => typeof status === 'number' && status >= 400 && status < 500)).toBe(true);
    expect(longest).toBeLessThan(1500);
  });

  it('refuses a 10 MB JSON array to a chapter editor, without a cookie, before reading it', async () => {
    const body = `[${'1,'.repeat(5_000_000)}1]`;
    const { status, text, longest } = await healthWhile(served.base, () => send('/stories/1/chapters', 'application/json', body));
    // Refused from its headers: the answer (or, when the socket closes while the client still writes, a reset).
    expect([415, 'reset']).toContain(status);
    if (status === 415) expect(text).toContain('application/x-www-form-urlencoded');
    expect(longest).toBeLessThan(1500);
  });

  it('refuses an ActivityPub document, a JSON body and a half-million-field form on a form route', async () => {
    expect((await send('/login', 'application/activity+json', '{"type":"Follow"}')).status).toBe(415);
    expect((await send('/login', 'text/plain', 'username=a')).status).toBe(415);
    // With the form's CSRF secret, as a browser that opened the log-in page sends it: the body is parsed.
    const cookie = (await fetch(`${served.base}/login`)).headers
      .getSetCookie()
      .map((line) => line.split(';')[0])
      .join('; ');
    const { status, text, longest } = await healthWhile(served.base, () =>
      send('/login', 'application/x-www-form-urlencoded', 'a&'.repeat(500_000), { cookie }),
    );
    expect(status).toBe(400);
    expect(text).toContain('more fields than any form');
    expect(longest).toBeLessThan(1500);
  });

  it('reads at most 1 MB of a kept-text editor’s body without a session, and all of it with one', async () => {
    const big = `title=Long&format=text&body=${'word '.repeat(600_000)}`;
    const anonymous = await send('/stories/1/chapters', 'application/x-www-form-urlencoded', big);
    expect(anonymous.status).toBe(413);
    // Sent without a length (chunked), the cap holds as the bytes arrive.
    const streamed = await chunkedPost(`${served.base}/stories/1/chapters`, 30, (i) => `${i === 0 ? 'body=' : ''}${'x'.repeat(100_000)}`);
    expect([413, 'reset']).toContain(streamed);
    // Signed in, the same 3 MB reach the handler (no such story here: 404, not 413).
    expect((await post('/stories/999/chapters', { title: 'Long', format: 'text', body: 'word '.repeat(600_000) })).status).toBe(404);
  });
});
