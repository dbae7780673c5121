import { Note, Person } from '@fedify/fedify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addRemoteFollow, saveRemoteActor } from '../src/modules/federation/federation.repository.ts';
import { receivePost, rememberActor } from '../src/modules/federation/remote-actors.ts';
import { createHarness, dialects, type Harness } from './harness.ts';
import { freePort } from './ports.ts';
import { addChapter, createStory } from './stories.helpers.ts';

const AP = 'application/activity+json';

/** An archive listening on its own loopback address, as a second server on a network would. */
async function archiveAt(dialect: (typeof dialects)[number], host: string): Promise<Harness & { origin: string }> {
  const port = await freePort();
  const origin = `http://${host}:${port}`;
  const h = await createHarness(dialect, undefined, { PUBLIC_URL: origin, FEDERATION_PRIVATE_ADDRESSES: 'allow' });
  await h.app.listen({ host, port });
  return Object.assign(h, { origin });
}

describe.each(dialects)('ActivityPub between two archives on %s', (dialect) => {
  let a: Awaited<ReturnType<typeof archiveAt>>;
  let b: Awaited<ReturnType<typeof archiveAt>>;
  /** Runs both archives' queues until neither has work: deliveries go back and forth. */
  const settle = async () => {
    for (let round = 0; round < 12; round++) if ((await a.runJobs()) + (await b.runJobs()) === 0) return;
    throw new Error('The queues never settled');
  };

  beforeAll(async () => {
    a = await archiveAt(dialect, '127.0.0.1');
    b = await archiveAt(dialect, '127.0.0.2');
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('makes each account an actor found by WebFinger, with keys and an inbox', async () => {
    await a.login('quill');
    const host = new URL(a.origin).host;
    const finger = await a.agent().get(`/.well-known/webfinger?resource=acct:quill@${host}`);
    expect(finger.statusCode).toBe(200);
    const self = (finger.json() as { links: { rel: string; type?: string; href: string }[] }).links.find((link) => link.rel === 'self');
    expect(self?.type).toBe(AP);
    const actor = await a.agent().get(new URL(self?.href ?? '').pathname, { accept: AP });
    expect(actor.headers['content-type']).toContain('application/activity+json');
    const person = actor.json() as Record<string, unknown>;
    expect(person).toMatchObject({
      type: 'Person',
      preferredUsername: 'quill',
      url: `${a.origin}/users/quill`,
      inbox: `${self?.href}/inbox`,
    });
    expect(String((person.publicKey as { publicKeyPem: string }).publicKeyPem)).toContain('BEGIN PUBLIC KEY');
    // The author page's address names the same actor; unknown names are not found.
    const alias = await a.agent().get(`/.well-known/webfinger?resource=${encodeURIComponent(`${a.origin}/users/quill`)}`);
    expect(alias.statusCode).toBe(200);
    expect((await a.agent().get(`/.well-known/webfinger?resource=acct:nobody@${host}`)).statusCode).toBe(404);
    // Malformed %-escapes are not found, never a 500.
    for (const resource of [`acct:%E0%A4%A@${host}`, `${a.origin}/users/%E0%A4%A`, '%E0%A4%A']) {
      const status = (await a.agent().get(`/.well-known/webfinger?resource=${encodeURIComponent(resource)}`)).statusCode;
      expect([400, 404], resource).toContain(status);
    }
    expect([400, 404]).toContain((await a.agent().get('/users/%E0%A4%A', { accept: AP })).statusCode);
    expect((await a.agent().get('/ap/users/99999999', { accept: AP })).statusCode).toBe(404);
    // Servers given the author page's address are sent to the actor; the page names it for them.
    const negotiated = await a.agent().get('/users/quill', { accept: AP });
    expect(negotiated.statusCode).toBe(302);
    expect(negotiated.headers.location).toBe(new URL(self?.href ?? '').pathname);
    expect((await a.agent().get('/users/quill')).body).toContain(
      `<link rel="alternate" type="application/activity+json" href="${new URL(self?.href ?? '').pathname}"/>`,
    );
    expect((await a.agent().get('/users/%E0%A4%A', { accept: AP })).statusCode).not.toBe(500);
  });

  it('lets a reader on one archive follow an author on the other, and brings each new chapter to them', async () => {
    const author = await a.login('inkwell');
    const reader = await b.login('owl');
    const follow = await reader.submit('/fediverse', '/fediverse/follow', { address: `${a.origin}/users/inkwell` });
    expect(follow.statusCode).toBe(303);
    expect((await reader.get('/fediverse')).body).toContain('waiting for their server');
    await settle();
    const following = (await reader.get('/fediverse')).body;
    expect(following).toContain('@inkwell@127.0.0.1');
    expect(following).not.toContain('waiting for their server');
    const authorId = (await a.ctx.db.selectFrom('users').select('id').where('username', '=', 'inkwell').executeTakeFirstOrThrow()).id;
    const followers = await a.agent().get(`/ap/users/${authorId}/followers`, { accept: AP });
    expect((followers.json() as { totalItems: number }).totalItems).toBe(1);

    const story = await createStory(author, { title: 'Lanterns <b>Afloat</b>', summary: 'Paper boats & candles.' });
    await addChapter(author, story, { title: 'The River' });
    await settle();
    const timeline = (await reader.get('/fediverse')).body;
    expect(timeline).toContain('<p>New story: Lanterns &lt;b>Afloat&lt;/b> — The River</p><p>Paper boats &amp; candles.</p>');
    expect(timeline).toMatch(new RegExp(`href="${a.origin}/stories/${story}-[a-z-]+/chapters/\\d+-the-river"`));

    // A mature story reaches followers behind a warning naming its rating.
    const night = await createStory(author, { title: 'Night Shift', rating: 'mature' });
    await addChapter(author, night, { title: 'Late' });
    await settle();
    expect((await reader.get('/fediverse')).body).toMatch(/<details><summary>Rated Mature<\/summary><p>New story: Night Shift/);

    // The author's outbox lists both; deleting a story takes its post away from the follower too.
    const outbox = (await a.agent().get(`/ap/users/${authorId}/outbox`, { accept: AP })).json() as { totalItems: number };
    expect(outbox.totalItems).toBe(2);
    expect((await author.submit(`/stories/${night}/delete`, `/stories/${night}/delete`, {})).statusCode).toBe(303);
    await settle();
    const after = (await reader.get('/fediverse')).body;
    expect(after).not.toContain('Night Shift');
    expect(after).toContain('Lanterns');

    // Unfollowing tells the author's archive, which stops counting them.
    const actor = await b.ctx.db.selectFrom('remote_actors').select('id').executeTakeFirstOrThrow();
    expect((await reader.submit('/fediverse', `/fediverse/unfollow/${actor.id}`, {})).statusCode).toBe(303);
    await settle();
    expect(((await a.agent().get(`/ap/users/${authorId}/followers`, { accept: AP })).json() as { totalItems: number }).totalItems).toBe(0);
  });

  it('refuses deliveries without a valid signature, and follows of nothing', async () => {
    const target = (await a.ctx.db.selectFrom('users').select('id').where('username', '=', 'quill').executeTakeFirstOrThrow()).id;
    const forged = {
      '@context': 'https://www.w3.org/ns/activitystreams',
      id: `${b.origin}/forged/1`,
      type: 'Follow',
      actor: `${b.origin}/ap/users/1`,
      object: `${a.origin}/ap/users/${target}`,
    };
    const unsigned = await a.app.inject({
      method: 'POST',
      url: `/ap/users/${target}/inbox`,
      headers: { 'content-type': AP },
      payload: JSON.stringify(forged),
    });
    expect(unsigned.statusCode).toBe(401);
    await settle();
    expect(await a.ctx.db.selectFrom('remote_followers').selectAll().where('user_id', '=', target).execute()).toEqual([]);

    const reader = await b.login('lark');
    const nothing = await reader.submit('/fediverse', '/fediverse/follow', { address: 'not an address' });
    expect(nothing.statusCode).toBe(400);
    // Said beside the field, with what was typed kept.
    expect(nothing.body).toContain('Give an address such as name@example.social');
    expect(nothing.body).toContain('value="not an address"');
    const missing = await reader.submit('/fediverse', '/fediverse/follow', { address: `${a.origin}/users/nobody` });
    expect(missing.statusCode).toBe(400);
    const local = await reader.submit('/fediverse', '/fediverse/follow', { address: `${b.origin}/users/owl` });
    expect(local.statusCode).toBe(400);
    expect((await reader.submit('/fediverse', '/fediverse/unfollow/12345', {})).statusCode).toBe(404);
  });
});

describe('an archive without PUBLIC_URL', () => {
  it('does not federate', async () => {
    const h = await createHarness('sqlite');
    try {
      expect((await h.agent().get('/.well-known/webfinger?resource=acct:a@localhost')).statusCode).toBe(404);
      expect((await (await h.login('plain')).get('/fediverse')).statusCode).toBe(404);
    } finally {
      await h.close();
    }
  });
});

describe.each(dialects)('what a remote actor may say of itself, on %s', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(dialect, undefined, { PUBLIC_URL: 'http://127.0.0.1:9', FEDERATION_PRIVATE_ADDRESSES: 'allow' });
  });
  afterAll(() => h?.close());

  it('links only http(s) addresses, and keeps posts only with ids on the sender’s own origin', async () => {
    const reader = await h.login('reader');
    const readerId = (await h.ctx.db.selectFrom('users').select('id').where('username', '=', 'reader').executeTakeFirstOrThrow()).id;
    const actorUri = new URL('https://social.example/users/mal');
    const actorId = await rememberActor(
      h.ctx,
      new Person({
        id: actorUri,
        preferredUsername: 'mal',
        name: 'Mal',
        inbox: new URL('https://social.example/inbox'),
        url: new URL('javascript:alert(1)'),
      }),
    );
    expect(actorId).not.toBeNull();
    await addRemoteFollow(h.ctx.db, readerId, actorId as number, 'https://stories.example/#f', Date.now());
    // A row from before the check, holding such a url, is not a link either.
    await saveRemoteActor(
      h.ctx.db,
      {
        uri: 'https://old.example/users/o',
        inbox: 'https://old.example/inbox',
        shared_inbox: null,
        handle: 'o@old.example',
        name: 'Old',
        url: 'javascript:alert(2)',
      },
      Date.now(),
    );
    const oldId = (
      await h.ctx.db.selectFrom('remote_actors').select('id').where('uri', '=', 'https://old.example/users/o').executeTakeFirstOrThrow()
    ).id;
    await addRemoteFollow(h.ctx.db, readerId, Number(oldId), 'https://stories.example/#g', Date.now());

    const note = (id: string, content: string, attributedTo: URL | null = actorUri) =>
      new Note({ id: new URL(id), content, attribution: attributedTo, url: new URL('javascript:alert(3)') });
    await receivePost(h.ctx, actorUri, note('https://social.example/notes/1', 'My own post.'));
    await receivePost(h.ctx, actorUri, note('https://victim.example/notes/1', 'Squatting another server.'));
    await receivePost(h.ctx, actorUri, note('http://127.0.0.1:9/ap/chapters/1', 'Squatting this archive.'));
    await receivePost(h.ctx, actorUri, note('https://social.example/notes/2', 'Someone else’s, unattributed.', null));

    const page = (await reader.get('/fediverse')).body;
    expect(page).not.toContain('javascript:');
    expect(page).toContain('My own post.');
    for (const squat of ['Squatting another server.', 'Squatting this archive.', 'unattributed']) expect(page).not.toContain(squat);
    const uris = (await h.ctx.db.selectFrom('remote_posts').select('uri').execute()).map((row) => row.uri);
    expect(uris).toEqual(['https://social.example/notes/1']);
  });
});

describe('deliveries from one remote actor or host', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness('sqlite', undefined, { PUBLIC_URL: 'http://127.0.0.1:9', FEDERATION_PRIVATE_ADDRESSES: 'allow' });
  });
  afterAll(() => h?.close());

  const deliver = (keyId: string, ip = '203.0.113.5') =>
    h.app.inject({
      method: 'POST',
      url: '/ap/inbox',
      remoteAddress: ip,
      headers: {
        'content-type': AP,
        signature: `keyId="${keyId}",algorithm="rsa-sha256",headers="(request-target) host date digest",signature="AAAA"`,
      },
      payload: JSON.stringify({ '@context': 'https://www.w3.org/ns/activitystreams', type: 'Follow', actor: keyId.split('#')[0] }),
    });

  it('are limited per actor, as their signature names it, before any work is queued', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push((await deliver('https://flood.example/users/a#main-key')).statusCode);
    // Unsigned for real, so refused by the inbox (401) until the actor's budget is spent.
    expect(statuses.slice(0, 20).every((status) => status === 401)).toBe(true);
    expect(statuses.slice(20)).toEqual(Array(5).fill(429));
    // Another actor of the same host, from another address, still has its own.
    expect((await deliver('https://flood.example/users/b#main-key', '203.0.113.6')).statusCode).toBe(401);
    const jobs = await h.ctx.db.selectFrom('jobs').select('id').execute();
    expect(jobs).toEqual([]);
  });
});
