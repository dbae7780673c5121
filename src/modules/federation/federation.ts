import {
  Accept,
  Create,
  createFederation,
  Delete,
  Endpoints,
  exportJwk,
  type Federation,
  Follow,
  generateCryptoKeyPair,
  importJwk,
  Note,
  Person,
  Undo,
} from '@fedify/fedify';
import type { Context } from '../../kernel/context.ts';
import { percentDecoded } from '../../kernel/text/urls.ts';
import { authorPath } from '../../kernel/web/paths.ts';
import { chapterCreate, chapterNote } from './chapter-note.tsx';
import { federates } from './federates.ts';
import * as repo from './federation.repository.ts';
import { databaseKvStore, type JobMessageQueue, jobMessageQueue } from './federation.store.ts';
import { guardOutgoingConnections } from './outgoing.ts';
import { receivePost, rememberActor } from './remote-actors.ts';

export type Federated = { federation: Federation<Context>; queue: JobMessageQueue; origin: string };

const made = new WeakMap<Context, Federated | null>();
const ID = /^[1-9]\d{0,14}$/;
const userIdOf = (identifier: string) => (ID.test(identifier) ? Number(identifier) : null);

/**
 * The archive as an ActivityPub server (Fedify), or null without PUBLIC_URL: actors need an address
 * that other servers can reach and that never changes. Made once per Context.
 */
export function federationOf(ctx: Context): Federated | null {
  if (made.has(ctx)) return made.get(ctx) ?? null;
  const origin = federates(ctx) ? new URL(ctx.config.publicUrl as string).origin : null;
  const built = origin ? build(ctx, origin) : null;
  made.set(ctx, built);
  return built;
}

function build(ctx: Context, origin: string): Federated {
  if (!ctx.config.federationPrivateAddresses) guardOutgoingConnections();
  const queue = jobMessageQueue(ctx, () => void federation.startQueue(ctx));
  const federation = createFederation<Context>({
    kv: databaseKvStore(ctx),
    queue,
    manuallyStartQueue: true,
    origin,
    // Only for two archives on one machine in tests; a public server must never fetch private addresses
    // (Fedify's own check is a first look; outgoing.ts decides, where connections are opened).
    allowPrivateAddress: ctx.config.federationPrivateAddresses,
    userAgent: { software: 'GoldenOak/1.0', url: new URL(origin) },
  });

  federation
    .setActorDispatcher('/ap/users/{identifier}', async (c, identifier) => {
      const id = userIdOf(identifier);
      const user = id ? await repo.localActor(ctx.db, id) : undefined;
      if (!user) return null;
      const keys = await c.getActorKeyPairs(identifier);
      return new Person({
        id: c.getActorUri(identifier),
        preferredUsername: user.username,
        name: user.display_name || user.username,
        // bio_html was made by src/kernel/text; it is the same HTML the author page shows.
        summary: user.bio_html || null,
        url: new URL(authorPath(user.username), origin),
        inbox: c.getInboxUri(identifier),
        endpoints: new Endpoints({ sharedInbox: c.getInboxUri() }),
        followers: c.getFollowersUri(identifier),
        outbox: c.getOutboxUri(identifier),
        manuallyApprovesFollowers: false,
        discoverable: true,
        publicKey: keys[0]?.cryptographicKey ?? null,
        assertionMethods: keys.map((key) => key.multikey),
      });
    })
    .setKeyPairsDispatcher(async (_c, identifier) => {
      const id = userIdOf(identifier);
      return id ? keyPairsOf(ctx, id) : [];
    })
    .mapHandle(async (_c, username) => {
      const user = await repo.localActorByName(ctx.db, username);
      return user ? String(user.id) : null;
    })
    // An author page's address (what people paste) names the same actor as acct:name@host.
    .mapAlias((_c, resource) => {
      const match = resource.origin === origin ? /^\/users\/([^/]+)$/.exec(resource.pathname) : null;
      const username = match?.[1] ? percentDecoded(match[1]) : null;
      return username ? { username } : null;
    });

  federation
    .setFollowersDispatcher('/ap/users/{identifier}/followers', async (_c, identifier) => {
      const id = userIdOf(identifier);
      const rows = id ? await repo.remoteFollowersOf(ctx.db, id) : [];
      return {
        items: rows.map((row) => ({
          id: new URL(row.uri),
          inboxId: new URL(row.inbox),
          endpoints: row.shared_inbox ? { sharedInbox: new URL(row.shared_inbox) } : null,
        })),
      };
    })
    .setCounter(async (_c, identifier) => {
      const id = userIdOf(identifier);
      return id ? repo.remoteFollowerCount(ctx.db, id) : 0;
    });

  // The newest twenty chapters, for servers that show an author's posts when someone looks them up.
  federation
    .setOutboxDispatcher('/ap/users/{identifier}/outbox', async (c, identifier) => {
      const id = userIdOf(identifier);
      const chapters = id ? await repo.newestChaptersBy(ctx.db, id, 20) : [];
      return { items: chapters.map((chapter) => chapterCreate(c, origin, chapter)) };
    })
    .setCounter(async (_c, identifier) => {
      const id = userIdOf(identifier);
      return id ? repo.publicChapterCount(ctx.db, id) : 0;
    });

  federation.setObjectDispatcher(Note, '/ap/chapters/{id}', async (c, { id }) => {
    const chapter = ID.test(id) ? await repo.publicChapter(ctx.db, Number(id)) : undefined;
    return chapter ? chapterNote(c, origin, chapter) : null;
  });

  federation
    .setInboxListeners('/ap/users/{identifier}/inbox', '/ap/inbox')
    .on(Follow, async (c, follow) => {
      const target = c.parseUri(follow.objectId);
      const userId = target?.type === 'actor' ? userIdOf(target.identifier) : null;
      if (!userId || !follow.id || !(await repo.localActor(ctx.db, userId))) return;
      const follower = await follow.getActor();
      const actorId = follower ? await rememberActor(ctx, follower) : null;
      if (!follower || actorId === null) return;
      await repo.addRemoteFollower(ctx.db, userId, actorId, ctx.clock.now());
      const identifier = String(userId);
      await c.sendActivity(
        { identifier },
        follower,
        new Accept({
          id: new URL(`#accepts/${encodeURIComponent(follow.id.href)}`, c.getActorUri(identifier)),
          actor: c.getActorUri(identifier),
          object: follow,
        }),
      );
    })
    .on(Undo, async (c, undo) => {
      const object = await undo.getObject();
      if (!(object instanceof Follow) || !undo.actorId || object.actorId?.href !== undo.actorId.href) return;
      const target = c.parseUri(object.objectId);
      const userId = target?.type === 'actor' ? userIdOf(target.identifier) : null;
      if (userId) await repo.removeRemoteFollower(ctx.db, userId, undo.actorId.href);
    })
    .on(Accept, async (_c, accept) => {
      if (!accept.actorId || !accept.objectId) return;
      await repo.acceptRemoteFollow(ctx.db, accept.objectId.href, accept.actorId.href, ctx.clock.now());
    })
    .on(Delete, async (_c, deletion) => {
      if (deletion.actorId && deletion.objectId) await repo.deleteRemotePost(ctx.db, deletion.objectId.href, deletion.actorId.href);
    })
    .on(Create, async (_c, create) => {
      if (!create.actorId) return;
      const object = await create.getObject();
      if (object) await receivePost(ctx, create.actorId, object);
    });

  return { federation, queue, origin };
}

/** An account's RSA key (for HTTP signatures) and Ed25519 key (for object proofs), made on first use. */
async function keyPairsOf(ctx: Context, userId: number): Promise<CryptoKeyPair[]> {
  let stored = await repo.storedKeyPairs(ctx.db, userId);
  if (!stored) {
    const pairs = await Promise.all([generateCryptoKeyPair('RSASSA-PKCS1-v1_5'), generateCryptoKeyPair('Ed25519')]);
    const jwks = await Promise.all(
      pairs.map(async (pair) => ({ privateKey: await exportJwk(pair.privateKey), publicKey: await exportJwk(pair.publicKey) })),
    );
    stored = await repo.saveKeyPairs(ctx.db, userId, JSON.stringify(jwks), ctx.clock.now());
  }
  const jwks = JSON.parse(stored) as { privateKey: JsonWebKey; publicKey: JsonWebKey }[];
  return Promise.all(
    jwks.map(async (jwk) => ({
      privateKey: await importJwk(jwk.privateKey, 'private'),
      publicKey: await importJwk(jwk.publicKey, 'public'),
    })),
  );
}
