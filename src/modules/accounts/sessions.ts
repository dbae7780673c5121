import { createHash } from 'node:crypto';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import type { Context } from '../../kernel/context.ts';
import { record, write } from '../../kernel/events/events.ts';
import { every } from '../../kernel/timers.ts';
import type { Viewer } from '../../kernel/web/viewer.ts';
import * as accounts from './accounts.repository.ts';

export const SESSION_COOKIE = 'oak_session';
/** A session ends after this many days unused; every use (at most once a day) moves the end back. */
export const SESSION_DAYS = 30;
/** However much it is used, a session ends this long after log-in. */
const MAX_SESSION_DAYS = 365;
const DAY = 24 * 60 * 60 * 1000;

/** Only the SHA-256 of a session token is stored; the token itself lives in the cookie alone. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

type SessionRow = NonNullable<Awaited<ReturnType<typeof accounts.findSessionUser>>>;

/**
 * Sessions this process has looked up, by token hash, so a signed-in page costs no query. Each entry
 * holds the 'sessions' version it was read at: any log-out, password or profile change, role change
 * or renewal, in any process, moves that version and empties the cache in effect. One per context.
 */
const CACHED_SESSIONS = 10_000;
const cachesOf = new WeakMap<Context, Map<string, { version: string; row: SessionRow }>>();

function cacheOf(ctx: Context) {
  let entries = cachesOf.get(ctx);
  if (!entries) {
    entries = new Map();
    cachesOf.set(ctx, entries);
  }
  return entries;
}

function cachedSession(ctx: Context, hash: string, version: string, now: number): SessionRow | undefined {
  const entry = cacheOf(ctx).get(hash);
  return entry && entry.version === version && entry.row.expires_at > now ? entry.row : undefined;
}

function cacheSession(ctx: Context, hash: string, version: string, row: SessionRow) {
  const entries = cacheOf(ctx);
  entries.delete(hash);
  entries.set(hash, { version, row });
  if (entries.size > CACHED_SESSIONS) entries.delete(entries.keys().next().value as string);
}

export async function startSession(ctx: Context, userId: number, userAgent: string): Promise<string> {
  const bytes = crypto.getRandomValues(new Uint8Array(20));
  const token = encodeBase32LowerCaseNoPadding(bytes);
  const now = ctx.clock.now();
  await accounts.insertSession(ctx.db, {
    token_hash: tokenHash(token),
    user_id: userId,
    user_agent: userAgent.slice(0, 300),
    created_at: now,
    expires_at: now + SESSION_DAYS * DAY,
  });
  return token;
}

/** The viewer a session cookie stands for; `renewed` when its idle expiry just moved (the cookie should too). */
export async function resumeSession(ctx: Context, token: string | undefined): Promise<{ viewer: Viewer; renewed: boolean } | null> {
  if (!token || !/^[a-z2-7]{32}$/.test(token)) return null;
  const hash = tokenHash(token);
  const now = ctx.clock.now();
  const version = ctx.changes.version('sessions');
  let row = cachedSession(ctx, hash, version, now);
  if (!row) {
    row = await accounts.findSessionUser(ctx.db, hash, now);
    if (!row) return null;
    cacheSession(ctx, hash, version, row);
  }
  const viewer: Viewer = {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    preferences: row.reading_preferences,
    // SQLite answers 1 or 0, PostgreSQL true or false.
    muting: Boolean(row.muting),
    defaultFilter: row.default_filter,
    suspendedUntil: row.suspended_until,
  };
  // Sliding expiry, written at most once a day per session so reading costs no write.
  const renewTo = Math.min(now + SESSION_DAYS * DAY, row.created_at + MAX_SESSION_DAYS * DAY);
  if (renewTo - row.expires_at < DAY) return { viewer, renewed: false };
  await write(ctx, (trx) => {
    record(trx, { type: 'accountChanged', userId: row.id });
    return accounts.renewSession(trx, hash, renewTo);
  });
  return { viewer, renewed: true };
}

export async function endSession(ctx: Context, token: string | undefined): Promise<void> {
  if (!token) return;
  await write(ctx, async (trx) => {
    const ended = await accounts.deleteSession(trx, tokenHash(token));
    if (ended !== null) record(trx, { type: 'accountChanged', userId: ended });
  });
}

/** Expired sessions are refused on sight; this clears them out of the table. */
export async function clearExpiredSessions(ctx: Context): Promise<void> {
  await accounts.deleteExpiredSessions(ctx.db, ctx.clock.now());
}

/** Clears expired sessions now and then every `intervalMs`; returns a stop function. */
export function sweepExpiredSessions(ctx: Context, intervalMs = 60 * 60 * 1000, onError: (error: unknown) => void = () => {}) {
  return every(intervalMs, () => clearExpiredSessions(ctx), onError);
}
