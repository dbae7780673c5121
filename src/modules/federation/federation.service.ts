import { Delete, Follow, isActor, Note, PUBLIC_COLLECTION, Tombstone, Undo } from '@fedify/fedify';
import type { Context } from '../../kernel/context.ts';
import { AppError } from '../../kernel/errors.ts';
import { enqueue } from '../../kernel/jobs/jobs.ts';
import { percentDecoded } from '../../kernel/text/urls.ts';
import type { Viewer } from '../../kernel/web/viewer.ts';
import { chapterCreate } from './chapter-note.tsx';
import { federates } from './federates.ts';
import * as repo from './federation.repository.ts';
import { type Federated, federationOf } from './federation.ts';
import { rememberActor } from './remote-actors.ts';

function federated(ctx: Context): Federated {
  const found = federationOf(ctx);
  if (!found) throw new AppError(404, 'This archive does not federate: it needs PUBLIC_URL to be set.');
  return found;
}

const contextOf = ({ federation, origin }: Federated, ctx: Context) => federation.createContext(new URL(origin), ctx);

/** A published chapter goes to its author's remote followers (a job, queued when the chapter went public). */
export async function federateChapter(ctx: Context, { chapterId }: { chapterId: number }) {
  const found = federationOf(ctx);
  const chapter = found ? await repo.publicChapter(ctx.db, chapterId) : undefined;
  if (!found || !chapter || (await repo.remoteFollowerCount(ctx.db, chapter.author_id)) === 0) return;
  const c = contextOf(found, ctx);
  await c.sendActivity({ identifier: String(chapter.author_id) }, 'followers', chapterCreate(c, found.origin, chapter), {
    preferSharedInbox: true,
  });
}

/** Queues federateChapter when the archive federates. */
export async function chapterFederated(ctx: Context, chapterId: number) {
  if (federates(ctx)) await enqueue(ctx.db, ctx.clock.now(), 'federation.chapter', { chapterId });
}

/** The job the federation subscriber queues for a chaptersWithdrawn event: a Delete of each chapter's Note, to the author's remote followers. */
export async function federateWithdrawal(ctx: Context, { authorId, chapterIds }: { authorId: number; chapterIds: number[] }) {
  const found = federationOf(ctx);
  if (!found || (await repo.remoteFollowerCount(ctx.db, authorId)) === 0) return;
  const c = contextOf(found, ctx);
  const author = String(authorId);
  for (const id of chapterIds) {
    const note = c.getObjectUri(Note, { id: String(id) });
    await c.sendActivity(
      { identifier: author },
      'followers',
      new Delete({
        id: new URL(`${note.href}#delete`),
        actor: c.getActorUri(author),
        to: PUBLIC_COLLECTION,
        cc: c.getFollowersUri(author),
        object: new Tombstone({ id: note }),
      }),
      { preferSharedInbox: true },
    );
  }
}

/** One task of Fedify's (a delivery, an inbox activity, a fan-out), run as a job. */
export async function runFederationTask(ctx: Context, { message }: { message: unknown }) {
  await federated(ctx).queue.run(message);
}

/**
 * Follows an author on another server: `name@host`, `@name@host`, or the address of their profile
 * or actor. The follow is pending until their server accepts it.
 */
export async function followRemote(ctx: Context, viewer: Viewer, address: string) {
  const found = federated(ctx);
  const c = contextOf(found, ctx);
  const wanted = address.trim().replace(/^@/, '');
  const lookup = /^[^@\s/]+@[^@\s/]+$/.test(wanted) ? `acct:${wanted}` : /^https?:\/\/\S+$/.test(wanted) ? wanted : null;
  if (!lookup) throw new AppError(400, 'Give an address such as name@example.social, or the address of their profile page.');
  const actor = await c.lookupObject(lookup).catch(() => null);
  if (!actor || !isActor(actor) || !actor.id) throw new AppError(400, `Nothing that can be followed was found at ${wanted.slice(0, 200)}.`);
  if (actor.id.origin === found.origin) throw new AppError(400, 'That account is on this archive: follow it from its page.');
  const actorId = await rememberActor(ctx, actor);
  if (actorId === null) throw new AppError(400, 'That account has no inbox to follow.');
  const me = String(viewer.id);
  const follow = new Follow({
    id: new URL(`#follows/${crypto.randomUUID()}`, c.getActorUri(me)),
    actor: c.getActorUri(me),
    object: actor.id,
  });
  await repo.addRemoteFollow(ctx.db, viewer.id, actorId, follow.id?.href ?? '', ctx.clock.now());
  await c.sendActivity({ identifier: me }, actor, follow);
  return { name: actor.name?.toString() ?? wanted };
}

export async function unfollowRemote(ctx: Context, viewer: Viewer, actorId: number) {
  const found = federated(ctx);
  const actor = await repo.remoteActorById(ctx.db, actorId);
  const removed = actor ? await repo.removeRemoteFollow(ctx.db, viewer.id, actorId) : undefined;
  if (!actor || !removed) throw new AppError(404, 'You do not follow that account.');
  const c = contextOf(found, ctx);
  const me = String(viewer.id);
  const follow = new Follow({ id: new URL(removed.activity_uri), actor: c.getActorUri(me), object: new URL(actor.uri) });
  await c.sendActivity(
    { identifier: me },
    { id: new URL(actor.uri), inboxId: new URL(actor.inbox), endpoints: null },
    new Undo({ id: new URL(`${removed.activity_uri}/undo`), actor: c.getActorUri(me), object: follow }),
  );
}

/** The actor of an author page's name (as it appears in the address), or null. */
export async function actorPathOf(ctx: Context, encodedName: string): Promise<string | null> {
  const name = percentDecoded(encodedName);
  if (name === null) return null;
  const user = await repo.localActorByName(ctx.db, name);
  return user ? `/ap/users/${user.id}` : null;
}

export async function fediverse(ctx: Context, viewer: Viewer) {
  const found = federated(ctx);
  const [follows, posts, user] = await Promise.all([
    repo.remoteFollowsOf(ctx.db, viewer.id),
    repo.remoteTimeline(ctx.db, viewer.id, 50),
    repo.localActor(ctx.db, viewer.id),
  ]);
  return { follows, posts, handle: `${user?.username ?? ''}@${new URL(found.origin).host}` };
}
