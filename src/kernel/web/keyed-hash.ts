import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A secret derived from the archive's own (SESSION_SECRET) for one purpose and message: feed tokens,
 * mail links, guests' kudos marks. Nothing is stored; changing the message (a new password, a
 * deleted search) revokes it.
 */
export const keyedHash = (secret: string, purpose: string, message: string) =>
  createHmac('sha256', secret).update(`${purpose}:${message}`).digest('base64url').slice(0, 32);

/** Compares a token someone sent with the expected one in constant time. */
export function sameToken(given: unknown, expected: string): boolean {
  const a = Buffer.from(typeof given === 'string' ? given : '');
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
