import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import type { Context } from '../../context.ts';
import * as accounts from './accounts.repository.ts';
import type { Viewer } from './viewer.ts';

export const SESSION_COOKIE = 'oak_session';
export const SESSION_DAYS = 30;
const DAY = 24 * 60 * 60 * 1000;

/** Only the SHA-256 of a session token is stored; the token itself lives in the cookie alone. */
export function tokenHash(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
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

export async function viewerForToken(ctx: Context, token: string | undefined): Promise<Viewer | null> {
  if (!token || !/^[a-z2-7]{32}$/.test(token)) return null;
  const row = await accounts.findSessionUser(ctx.db, tokenHash(token), ctx.clock.now());
  return row ? { id: row.id, username: row.username, displayName: row.display_name, role: row.role } : null;
}

export async function endSession(ctx: Context, token: string | undefined): Promise<void> {
  if (token) await accounts.deleteSession(ctx.db, tokenHash(token));
}

/** Expired sessions are refused on sight; this clears them out of the table (at server start). */
export async function clearExpiredSessions(ctx: Context): Promise<void> {
  await accounts.deleteExpiredSessions(ctx.db, ctx.clock.now());
}
