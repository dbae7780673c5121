import type { Context } from '../../context.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import type { Role, User } from '../../db/schema.ts';
import { badRequest } from '../../errors.ts';
import * as accounts from './accounts.repository.ts';
import type { PasswordChangeInput, ProfileInput, SignUpInput } from './accounts.schema.ts';
import { decoyHash, hashPassword, verifyPassword } from './passwords.ts';
import { tokenHash } from './sessions.ts';
import type { Viewer } from './viewer.ts';

const TAKEN = 'That username is taken.';

/** Creates an account. The first account on an empty archive becomes its admin. */
export async function signUp(ctx: Context, input: Pick<SignUpInput, 'username' | 'display_name' | 'password'>, role?: Role) {
  const passwordHash = await hashPassword(input.password);
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      if (await accounts.findUserByUsername(trx, input.username)) throw badRequest(TAKEN, { username: TAKEN });
      const first = (await accounts.countUsers(trx)) === 0;
      return accounts.insertUser(trx, {
        username: input.username,
        username_key: input.username.toLowerCase(),
        display_name: input.display_name || input.username,
        bio: '',
        role: role ?? (first ? 'admin' : 'user'),
        password_hash: passwordHash,
        created_at: ctx.clock.now(),
      });
    });
  } catch (error) {
    // Two sign-ups for one name at the same moment: the database's unique key decides.
    if (isUniqueViolation(error)) throw badRequest(TAKEN, { username: TAKEN });
    throw error;
  }
}

export async function logIn(ctx: Context, username: string, password: string): Promise<User> {
  const user = await accounts.findUserByUsername(ctx.db, username);
  const ok = await verifyPassword(user?.password_hash ?? (await decoyHash()), password);
  if (!user || !ok) throw badRequest('That username and password do not match an account.');
  return user;
}

export async function updateProfile(ctx: Context, viewer: Viewer, input: ProfileInput) {
  await accounts.updateUser(ctx.db, viewer.id, { display_name: input.display_name, bio: input.bio });
}

/** Changes the password after checking the current one, and signs out every other session. */
export async function changePassword(ctx: Context, viewer: Viewer, sessionToken: string, input: PasswordChangeInput) {
  const user = await accounts.findUserById(ctx.db, viewer.id);
  if (!user || !(await verifyPassword(user.password_hash, input.current_password))) {
    const wrong = 'That is not your current password.';
    throw badRequest(wrong, { current_password: wrong });
  }
  const passwordHash = await hashPassword(input.password);
  await ctx.db.transaction().execute(async (trx) => {
    await accounts.updateUser(trx, viewer.id, { password_hash: passwordHash });
    await accounts.deleteOtherSessions(trx, viewer.id, tokenHash(sessionToken));
  });
}

export async function findUser(ctx: Context, username: string) {
  return accounts.findUserByUsername(ctx.db, username);
}
