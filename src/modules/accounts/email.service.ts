import type { Context } from '../../kernel/context.ts';
import type { User } from '../../kernel/db/schema.ts';
import { AppError, notFound } from '../../kernel/errors.ts';
import { record, write } from '../../kernel/events/events.ts';
import { enqueue } from '../../kernel/jobs/jobs.ts';
import { siteUrl } from '../../kernel/mail/mail.ts';
import { keyedHash, sameToken } from '../../kernel/web/keyed-hash.ts';
import type { Viewer } from '../../kernel/web/viewer.ts';
import * as accounts from './accounts.repository.ts';
import type { PasswordResetInput } from './accounts.schema.ts';
import { hashPassword } from './passwords.ts';

const HOUR = 60 * 60 * 1000;
const VERIFY_HOURS = 48;
const RESET_HOURS = 2;

/** Mail features exist only when the archive can send mail (SMTP_URL). */
export function requireMail(ctx: Context) {
  if (!ctx.mailer) throw notFound('Page');
}

export async function canReceiveMail(ctx: Context, userId: number): Promise<boolean> {
  if (!ctx.mailer) return false;
  const user = await accounts.findUserById(ctx.db, userId);
  return Boolean(user?.email && user.email_verified_at !== null);
}

/**
 * A link token `user.expiry.mac`: the mac covers what must not have changed since it was sent (the
 * address being verified; the password being replaced, so a reset link works once).
 */
const linkToken = (ctx: Context, purpose: string, userId: number, expires: number, bound: string) =>
  `${userId}.${expires}.${keyedHash(ctx.config.sessionSecret, purpose, `${userId}:${expires}:${bound}`)}`;

async function readLinkToken(ctx: Context, purpose: string, token: unknown, bound: (user: User) => string | null): Promise<User> {
  const [userId, expires, mac] = typeof token === 'string' ? token.split('.') : [];
  const expired = new AppError(400, 'That link has expired or was already used. Ask for a new one.');
  if (!userId || !expires || !mac || !/^\d{1,12}$/.test(userId) || !/^\d{1,15}$/.test(expires)) throw expired;
  const user = await accounts.findUserById(ctx.db, Number(userId));
  const message = user ? bound(user) : null;
  if (!user || message === null || Number(expires) < ctx.clock.now()) throw expired;
  if (!sameToken(mac, keyedHash(ctx.config.sessionSecret, purpose, `${userId}:${expires}:${message}`))) throw expired;
  return user;
}

/** Sets or removes the account's address; a new one is unverified until its link is followed. */
export async function changeEmail(ctx: Context, viewer: Viewer, email: string) {
  requireMail(ctx);
  const now = ctx.clock.now();
  const user = await accounts.findUserById(ctx.db, viewer.id);
  if (!user) throw notFound('Account');
  if (email === (user.email ?? '')) return 'unchanged' as const;
  await ctx.db.transaction().execute(async (trx) => {
    await accounts.updateUser(trx, viewer.id, { email: email || null, email_verified_at: null });
    if (!email) return;
    const link = `${siteUrl(ctx.config)}/settings/email/verify?token=${linkToken(ctx, 'verify-email', user.id, now + VERIFY_HOURS * HOUR, email)}`;
    await enqueue(trx, now, 'mail.send', {
      to: email,
      subject: 'Confirm your e-mail address for Golden Oak',
      text: `Hello ${user.display_name},\n\nFollow this link to confirm that ${email} is yours:\n\n${link}\n\nIt works for ${VERIFY_HOURS} hours. If you did not ask for this, ignore this mail.`,
    });
  });
  return email ? ('sent' as const) : ('removed' as const);
}

export async function verifyEmail(ctx: Context, token: unknown) {
  requireMail(ctx);
  const user = await readLinkToken(ctx, 'verify-email', token, (u) => u.email);
  await accounts.updateUser(ctx.db, user.id, { email_verified_at: ctx.clock.now() });
  return user;
}

export async function emailSettings(ctx: Context, userId: number) {
  const user = await accounts.findUserById(ctx.db, userId);
  return { email: user?.email ?? '', verified: user?.email_verified_at !== null && user?.email_verified_at !== undefined };
}

/**
 * Mails a reset link to every account with this verified address, or to the account with this
 * username if it has one. The answer is the same whether or not any exists, so the form tells no
 * one who has an account.
 */
export async function requestPasswordReset(ctx: Context, login: string) {
  requireMail(ctx);
  const trimmed = login.trim();
  if (!trimmed) return;
  const byName = trimmed.includes('@') ? undefined : await accounts.findUserByUsername(ctx.db, trimmed);
  const users = byName ? [byName] : await accounts.usersWithEmail(ctx.db, trimmed);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    for (const user of users) {
      if (!user.email || user.email_verified_at === null) continue;
      const link = `${siteUrl(ctx.config)}/reset-password?token=${linkToken(ctx, 'reset-password', user.id, now + RESET_HOURS * HOUR, resetBinding(user))}`;
      await enqueue(trx, now, 'mail.send', {
        to: user.email,
        subject: 'Reset your Golden Oak password',
        text: `Hello ${user.display_name},\n\nSomeone asked to reset the password of your account “${user.username}”. To choose a new one, follow this link within ${RESET_HOURS} hours:\n\n${link}\n\nIf it was not you, ignore this mail: your password stays as it is.`,
      });
    }
  });
}

/**
 * What a reset link is bound to: the password it replaces (used once, it is gone) and the address it
 * was sent to (a link mailed to an address the account has since changed or lost ends with it).
 */
const resetBinding = (user: { password_hash: string; email: string | null; email_verified_at: number | null }) =>
  `${user.password_hash}:${user.email ?? ''}:${user.email_verified_at ?? ''}`;

/** Checks a reset link without using it (the form page). */
export const checkResetToken = (ctx: Context, token: unknown) => readLinkToken(ctx, 'reset-password', token, resetBinding);

/** Sets the new password and ends every session; the link cannot be used again (the password it was bound to is gone). */
export async function resetPasswordByLink(ctx: Context, input: PasswordResetInput) {
  requireMail(ctx);
  const user = await checkResetToken(ctx, input.token);
  const passwordHash = await hashPassword(input.password);
  await write(ctx, async (trx) => {
    record(trx, { type: 'accountChanged', userId: user.id });
    await accounts.updateUser(trx, user.id, { password_hash: passwordHash });
    await accounts.deleteOtherSessions(trx, user.id, '', ctx.clock.now());
  });
  return user;
}
