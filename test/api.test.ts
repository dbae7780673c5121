import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetPassword } from '../src/modules/accounts/accounts.service.ts';
import { NEW_ACCOUNT_COMMENTS } from '../src/modules/comments/comments.policy.ts';
import type { Agent } from './agent.ts';
import { createHarness, dialects, type Harness, testClock } from './harness.ts';
import { addChapter, createStory } from './stories.helpers.ts';

const DAY = 24 * 60 * 60 * 1000;

describe.each(dialects)('the API on %s', (dialect) => {
  let h: Harness;
  let author: Agent;
  let story: number;
  let chapter: number;
  const clock = testClock();
  beforeAll(async () => {
    h = await createHarness(dialect, clock);
    author = await h.login('writer');
    story = await createStory(author, { title: 'Open Book', tags: 'Friendship' });
    chapter = await addChapter(author, story, { title: 'Page One', body: 'The *first* page.' });
    await createStory(author, { title: 'Hidden Draft' });
  });
  afterAll(() => h.close());

  const api = (
    method: 'GET' | 'POST' | 'PUT' | 'OPTIONS',
    url: string,
    options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ) =>
    h.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.body ? { 'content-type': 'application/json' } : {}),
        ...options.headers,
      },
      ...(options.body ? { payload: JSON.stringify(options.body) } : {}),
    });
  /** A token made through the settings form, as a person would. */
  const makeToken = async (agent: Agent, scopes: string, expires = '90') => {
    const password = `${agent.username}-password`;
    const page = await agent.submit('/settings/tokens', '/settings/tokens', { name: `for ${scopes}`, scopes, expires, password });
    const token = /<code class="token">(oak_[A-Za-z0-9_-]{32})<\/code>/.exec(page.body)?.[1];
    if (!token)
      throw new Error(
        `no token: ${page.statusCode} ${/<main[^>]*>([\s\S]*?)<\/main>/
          .exec(page.body)?.[1]
          ?.replace(/<[^>]+>/g, ' ')
          .slice(0, 300)}`,
      );
    return token;
  };

  it('reads stories, a story, a chapter and an author without a token, with ETags and CORS', async () => {
    const list = await api('GET', '/stories');
    expect(list.statusCode).toBe(200);
    const stories = list.json();
    expect(stories.items.map((s: { title: string }) => s.title)).toEqual(['Open Book']);
    expect(stories.items[0]).toMatchObject({
      author: { username: 'writer' },
      chapters: 1,
      tags: expect.arrayContaining([{ type: 'freeform', name: 'Friendship' }]),
    });
    expect(list.headers['access-control-allow-origin']).toBe('*');
    expect(list.headers['ratelimit-limit']).toBeDefined();
    const again = await api('GET', '/stories', { headers: { 'if-none-match': String(list.headers.etag) } });
    expect(again.statusCode).toBe(304);
    expect((await api('GET', '/stories?q=first')).json().items).toHaveLength(1);
    expect((await api('GET', '/stories?q=nothingmatches')).json().items).toHaveLength(0);
    const one = (await api('GET', `/stories/${story}`)).json();
    expect(one).toMatchObject({
      id: story,
      title: 'Open Book',
      contents: [{ id: chapter, title: 'Page One' }],
      downloads: { epub: `/stories/${story}/download/epub` },
    });
    const text = (await api('GET', `/stories/${story}/chapters/${chapter}`)).json();
    expect(text.html).toBe('<p>The <em>first</em> page.</p>\n');
    expect((await api('GET', '/users/writer')).json()).toMatchObject({ username: 'writer', url: '/users/writer' });
    const preflight = await api('OPTIONS', '/stories', {
      headers: { origin: 'https://reader.example', 'access-control-request-method': 'GET' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-methods']).toBe('GET, HEAD');
  });

  it('answers problems as application/problem+json', async () => {
    const missing = await api('GET', '/stories/99999999');
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    expect(missing.json()).toMatchObject({ type: 'about:blank', title: 'Not Found', status: 404 });
    expect((await api('GET', '/nowhere')).json().status).toBe(404);
    const draft = await h.ctx.db.selectFrom('stories').select('id').where('title', '=', 'Hidden Draft').executeTakeFirstOrThrow();
    expect((await api('GET', `/stories/${draft.id}`)).statusCode).toBe(404);
    const bad = await api('GET', '/me', { token: 'oak_wrong' });
    expect(bad.statusCode).toBe(401);
    expect(bad.headers['www-authenticate']).toContain('Bearer');
  });

  it('writes as a token’s owner, within its scopes, and never from a browser session alone', async () => {
    const reader = await makeToken(author, 'read');
    const writer = await makeToken(author, 'read\nwrite');
    expect((await api('GET', '/me', { token: reader })).json().username).toBe('writer');
    const storyIn = { title: 'Made by Script', rating: 'everyone', warnings: ['No Archive Warnings Apply'], tags: ['Automation'] };
    expect((await api('POST', '/stories', { token: reader, body: storyIn })).statusCode).toBe(403);
    expect((await api('POST', '/stories', { body: storyIn })).statusCode).toBe(401);
    // A session cookie is not an API credential.
    const cookie = [...author.cookies].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; ');
    expect((await api('POST', '/stories', { body: storyIn, headers: { cookie } })).statusCode).toBe(401);
    const made = await api('POST', '/stories', { token: writer, body: storyIn });
    expect(made.statusCode).toBe(201);
    const { id } = made.json();
    const chapterMade = await api('POST', `/stories/${id}/chapters`, {
      token: writer,
      body: { title: 'Chapter One', body: 'Written by a *script*.' },
    });
    expect(chapterMade.statusCode).toBe(201);
    expect((await api('GET', `/stories/${id}`)).json()).toMatchObject({
      title: 'Made by Script',
      chapters: 1,
      tags: expect.arrayContaining([{ type: 'freeform', name: 'Automation' }]),
    });
    const wrongShape = await api('POST', `/stories/${id}/chapters`, { token: writer, body: { title: 5 } });
    expect(wrongShape.statusCode).toBe(400);
    expect(wrongShape.json().errors).toHaveProperty('title');
    const tooLong = await api('POST', `/stories/${id}/chapters`, { token: writer, body: { title: 'x', body: 'y'.repeat(1_000_001) } });
    expect(tooLong.statusCode).toBe(400);
    const comment = await api('POST', `/stories/${story}/chapters/${chapter}/comments`, {
      token: writer,
      body: { body: 'A note from the API.' },
    });
    expect(comment.statusCode).toBe(201);
    // Someone else's token cannot add to this story.
    const other = await h.login('stranger');
    const theirs = await makeToken(other, 'write');
    expect((await api('POST', `/stories/${id}/chapters`, { token: theirs, body: { title: 'Intrusion', body: 'No.' } })).statusCode).toBe(
      403,
    );
  });

  it('cleans control characters from API bodies as from forms, and takes only JSON, and no write without a token', async () => {
    const writer = await makeToken(author, 'read\nwrite');
    const made = await api('POST', `/stories/${story}/chapters`, {
      token: writer,
      body: { title: 'Bell\u0007 and\u0000 nul', body: 'Line\u0001 one\ttab\r\nline two\uFFFE\uFFFF', note_after: 'a\u001Fb' },
    });
    expect(made.statusCode).toBe(201);
    const stored = await h.ctx.db
      .selectFrom('chapters')
      .select(['title', 'body_source', 'note_after_source'])
      .where('id', '=', made.json().id)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ title: 'Bell and nul', body_source: 'Line one\ttab\r\nline two', note_after_source: 'ab' });
    // A form's encoding, or none, is refused before it is read.
    const send = (headers: Record<string, string>, payload: string) =>
      h.app.inject({ method: 'POST', url: '/api/v1/shelves', headers, payload });
    const bearer = { authorization: `Bearer ${writer}` };
    const form = await send({ ...bearer, 'content-type': 'application/x-www-form-urlencoded' }, 'name=Form&visibility=public');
    expect(form.statusCode).toBe(415);
    expect(form.json().detail).toContain('application/json');
    expect((await send({ ...bearer, 'content-type': 'text/plain' }, '{"name":"Text","visibility":"public"}')).statusCode).toBe(415);
    // Without a token, even a well-formed body is refused unread.
    const anonymous = await send({ 'content-type': 'application/json' }, JSON.stringify({ name: 'Anon', visibility: 'public' }));
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers.connection).toBe('close');
    const shelves = await h.ctx.db.selectFrom('shelves').select('name').where('name', 'in', ['Form', 'Text', 'Anon']).execute();
    expect(shelves).toEqual([]);
  });

  it('asks for the password to make a token, lets none live forever, and ends them all with a new password', async () => {
    const holder = await h.login('holder');
    const attempt = (password: string, expires = '90') =>
      holder.submit('/settings/tokens', '/settings/tokens', { name: 'x', scopes: 'read', expires, password });
    expect((await attempt('')).statusCode).toBe(400);
    expect((await attempt('guess')).body).toContain('That is not your password.');
    expect((await attempt('holder-password', 'never')).statusCode).toBe(400);
    expect(await h.ctx.db.selectFrom('api_tokens').select('id').where('name', '=', 'x').execute()).toEqual([]);

    // Each way to a new password ends every token: the settings form, an operator's reset.
    const first = await makeToken(holder, 'read');
    expect((await api('GET', '/me', { token: first })).statusCode).toBe(200);
    const changed = await holder.submit('/settings/account', '/settings/password', {
      current_password: 'holder-password',
      password: 'a new holder password',
      password_confirmation: 'a new holder password',
    });
    expect(changed.statusCode).toBe(303);
    expect((await api('GET', '/me', { token: first })).statusCode).toBe(401);
    const again = await holder.submit('/settings/tokens', '/settings/tokens', {
      name: 'again',
      scopes: 'read',
      expires: '30',
      password: 'a new holder password',
    });
    const second = /<code class="token">(oak_[A-Za-z0-9_-]{32})<\/code>/.exec(again.body)?.[1] ?? '';
    expect((await api('GET', '/me', { token: second })).statusCode).toBe(200);
    await resetPassword(h.ctx, 'holder', 'an operator set this');
    expect((await api('GET', '/me', { token: second })).statusCode).toBe(401);
  });

  it('holds a new account to the same comment limit through the API as on the web, across tokens', async () => {
    const newcomer = await h.login('newcomer');
    const tokens = [await makeToken(newcomer, 'read\nwrite'), await makeToken(newcomer, 'read\nwrite')];
    const statuses: number[] = [];
    for (let i = 0; i <= NEW_ACCOUNT_COMMENTS; i++) {
      const body = { body: `Comment ${i} from a script.` };
      statuses.push((await api('POST', `/stories/${story}/chapters/${chapter}/comments`, { token: tokens[i % 2], body })).statusCode);
    }
    expect(statuses.slice(0, NEW_ACCOUNT_COMMENTS)).toEqual(Array(NEW_ACCOUNT_COMMENTS).fill(201));
    expect(statuses.at(-1)).toBe(429);
    // The web form counts the same comments.
    const page = `/stories/${story}/chapters/${chapter}/comments`;
    expect((await newcomer.submit(page, page, { body: 'And one by hand.', format: 'markdown' })).statusCode).toBe(429);
  });

  it('stops a revoked or expired token', async () => {
    const token = await makeToken(author, 'read', '30');
    expect((await api('GET', '/me', { token })).statusCode).toBe(200);
    clock.advance(31 * DAY);
    expect((await api('GET', '/me', { token })).statusCode).toBe(401);
    // A month on, the browser session has ended too: log in again to make and revoke a token.
    const back = h.agent();
    await back.submit('/login', '/login', { username: 'writer', password: 'writer-password' });
    back.username = 'writer';
    const kept = await makeToken(back, 'read', '365');
    const page = (await back.get('/settings/tokens')).body;
    const id = /action="\/settings\/tokens\/(\d+)\/revoke"/.exec(page)?.[1];
    await back.submit('/settings/tokens', `/settings/tokens/${id}/revoke`, {});
    expect((await api('GET', '/me', { token: kept })).statusCode).toBe(401);
    // Only hashes are stored.
    const stored = await h.ctx.db.selectFrom('api_tokens').select('token_hash').execute();
    expect(stored.map((row) => row.token_hash)).not.toContain(kept);
  });

  it('reads tags and shelves, and shelves stories for the token’s owner only', async () => {
    const tags = (await api('GET', '/tags')).json();
    const friendship = tags.items.find((tag: { name: string }) => tag.name === 'Friendship');
    expect(friendship).toMatchObject({ type: 'freeform', uses: 1 });
    const tag = (await api('GET', `/tags/${friendship.id}`)).json();
    expect(tag.tag).toEqual({ id: friendship.id, name: 'Friendship', type: 'freeform' });
    expect(tag.stories.items.map((s: { title: string }) => s.title)).toEqual(['Open Book']);
    expect((await api('GET', '/tags/99999999')).statusCode).toBe(404);

    const shelver = await h.login('shelver');
    const write = await makeToken(shelver, 'read\nwrite');
    const made = await api('POST', '/shelves', { token: write, body: { name: 'To lend', visibility: 'public' } });
    expect(made.statusCode).toBe(201);
    const secret = (await api('POST', '/shelves', { token: write, body: { name: 'Guilty', visibility: 'private' } })).json().id;
    const shelf = made.json().id;
    const put = await api('PUT', `/stories/${story}/shelves`, { token: write, body: { shelves: [shelf, secret], note: 'Lend to Ann' } });
    expect(put.json()).toEqual({ story_id: story, shelves: [shelf, secret] });
    const mine = (await api('GET', '/me/shelves', { token: write })).json().items;
    expect(mine.find((s: { id: number }) => s.id === secret)).toMatchObject({ name: 'Guilty', visibility: 'private', stories: 1 });
    expect((await api('GET', '/users/shelver/shelves')).json().items.map((s: { name: string }) => s.name)).toEqual(['To lend']);
    const shelfRead = (await api('GET', `/shelves/${shelf}`)).json();
    expect(shelfRead.stories.items.map((s: { id: number }) => s.id)).toEqual([story]);
    expect(shelfRead.notes).toEqual({ [story]: 'Lend to Ann' });
    // A private shelf is its owner's alone; another reader's shelf cannot be filled.
    expect((await api('GET', `/shelves/${secret}`)).statusCode).toBe(404);
    expect((await api('GET', `/shelves/${secret}`, { token: write })).statusCode).toBe(200);
    const otherToken = await makeToken(await h.login('borrower'), 'write');
    expect((await api('PUT', `/stories/${story}/shelves`, { token: otherToken, body: { shelves: [shelf] } })).statusCode).toBe(404);
    // A draft cannot be shelved; wrong shapes name the field.
    const draft = (await h.ctx.db.selectFrom('stories').select('id').where('title', '=', 'Hidden Draft').executeTakeFirstOrThrow()).id;
    expect((await api('PUT', `/stories/${draft}/shelves`, { token: write, body: { shelves: [shelf] } })).statusCode).toBe(404);
    expect((await api('PUT', `/stories/${story}/shelves`, { token: write, body: { shelves: ['x'] } })).json().errors).toHaveProperty(
      'shelves.0',
    );
    expect((await api('POST', '/shelves', { token: write, body: { name: '', visibility: 'public' } })).statusCode).toBe(400);
    // Taking it off every shelf.
    await api('PUT', `/stories/${story}/shelves`, { token: write, body: { shelves: [] } });
    expect((await api('GET', `/shelves/${shelf}`)).json().stories.items).toEqual([]);
  });

  it('lets every write through for its owner’s write token only', async () => {
    const owner = await h.login('matrix');
    const ownerStory = await createStory(owner, { title: 'Matrix' });
    const ownerChapter = await addChapter(owner, ownerStory, { title: 'Cell' });
    const shelfOf = async (token: string) => (await api('GET', '/me/shelves', { token })).json().items[0].id as number;
    const tokens = {
      none: '',
      read: await makeToken(owner, 'read'),
      stranger: await makeToken(await h.login('outsider'), 'write'),
      owner: await makeToken(owner, 'read\nwrite'),
    };
    const ownerShelf = await shelfOf(tokens.owner);
    const writes: [string, 'POST' | 'PUT', string, unknown, Record<keyof typeof tokens, number>][] = [
      [
        'story',
        'POST',
        '/stories',
        { title: 'M', rating: 'everyone', warnings: ['No Archive Warnings Apply'] },
        { none: 401, read: 403, stranger: 201, owner: 201 },
      ],
      [
        'chapter',
        'POST',
        `/stories/${ownerStory}/chapters`,
        { title: 'C', body: 'Text.' },
        { none: 401, read: 403, stranger: 403, owner: 201 },
      ],
      [
        'comment',
        'POST',
        `/stories/${ownerStory}/chapters/${ownerChapter}/comments`,
        { body: 'Hi.' },
        { none: 401, read: 403, stranger: 201, owner: 201 },
      ],
      ['shelf', 'POST', '/shelves', { name: 'S', visibility: 'private' }, { none: 401, read: 403, stranger: 201, owner: 201 }],
      ['shelving', 'PUT', `/stories/${ownerStory}/shelves`, { shelves: [ownerShelf] }, { none: 401, read: 403, stranger: 404, owner: 200 }],
    ];
    for (const [name, method, url, payload, expected] of writes) {
      for (const [who, token] of Object.entries(tokens) as [keyof typeof tokens, string][]) {
        const response = await api(method, url, { token: token || undefined, body: payload });
        expect({ name, who, status: response.statusCode }).toEqual({ name, who, status: expected[who] });
      }
    }
  });

  it('describes itself in OpenAPI 3.1, from the schemas the routes check with', async () => {
    const document = (await api('GET', '/openapi.json')).json();
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/stories',
        '/stories/{id}',
        '/stories/{id}/chapters',
        '/me',
        '/tags/{id}',
        '/shelves/{id}',
        '/stories/{id}/shelves',
      ]),
    );
    expect(document.paths['/stories/{id}/shelves'].put.requestBody.content['application/json'].schema.required).toEqual(['shelves']);
    expect(document.paths['/stories'].post.requestBody.content['application/json'].schema.required).toEqual(
      expect.arrayContaining(['title', 'rating', 'warnings']),
    );
    expect((await api('GET', '/docs')).body).toContain('GET /api/v1/stories');
  });
});
