import type { Db } from '../../kernel/db/schema.ts';

export type LocalActor = { id: number; username: string; display_name: string; bio_html: string };

export async function localActor(db: Db, id: number): Promise<LocalActor | undefined> {
  return db.selectFrom('users').select(['id', 'username', 'display_name', 'bio_html']).where('id', '=', id).executeTakeFirst();
}

export async function localActorByName(db: Db, username: string): Promise<LocalActor | undefined> {
  return db
    .selectFrom('users')
    .select(['id', 'username', 'display_name', 'bio_html'])
    .where('username_key', '=', username.toLowerCase())
    .executeTakeFirst();
}

export async function storedKeyPairs(db: Db, userId: number): Promise<string | undefined> {
  const row = await db.selectFrom('actor_keys').select('key_pairs').where('user_id', '=', userId).executeTakeFirst();
  return row?.key_pairs;
}

/** Keeps the first pair written: two requests making keys at once agree on one. */
export async function saveKeyPairs(db: Db, userId: number, keyPairs: string, now: number): Promise<string> {
  await db
    .insertInto('actor_keys')
    .values({ user_id: userId, key_pairs: keyPairs, created_at: now })
    .onConflict((oc) => oc.column('user_id').doNothing())
    .execute();
  return (await storedKeyPairs(db, userId)) ?? keyPairs;
}

export type RemoteActor = { uri: string; inbox: string; shared_inbox: string | null; handle: string; name: string; url: string | null };

/** Records what a remote actor says of itself now; returns our id for it. */
export async function saveRemoteActor(db: Db, actor: RemoteActor, now: number): Promise<number> {
  const row = await db
    .insertInto('remote_actors')
    .values({ ...actor, updated_at: now })
    .onConflict((oc) => oc.column('uri').doUpdateSet({ ...actor, updated_at: now }))
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function addRemoteFollower(db: Db, userId: number, actorId: number, now: number) {
  await db
    .insertInto('remote_followers')
    .values({ user_id: userId, actor_id: actorId, created_at: now })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function removeRemoteFollower(db: Db, userId: number, actorUri: string) {
  await db
    .deleteFrom('remote_followers')
    .where('user_id', '=', userId)
    .where('actor_id', 'in', (eb) => eb.selectFrom('remote_actors').select('id').where('uri', '=', actorUri))
    .execute();
}

/** Where to deliver to an account's remote followers. */
export async function remoteFollowersOf(db: Db, userId: number) {
  return db
    .selectFrom('remote_followers')
    .innerJoin('remote_actors', 'remote_actors.id', 'remote_followers.actor_id')
    .select(['remote_actors.uri', 'remote_actors.inbox', 'remote_actors.shared_inbox'])
    .where('remote_followers.user_id', '=', userId)
    .orderBy('remote_actors.id')
    .execute();
}

export async function remoteFollowerCount(db: Db, userId: number): Promise<number> {
  const row = await db
    .selectFrom('remote_followers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function addRemoteFollow(db: Db, userId: number, actorId: number, activityUri: string, now: number) {
  await db
    .insertInto('remote_follows')
    .values({ user_id: userId, actor_id: actorId, activity_uri: activityUri, accepted_at: null, created_at: now })
    .onConflict((oc) => oc.columns(['user_id', 'actor_id']).doUpdateSet({ activity_uri: activityUri, accepted_at: null, created_at: now }))
    .execute();
}

/** Their Accept of our Follow: only the actor that was followed can accept it. */
export async function acceptRemoteFollow(db: Db, activityUri: string, actorUri: string, now: number) {
  await db
    .updateTable('remote_follows')
    .set({ accepted_at: now })
    .where('activity_uri', '=', activityUri)
    .where('actor_id', 'in', (eb) => eb.selectFrom('remote_actors').select('id').where('uri', '=', actorUri))
    .execute();
}

export async function removeRemoteFollow(db: Db, userId: number, actorId: number) {
  return db
    .deleteFrom('remote_follows')
    .where('user_id', '=', userId)
    .where('actor_id', '=', actorId)
    .returning('activity_uri')
    .executeTakeFirst();
}

export async function remoteFollowsOf(db: Db, userId: number) {
  return db
    .selectFrom('remote_follows')
    .innerJoin('remote_actors', 'remote_actors.id', 'remote_follows.actor_id')
    .select([
      'remote_actors.id',
      'remote_actors.uri',
      'remote_actors.handle',
      'remote_actors.name',
      'remote_actors.url',
      'remote_follows.accepted_at',
    ])
    .where('remote_follows.user_id', '=', userId)
    .orderBy('remote_actors.handle')
    .execute();
}

export async function remoteActorById(db: Db, actorId: number) {
  return db.selectFrom('remote_actors').select(['id', 'uri', 'inbox', 'shared_inbox']).where('id', '=', actorId).executeTakeFirst();
}

/** Our id for a remote actor that at least one of our readers follows, else undefined. */
export async function followedActorId(db: Db, actorUri: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('remote_actors')
    .select('remote_actors.id')
    .where('remote_actors.uri', '=', actorUri)
    .where((eb) =>
      eb.exists(eb.selectFrom('remote_follows').select('user_id').whereRef('remote_follows.actor_id', '=', 'remote_actors.id')),
    )
    .executeTakeFirst();
  return row ? Number(row.id) : undefined;
}

export type NewRemotePost = {
  actor_id: number;
  uri: string;
  url: string | null;
  text: string;
  content_warning: string;
  published_at: number;
};

export async function saveRemotePost(db: Db, post: NewRemotePost, now: number) {
  await db
    .insertInto('remote_posts')
    .values({ ...post, received_at: now })
    .onConflict((oc) => oc.column('uri').doNothing())
    .execute();
}

/** A post its author deleted: only that author's Delete removes it. */
export async function deleteRemotePost(db: Db, uri: string, actorUri: string) {
  await db
    .deleteFrom('remote_posts')
    .where('uri', '=', uri)
    .where('actor_id', 'in', (eb) => eb.selectFrom('remote_actors').select('id').where('uri', '=', actorUri))
    .execute();
}

/** The newest posts of the remote actors a reader follows. */
export async function remoteTimeline(db: Db, userId: number, limit: number) {
  return db
    .selectFrom('remote_posts')
    .innerJoin('remote_actors', 'remote_actors.id', 'remote_posts.actor_id')
    .innerJoin('remote_follows', (join) =>
      join.onRef('remote_follows.actor_id', '=', 'remote_posts.actor_id').on('remote_follows.user_id', '=', userId),
    )
    .select([
      'remote_posts.id',
      'remote_posts.url',
      'remote_posts.text',
      'remote_posts.content_warning',
      'remote_posts.published_at',
      'remote_actors.handle',
      'remote_actors.name',
      'remote_actors.url as actor_url',
    ])
    .orderBy('remote_posts.published_at', 'desc')
    .orderBy('remote_posts.id', 'desc')
    .limit(limit)
    .execute();
}
export type TimelinePost = Awaited<ReturnType<typeof remoteTimeline>>[number];

/** Published chapters of visible stories: what an author's Notes are made of. */
const publicChapters = (db: Db) =>
  db
    .selectFrom('chapters')
    .innerJoin('stories', 'stories.id', 'chapters.story_id')
    .select([
      'chapters.id',
      'chapters.title',
      'chapters.position',
      'chapters.published_at',
      'stories.id as story_id',
      'stories.slug',
      'stories.title as story_title',
      'stories.summary',
      'stories.rating',
      'stories.language',
      'stories.author_id',
    ])
    .where('chapters.published_at', 'is not', null)
    .where('stories.published_at', 'is not', null)
    .where('stories.hidden_at', 'is', null);

export async function publicChapter(db: Db, chapterId: number) {
  return publicChapters(db).where('chapters.id', '=', chapterId).executeTakeFirst();
}
export type PublicChapter = NonNullable<Awaited<ReturnType<typeof publicChapter>>>;

/** An author's newest public chapters, for their outbox. */
export async function newestChaptersBy(db: Db, authorId: number, limit: number): Promise<PublicChapter[]> {
  return publicChapters(db)
    .where('stories.author_id', '=', authorId)
    .orderBy('chapters.published_at', 'desc')
    .orderBy('chapters.id', 'desc')
    .limit(limit)
    .execute();
}

export async function publicChapterCount(db: Db, authorId: number): Promise<number> {
  const row = await publicChapters(db)
    .clearSelect()
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('stories.author_id', '=', authorId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
