import type { Generated, Insertable, Kysely, Selectable, Updateable } from 'kysely';

/** Timestamps are epoch milliseconds and ids are integers in both dialects. */
export type Role = 'user' | 'moderator' | 'admin';
export type TextFormat = 'markdown' | 'bbcode' | 'text';
export type Rating = 'everyone' | 'teen' | 'mature' | 'explicit' | 'not_rated';
export type StoryStatus = 'incomplete' | 'complete' | 'hiatus' | 'cancelled';
export type TagType = 'warning' | 'category' | 'fandom' | 'relationship' | 'character' | 'genre' | 'freeform';

export interface UsersTable {
  id: Generated<number>;
  username: string;
  /** Lower-cased username: uniqueness and look-ups are case-insensitive. */
  username_key: string;
  display_name: string;
  /** Confusable skeletons (text/names.ts) of the username and display name, to refuse look-alikes. */
  username_skeleton: string;
  display_name_skeleton: string;
  bio: string;
  bio_format: Generated<TextFormat>;
  /** The bio rendered by src/text; '' for an empty bio. */
  bio_html: Generated<string>;
  /** A serialized reading-settings cookie; '' until the reader saves settings. */
  reading_preferences: Generated<string>;
  /** The query string of the filters this reader's lists start with; '' for none. */
  default_filter: Generated<string>;
  role: Role;
  password_hash: string;
  created_at: number;
  /** An address for mail, null for none; only a verified one is written to. */
  email: string | null;
  email_verified_at: number | null;
  /** Set while the account may not write (a moderator's suspension). */
  suspended_until: number | null;
  suspension_reason: Generated<string>;
  /** 1 for the archive's own account (orphan_account), which nobody can sign up as or log into. */
  system: Generated<number>;
}

export interface SessionsTable {
  id: Generated<number>;
  token_hash: string;
  user_id: number;
  user_agent: string;
  created_at: number;
  expires_at: number;
}

/** Columns with database defaults are Generated: inserts may leave them out. */
export interface StoriesTable {
  id: Generated<number>;
  author_id: number;
  title: string;
  slug: string;
  summary: Generated<string>;
  description_format: Generated<TextFormat>;
  description_source: Generated<string>;
  description_html: Generated<string>;
  cover_key: Generated<string | null>;
  cover_width: Generated<number | null>;
  cover_height: Generated<number | null>;
  cover_artist_name: Generated<string>;
  cover_artist_url: Generated<string>;
  cover_source_url: Generated<string>;
  /** For an import: who wrote it, as the source names them, and where it came from; '' otherwise. */
  original_author: Generated<string>;
  source_url: Generated<string>;
  rating: Rating;
  status: StoryStatus;
  /** A BCP 47 code from stories.schema's LANGUAGES. */
  language: Generated<string>;
  /** The title as lists sort it (text/sort-key.ts). */
  sort_title: Generated<string>;
  /** 1 when the author has closed the story to new comments. */
  comments_locked: Generated<number>;
  /** Cached from the kudos table. */
  kudos_count: Generated<number>;
  /** Cached from the published chapters by refreshStoryCounts. */
  word_count: Generated<number>;
  chapter_count: Generated<number>;
  created_at: number;
  updated_at: number;
  /** Set when the first chapter is published; null while the story is a draft. */
  published_at: number | null;
  /** Set when a moderator hid the story: only its author and moderators see it. */
  hidden_at: number | null;
  hidden_reason: Generated<string>;
  /** Views: readers per chapter per day, summed (modules/views). */
  view_count: Generated<number>;
}

export interface ChaptersTable {
  id: Generated<number>;
  story_id: number;
  position: number;
  title: string;
  format: TextFormat;
  body_source: string;
  body_html: string;
  note_before_source: string;
  note_before_html: string;
  note_after_source: string;
  note_after_html: string;
  word_count: number;
  created_at: number;
  updated_at: number;
  /** Null while the chapter is a draft. */
  published_at: number | null;
}

export interface TagsTable {
  id: Generated<number>;
  name: string;
  name_key: string;
  type: TagType;
  /** 1 for a tag wranglers have approved (and the fixed warnings, categories and genres): listed in forms and suggestions first. */
  canonical: Generated<number>;
  /** For a synonym: the canonical tag it stands for. */
  canonical_id: number | null;
  created_at: number;
}

export interface StoryTagsTable {
  story_id: number;
  tag_id: number;
}

export type TagLinkKind = 'fandom' | 'meta';

/** A character's or relationship's fandom, or a tag's broader metatag (same type, no cycles). */
export interface TagLinksTable {
  tag_id: number;
  parent_id: number;
  kind: TagLinkKind;
}

/** A story's filter set: its own tags, the canonical tags they stand for, and their metatags. */
export interface StoryFilterTagsTable {
  story_id: number;
  tag_id: number;
}

/** A large tag whose stories' filter sets a background job is recomputing, in story id order. */
export interface FilterRefreshQueueTable {
  tag_id: number;
  after_story_id: Generated<number>;
  queued_at: number;
}

export interface SavedSearchesTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  /** The search's address after `?`: `q=…` and the filters, normalised. */
  query: string;
  created_at: number;
}

/** A comment on a chapter; a reply has a parent, and every comment its thread's top comment id. */
export interface CommentsTable {
  id: Generated<number>;
  story_id: number;
  chapter_id: number;
  author_id: number;
  parent_id: number | null;
  thread_id: number;
  format: TextFormat;
  body_source: string;
  /** Rendered by src/text; '' once deleted. */
  body_html: string;
  created_at: number;
  edited_at: number | null;
  /** Set when deleted: the row stays, emptied, so replies keep their place. */
  deleted_at: number | null;
  /** Set when a moderator hid the comment: its writer and moderators still see it. */
  hidden_at: number | null;
  hidden_reason: Generated<string>;
}

/** Kudos on a story, from an account (user_id) or a guest (a keyed hash of their address). */
export interface KudosTable {
  story_id: number;
  user_id: number | null;
  guest_hash: string | null;
  created_at: number;
}

export type ShelfKind = 'read_later' | 'favourites' | 'custom';
export type ShelfVisibility = 'private' | 'unlisted' | 'public';

export interface ShelvesTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  kind: ShelfKind;
  visibility: ShelfVisibility;
  created_at: number;
}

export interface ShelfItemsTable {
  shelf_id: number;
  story_id: number;
  /** The reader's note on the story, '' for none (plain text). */
  note: Generated<string>;
  added_at: number;
}

export interface ArchiveClaimsTable {
  name: string;
  claimed_at: number;
}

/** A cover stored for a story form that failed, until the form is sent again (or a day passes). */
export interface PendingCoversTable {
  key: string;
  user_id: number;
  width: number;
  height: number;
  created_at: number;
}

export interface MutedTagsTable {
  user_id: number;
  pattern: string;
  like_pattern: string;
}

export interface MutedAuthorsTable {
  user_id: number;
  author_id: number;
}

/** A unit of background work (kernel/jobs); `payload` is JSON. */
export interface JobsTable {
  id: Generated<number>;
  kind: string;
  payload: string;
  unique_key: string | null;
  run_at: number;
  attempts: Generated<number>;
  max_attempts: number;
  locked_by: string | null;
  locked_until: number | null;
  last_error: string | null;
  dead_at: number | null;
  created_at: number;
}

export interface FollowsTable {
  follower_id: number;
  author_id: number;
  created_at: number;
}

export interface SubscriptionsTable {
  user_id: number;
  story_id: number;
  created_at: number;
}

export interface BlocksTable {
  blocker_id: number;
  blocked_id: number;
  created_at: number;
}

export type NotificationKind = 'new_chapter' | 'new_story' | 'comment' | 'reply' | 'kudos' | 'follower';
/** Off; on the notifications page; there and by mail at once; there and in a daily mail. */
export type NotificationMode = 'off' | 'site' | 'email' | 'digest';

export interface NotificationsTable {
  id: Generated<number>;
  user_id: number;
  kind: NotificationKind;
  actor_id: number | null;
  story_id: number | null;
  chapter_id: number | null;
  comment_id: number | null;
  created_at: number;
  read_at: number | null;
  /** 'now' or 'digest' while a mail about it is due; null otherwise. */
  mail: 'now' | 'digest' | null;
  /** While a run is sending that mail: until when it holds it (after a crash, another sends it). */
  mail_claimed_until: number | null;
}

export interface NotificationPrefsTable {
  user_id: number;
  kind: NotificationKind;
  mode: NotificationMode;
}

/** A reader's place in a story: the chapter, and how far into it in thousandths. */
export interface ReadingProgressTable {
  user_id: number;
  story_id: number;
  chapter_id: number;
  position: Generated<number>;
  updated_at: number;
}

export interface ReadMarksTable {
  user_id: number;
  chapter_id: number;
  story_id: number;
  read_at: number;
}

export type ReportKind = 'story' | 'chapter' | 'comment' | 'user';

export interface ReportsTable {
  id: Generated<number>;
  reporter_id: number | null;
  target_kind: ReportKind;
  target_id: number;
  target_user_id: number | null;
  /** What the reported thing said when it was reported. */
  snapshot: string;
  reason: string;
  created_at: number;
  resolved_at: number | null;
  resolved_by: number | null;
  resolution: Generated<string>;
}

export interface AuditLogTable {
  id: Generated<number>;
  /** Null for the operator at the command line. */
  actor_id: number | null;
  action: string;
  target_kind: string;
  target_id: number | null;
  detail: string;
  created_at: number;
}

export interface ViewMarksTable {
  day: number;
  hash: string;
}

export interface ChapterViewsTable {
  chapter_id: number;
  day: number;
  views: number;
}

export interface SeriesTable {
  id: Generated<number>;
  owner_id: number;
  title: string;
  description: Generated<string>;
  created_at: number;
}

export interface SeriesPartsTable {
  series_id: number;
  story_id: number;
  /** 1 is the first part; numbered in the application, like chapters. */
  position: number;
}

/** An account invited to co-author a story; it may edit the story once `accepted_at` is set. */
export interface StoryAuthorsTable {
  story_id: number;
  user_id: number;
  invited_at: number;
  accepted_at: number | null;
}

export interface OldUsernamesTable {
  username_key: string;
  user_id: number;
  changed_at: number;
}

/** A download of everything an account holds, built by a job; `file_key` is set when it is ready. */
export interface AccountExportsTable {
  id: Generated<number>;
  user_id: number;
  file_key: string | null;
  bytes: number | null;
  created_at: number;
  ready_at: number | null;
  expires_at: number;
}

export type ApiScope = 'read' | 'write';

/** Fedify's caches and idempotence keys: the key is the JSON of Fedify's key array. */
export interface FederationKvTable {
  key: string;
  value: string;
  expires_at: number | null;
}

/** An account's ActivityPub signing keys (RSA and Ed25519), as JSON of JWK pairs. */
export interface ActorKeysTable {
  user_id: number;
  key_pairs: string;
  created_at: number;
}

/** An actor on another server: someone following our authors, or an author our readers follow. */
export interface RemoteActorsTable {
  id: Generated<number>;
  uri: string;
  inbox: string;
  shared_inbox: string | null;
  /** `name@host`, as people write it. */
  handle: string;
  name: string;
  /** Their profile page, when they have one. */
  url: string | null;
  updated_at: number;
}

/** A remote actor following one of our accounts. */
export interface RemoteFollowersTable {
  user_id: number;
  actor_id: number;
  created_at: number;
}

/** One of our readers following a remote actor: pending until their server accepts. */
export interface RemoteFollowsTable {
  user_id: number;
  actor_id: number;
  /** The id of our Follow activity, which their Accept names. */
  activity_uri: string;
  accepted_at: number | null;
  created_at: number;
}

/** A post a followed remote actor sent us, kept as plain text. */
export interface RemotePostsTable {
  id: Generated<number>;
  actor_id: number;
  uri: string;
  url: string | null;
  text: string;
  content_warning: string;
  published_at: number;
  received_at: number;
}

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  /** SHA-256 of the token; the token itself is shown once, when made. */
  token_hash: string;
  /** Space-separated ApiScope values. */
  scopes: string;
  created_at: number;
  expires_at: number | null;
  last_used_at: number | null;
  revoked_at: number | null;
}

/**
 * What the search index was given for each chapter, as a digest of its tokens: `oak check` recomputes
 * them from the source and reports where the index no longer matches (a write that forgot it).
 */
export interface ChapterSearchDigestsTable {
  chapter_id: number;
  story_id: number;
  digest: string;
}

export interface Database {
  api_tokens: ApiTokensTable;
  chapter_search_digests: ChapterSearchDigestsTable;
  federation_kv: FederationKvTable;
  actor_keys: ActorKeysTable;
  remote_actors: RemoteActorsTable;
  remote_followers: RemoteFollowersTable;
  remote_follows: RemoteFollowsTable;
  remote_posts: RemotePostsTable;
  old_usernames: OldUsernamesTable;
  account_exports: AccountExportsTable;
  series: SeriesTable;
  series_parts: SeriesPartsTable;
  story_authors: StoryAuthorsTable;
  view_marks: ViewMarksTable;
  chapter_views: ChapterViewsTable;
  reports: ReportsTable;
  audit_log: AuditLogTable;
  reading_progress: ReadingProgressTable;
  read_marks: ReadMarksTable;
  follows: FollowsTable;
  subscriptions: SubscriptionsTable;
  blocks: BlocksTable;
  notifications: NotificationsTable;
  notification_prefs: NotificationPrefsTable;
  jobs: JobsTable;
  archive_claims: ArchiveClaimsTable;
  muted_tags: MutedTagsTable;
  muted_authors: MutedAuthorsTable;
  pending_covers: PendingCoversTable;
  users: UsersTable;
  sessions: SessionsTable;
  stories: StoriesTable;
  chapters: ChaptersTable;
  tags: TagsTable;
  story_tags: StoryTagsTable;
  story_filter_tags: StoryFilterTagsTable;
  tag_links: TagLinksTable;
  filter_refresh_queue: FilterRefreshQueueTable;
  saved_searches: SavedSearchesTable;
  comments: CommentsTable;
  kudos: KudosTable;
  shelves: ShelvesTable;
  shelf_items: ShelfItemsTable;
}

export type Db = Kysely<Database>;
export type Dialect = 'sqlite' | 'postgres';

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type Story = Selectable<StoriesTable>;
export type NewStory = Insertable<StoriesTable>;
export type StoryUpdate = Updateable<StoriesTable>;
export type Chapter = Selectable<ChaptersTable>;
export type NewChapter = Insertable<ChaptersTable>;
export type ChapterUpdate = Updateable<ChaptersTable>;
export type Tag = Selectable<TagsTable>;
