import { type ChangeFeed, type Scope, storyScope } from '../db/change-feed.ts';
import type { Db } from '../db/schema.ts';

/**
 * What a write did, in the domain's words. A service records events inside its transaction and
 * does nothing else about them: the subscribers registered at the composition root (src/subscribers.ts)
 * keep the search index, notifications and federation in step, in the same transaction, and the
 * pages made stale follow from the events too (`staleScopes`). So no write can forget a consequence.
 */
export type DomainEvent =
  | { type: 'storyCreated'; storyId: number }
  /** Its own fields, tags, cover or visibility. */
  | { type: 'storyChanged'; storyId: number }
  /** Text, titles, order or published state of these chapters (deleted ones leave the index by trigger). */
  | { type: 'chaptersChanged'; storyId: number; chapterIds: number[] }
  /** A chapter went public: `newStory` when it is the story's first. */
  | { type: 'chapterPublished'; storyId: number; chapterId: number; newStory: boolean }
  /** Published chapters deleted: a story's or one chapter. */
  | { type: 'chaptersWithdrawn'; storyId: number; authorId: number; chapterIds: number[] }
  | { type: 'storyDeleted'; storyId: number }
  /** `giverId` null for a guest. */
  | { type: 'kudosLeft'; storyId: number; storyAuthorId: number; giverId: number | null }
  /** A new comment; `parentAuthorId` is the writer of the comment it answers. */
  | {
      type: 'commentPosted';
      storyId: number;
      chapterId: number;
      commentId: number;
      authorId: number;
      storyAuthorId: number;
      parentAuthorId: number | null;
    }
  /** Edited, deleted, hidden, restored, or the story closed or opened to comments. */
  | { type: 'commentsChanged'; storyId: number }
  | { type: 'coauthorsChanged'; storyId: number }
  /** A story put on or taken off a shelf, or (storyId null) a shelf itself made or changed. */
  | { type: 'shelvesChanged'; storyId: number | null }
  | { type: 'seriesChanged'; storyIds: number[] }
  /** Tags made canonical, synonyms, merged, renamed or given parents: the stories that carry them read differently. */
  | { type: 'tagsWrangled'; tagIds: number[] }
  | { type: 'authorFollowed'; followerId: number; authorId: number }
  | { type: 'accountCreated'; userId: number }
  /** Sessions, password, role, preferences, mutes or suspension: what a signed-in page is built from. */
  | { type: 'accountChanged'; userId: number }
  /** The name shown for an author changed; `storyIds` are the stories credited to the name. */
  | { type: 'authorRenamed'; userId: number; storyIds: number[] }
  /** Stories moved to orphan_account: the old name must leave every one of them. */
  | { type: 'storiesOrphaned'; fromUserId: number; storyIds: number[] }
  | { type: 'accountDeleted'; userId: number; storyIds: number[] };

export type EventType = DomainEvent['type'];

/** Runs inside the write's transaction, after the work, with every event the work recorded. */
export type Subscriber<C> = { name: string; handle(ctx: C, trx: Db, events: readonly DomainEvent[]): Promise<void> };

/** What `write` needs of a context: the database, the change feed and the subscribers. */
export type Writer<C> = { db: Db; changes: ChangeFeed; subscribers: readonly Subscriber<C>[] };

const recording = new WeakMap<Db, DomainEvent[]>();

/**
 * Records what the write did. Only inside `write`: an event recorded anywhere else would have no
 * subscribers to carry it out, so that is a programming error, thrown at once.
 */
export function record(trx: Db, ...events: DomainEvent[]) {
  const open = recording.get(trx);
  if (!open) throw new Error(`${events[0]?.type ?? 'An event'} was recorded outside write(): its consequences would be lost.`);
  open.push(...events);
}

/**
 * Runs a write in one transaction; then, still inside it, every subscriber with the events it
 * recorded; then announces the stale pages to other processes (in the transaction) and to this
 * one (once it has committed). A subscriber's failure rolls the whole write back.
 */
export async function write<C extends Writer<C>, T>(ctx: C, work: (trx: Db) => Promise<T>): Promise<T> {
  let stale: Scope[] = [];
  const result = await ctx.db.transaction().execute(async (trx) => {
    const events: DomainEvent[] = [];
    recording.set(trx, events);
    try {
      const value = await work(trx);
      for (const subscriber of ctx.subscribers) if (events.length > 0) await subscriber.handle(ctx, trx, events);
      stale = staleScopes(events);
      await ctx.changes.publish(trx, stale);
      return value;
    } finally {
      recording.delete(trx);
    }
  });
  ctx.changes.committed(stale);
  return result;
}

/** The events of one kind, narrowed. */
export function eventsOf<K extends EventType>(events: readonly DomainEvent[], type: K): Extract<DomainEvent, { type: K }>[] {
  return events.filter((event): event is Extract<DomainEvent, { type: K }> => event.type === type);
}

/** Which cached pages each event makes stale: the page cache's subscriber, kept beside the events it reads. */
export function staleScopes(events: readonly DomainEvent[]): Scope[] {
  const scopes = new Set<Scope>();
  const stories = (ids: number[]) => {
    for (const id of ids) scopes.add(storyScope(id));
  };
  for (const event of events) {
    switch (event.type) {
      case 'storyCreated':
      case 'accountCreated':
      case 'tagsWrangled':
        scopes.add('lists');
        break;
      case 'storyChanged':
      case 'chaptersChanged':
      case 'chapterPublished':
      case 'chaptersWithdrawn':
      case 'storyDeleted':
      case 'kudosLeft':
        scopes.add('lists');
        stories([event.storyId]);
        break;
      case 'commentPosted':
      case 'commentsChanged':
      case 'coauthorsChanged':
        stories([event.storyId]);
        break;
      case 'shelvesChanged':
        if (event.storyId === null) scopes.add('lists');
        else stories([event.storyId]);
        break;
      case 'seriesChanged':
        scopes.add('lists');
        stories(event.storyIds);
        break;
      case 'accountChanged':
        scopes.add('sessions');
        break;
      case 'authorFollowed':
        break;
      case 'authorRenamed':
      case 'storiesOrphaned':
      case 'accountDeleted':
        scopes.add('lists').add('sessions');
        stories(event.storyIds);
        break;
    }
  }
  return [...scopes];
}
