import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addRemoteFollower, saveRemoteActor } from '../src/modules/federation/federation.repository.ts';
import { isPublicAddress } from '../src/modules/federation/outgoing.ts';
import type { Agent } from './agent.ts';
import { createHarness, type Harness } from './harness.ts';
import { addChapter, createStory } from './stories.helpers.ts';

describe('which addresses the archive may connect to', () => {
  it.each([
    ['93.184.216.34', true],
    ['2606:2800:220:1:248:1893:25c8:1946', true],
    ['::ffff:93.184.216.34', true],
    ['64:ff9b::5db8:d822', true],
    ['127.0.0.1', false],
    ['10.0.0.1', false],
    ['100.64.0.1', false],
    ['100.127.255.254', false],
    ['169.254.169.254', false],
    ['172.16.0.1', false],
    ['192.168.1.1', false],
    ['192.0.0.8', false],
    ['198.18.0.1', false],
    ['0.0.0.0', false],
    ['224.0.0.1', false],
    ['255.255.255.255', false],
    ['::', false],
    ['::1', false],
    ['::127.0.0.1', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:7f00:1', false],
    ['::ffff:10.0.0.1', false],
    ['64:ff9b::7f00:1', false],
    ['64:ff9b::a00:1', false],
    ['2002:7f00:1::1', false],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', false],
    ['fc00::1', false],
    ['fd12:3456::1', false],
    ['fe80::1', false],
    ['ff02::1', false],
    ['not an address', false],
  ])('%s → %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });
});

/**
 * The audit's cases, against an archive that federates with private addresses denied (the
 * default). A server on loopback stands for what an attacker wants reached: it must hear nothing.
 */
describe('an archive with FEDERATION_PRIVATE_ADDRESSES=deny', () => {
  let h: Harness;
  let trap: Server;
  let port = 0;
  const heard: string[] = [];
  let reader: Agent;
  beforeAll(async () => {
    trap = createServer((request, response) => {
      heard.push(`${request.method} ${request.url}`);
      response.writeHead(200, { 'content-type': 'application/activity+json' });
      response.end(JSON.stringify({ '@context': 'https://www.w3.org/ns/activitystreams', id: 'x', type: 'Person', inbox: 'x' }));
    });
    await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
    port = (trap.address() as AddressInfo).port;
    h = await createHarness('sqlite', undefined, { PUBLIC_URL: 'https://stories.example.org' });
    reader = await h.login('reader');
  });
  afterAll(async () => {
    await h?.close();
    await new Promise((resolve) => trap.close(resolve));
  });

  it.each([
    'http://[::ffff:127.0.0.1]:PORT/users/a',
    'http://[::ffff:7f00:1]:PORT/users/a',
    'http://[::]:PORT/users/a',
    'http://[::127.0.0.1]:PORT/users/a',
    'http://[64:ff9b::7f00:1]:PORT/users/a',
    'http://[::1]:PORT/users/a',
    'http://127.1:PORT/users/a',
    'http://0x7f000001:PORT/users/a',
    'http://foo.localhost:PORT/users/a',
    'http://localhost.:PORT/users/a',
    'http://100.64.0.1/users/a',
    'http://[::ffff:10.0.0.1]/users/a',
    'http://no-such-host.invalid/users/a',
  ])('refuses to follow %s, and nothing is fetched', async (address) => {
    const response = await reader.submit('/fediverse', '/fediverse/follow', { address: address.replace('PORT', String(port)) });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Nothing that can be followed was found');
    expect(heard).toEqual([]);
  });

  it('never delivers to an inbox on a private address, however the actor got there', async () => {
    const author = await h.login('author');
    const authorId = (await h.ctx.db.selectFrom('users').select('id').where('username', '=', 'author').executeTakeFirstOrThrow()).id;
    const story = await createStory(author);
    const inboxes = [`http://127.0.0.1:${port}/inbox`, `http://[::ffff:127.0.0.1]:${port}/inbox`, `http://localhost:${port}/inbox`];
    for (const [i, inbox] of inboxes.entries()) {
      const actor = await saveRemoteActor(
        h.ctx.db,
        {
          uri: `https://elsewhere.example/users/f${i}`,
          inbox,
          shared_inbox: null,
          handle: `f${i}@elsewhere.example`,
          name: 'F',
          url: null,
        },
        Date.now(),
      );
      await addRemoteFollower(h.ctx.db, authorId, actor, Date.now());
    }
    await addChapter(author, story, { title: 'For followers' });
    for (let round = 0; round < 5; round++) await h.runJobs();
    expect(heard).toEqual([]);
  });
});
