import { type Object as APObject, Article, isActor, Note } from '@fedify/fedify';
import type { Context } from '../../kernel/context.ts';
import { htmlToText } from '../../kernel/text/search-text.ts';
import { safeHttpUrl } from '../../kernel/text/urls.ts';
import * as repo from './federation.repository.ts';

const POST_TEXT_LIMIT = 2000;

/** Saves who a remote actor is; null for something that is not an actor with an inbox. */
export async function rememberActor(ctx: Context, actor: APObject): Promise<number | null> {
  if (!isActor(actor) || !actor.id || !actor.inboxId) return null;
  const host = actor.id.host;
  const username = actor.preferredUsername?.toString() ?? actor.id.pathname.split('/').pop() ?? '';
  return repo.saveRemoteActor(
    ctx.db,
    {
      uri: actor.id.href,
      inbox: actor.inboxId.href,
      shared_inbox: actor.endpoints?.sharedInbox?.href ?? null,
      handle: `${username}@${host}`.slice(0, 300),
      name: (actor.name?.toString() ?? username).slice(0, 200),
      // Only an http(s) address is ever a link (a javascript: url would run on /fediverse).
      url: actor.url instanceof URL ? safeHttpUrl(actor.url.href) : null,
    },
    ctx.clock.now(),
  );
}

/**
 * A Note or Article from a remote actor our readers follow, kept as plain text (remote HTML is
 * never shown as HTML). Posts from actors no one here follows are dropped.
 */
export async function receivePost(ctx: Context, actorUri: URL, object: APObject) {
  if (!(object instanceof Note || object instanceof Article) || !object.id) return;
  // An actor speaks for its own server only, and for its own posts: an id on another origin (or on
  // ours) would squat a post that is not theirs, since the first to send an id keeps it.
  if (object.id.origin !== actorUri.origin || object.attributionId?.href !== actorUri.href) return;
  const actorId = await repo.followedActorId(ctx.db, actorUri.href);
  if (actorId === undefined) return;
  // Paragraphs stay apart, one per line; everything else is text.
  const text = htmlToText((object.content?.toString() ?? '').replace(/<\/p>|<br\s*\/?>/gi, '$&\n'))
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
  const url = object.url instanceof URL ? object.url.href : null;
  await repo.saveRemotePost(
    ctx.db,
    {
      actor_id: actorId,
      uri: object.id.href,
      url: url ? safeHttpUrl(url) : null,
      text: text.length > POST_TEXT_LIMIT ? `${text.slice(0, POST_TEXT_LIMIT)}…` : text,
      content_warning: (object.summary?.toString() ?? '').replace(/\s+/g, ' ').trim().slice(0, 200),
      published_at: object.published?.epochMilliseconds ?? ctx.clock.now(),
    },
    ctx.clock.now(),
  );
}
