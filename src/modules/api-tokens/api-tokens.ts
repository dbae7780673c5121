import { randomBytes } from 'node:crypto';
import type { Context } from '../../kernel/context.ts';
import type { ApiScope, Db } from '../../kernel/db/schema.ts';
import { AppError, notFound } from '../../kernel/errors.ts';
import type { Viewer } from '../../kernel/web/viewer.ts';
import { tokenHash } from '../accounts/sessions.ts';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
export const MAX_TOKENS = 20;

/** What a token proves: whose it is and what it may do. */
export type TokenHolder = { viewer: Viewer; scopes: ApiScope[] };

/** Makes a token; the token itself is returned once and only its hash is kept. */
export async function createToken(ctx: Context, viewer: Viewer, input: { name: string; scopes: ApiScope[]; days: number | null }) {
  const count = await ctx.db
    .selectFrom('api_tokens')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', viewer.id)
    .where('revoked_at', 'is', null)
    .executeTakeFirstOrThrow();
  if (Number(count.n) >= MAX_TOKENS) throw new AppError(400, `You can keep ${MAX_TOKENS} tokens; revoke one first.`);
  const token = `oak_${randomBytes(24).toString('base64url')}`;
  const now = ctx.clock.now();
  await ctx.db
    .insertInto('api_tokens')
    .values({
      user_id: viewer.id,
      name: input.name,
      token_hash: tokenHash(token),
      scopes: input.scopes.join(' '),
      created_at: now,
      expires_at: input.days ? now + input.days * DAY : null,
      last_used_at: null,
      revoked_at: null,
    })
    .execute();
  return token;
}

export function tokensOf(db: Db, userId: number) {
  return db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'scopes', 'created_at', 'expires_at', 'last_used_at', 'revoked_at'])
    .where('user_id', '=', userId)
    .orderBy('id', 'desc')
    .execute();
}

export async function revokeToken(ctx: Context, viewer: Viewer, id: number) {
  const result = await ctx.db
    .updateTable('api_tokens')
    .set({ revoked_at: ctx.clock.now() })
    .where('id', '=', id)
    .where('user_id', '=', viewer.id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw notFound('Token');
}

/** The holder of a bearer token, or null for a wrong, expired or revoked one. */
export async function tokenHolder(ctx: Context, token: string): Promise<TokenHolder | null> {
  if (!/^oak_[A-Za-z0-9_-]{32}$/.test(token)) return null;
  const now = ctx.clock.now();
  const row = await ctx.db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select([
      'api_tokens.id',
      'api_tokens.scopes',
      'api_tokens.expires_at',
      'api_tokens.revoked_at',
      'api_tokens.last_used_at',
      'users.id as user_id',
      'users.username',
      'users.display_name',
      'users.role',
      'users.suspended_until',
    ])
    .where('api_tokens.token_hash', '=', tokenHash(token))
    .executeTakeFirst();
  if (!row || row.revoked_at !== null || (row.expires_at !== null && row.expires_at <= now)) return null;
  // "Last used" is shown by the day: written at most once an hour, not on every request.
  if (row.last_used_at === null || now - row.last_used_at > HOUR) {
    await ctx.db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', row.id).execute();
  }
  return {
    viewer: {
      id: row.user_id,
      username: row.username,
      displayName: row.display_name,
      role: row.role,
      suspendedUntil: row.suspended_until,
      muting: true,
    },
    scopes: row.scopes.split(' ') as ApiScope[],
  };
}
