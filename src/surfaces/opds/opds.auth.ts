import type { FastifyRequest } from 'fastify';
import type { Context } from '../../kernel/context.ts';
import { AppError } from '../../kernel/errors.ts';
import { keyedHash, sameToken } from '../../kernel/web/keyed-hash.ts';
import type { Viewer } from '../../kernel/web/viewer.ts';
import { findUserById, findUserByUsername } from '../../modules/accounts/accounts.service.ts';

/**
 * Reader apps (KOReader, Moon+ Reader, Thorium, calibre) sign in to a catalog with HTTP Basic. The
 * password is a personal catalog token, never the account's password: derived from the archive's
 * secret and the account's password hash, so changing the password revokes it.
 */
export const catalogToken = (ctx: Context, user: { id: number; password_hash: string }) =>
  keyedHash(ctx.config.sessionSecret, 'opds', `${user.id}:${user.password_hash}`);

export async function catalogTokenFor(ctx: Context, viewer: Viewer) {
  const user = await findUserById(ctx.db, viewer.id);
  return user ? catalogToken(ctx, user) : '';
}

/** The account a Basic `Authorization` header names with its right token, or a 401 asking for one. */
export async function catalogReader(ctx: Context, request: FastifyRequest): Promise<Viewer> {
  const header = request.headers.authorization ?? '';
  const [scheme, encoded] = header.split(' ');
  if (scheme?.toLowerCase() === 'basic' && encoded && encoded.length < 400) {
    const decoded = Buffer.from(encoded, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const user = colon > 0 ? await findUserByUsername(ctx.db, decoded.slice(0, colon)) : undefined;
    if (user && sameToken(decoded.slice(colon + 1), catalogToken(ctx, user))) {
      return { id: user.id, username: user.username, displayName: user.display_name, role: user.role, muting: true };
    }
  }
  throw new AppError(401, 'Sign in with your username and the catalog token from your settings.');
}
