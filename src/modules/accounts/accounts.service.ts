import type { Context } from '../../kernel/context.ts';
import { isUniqueViolation } from '../../kernel/db/errors.ts';
import type { Db, Role, User } from '../../kernel/db/schema.ts';
import { AppError, badRequest } from '../../kernel/errors.ts';
import { record, write } from '../../kernel/events/events.ts';
import { nameSkeleton } from '../../kernel/text/names.ts';
import type { Viewer } from '../../kernel/web/viewer.ts';
import { audit } from '../audit/audit.service.ts';
import { storyIdsByAuthor } from '../stories/stories.service.ts';
import * as accounts from './accounts.repository.ts';
import type { PasswordChangeInput, ProfileInput, SignUpInput } from './accounts.schema.ts';
import { decoyHash, hashPassword, verifyPassword } from './passwords.ts';
import { tokenHash } from './sessions.ts';

export {
  claimOnce,
  countAdmins,
  findUserById,
  findUserByUsername,
  isClaimed,
  renameUser,
  updateUser,
  userIdForOldName,
} from './accounts.repository.ts';

const TAKEN = 'That username is taken.';
const LOOKALIKE_USERNAME = 'That username looks too much like another account’s name.';
const LOOKALIKE_DISPLAY = 'That display name looks too much like another account’s name.';
const RESERVED = 'That name belongs to the archive itself.';

/** The archive's own names, compared as skeletons without punctuation: orphan_account, Orphan-Acc0unt… */
const reservedKey = (name: string) => nameSkeleton(name).replace(/[-_.]/g, '');
const RESERVED_KEYS = new Set(['orphan_account'].map(reservedKey));

/** Refuses names that would pass for another account's username or display name, or for the archive's own. */
export async function refuseLookalikes(db: Db, names: { username?: string; displayName?: string }, exceptUserId?: number) {
  if (names.username !== undefined && RESERVED_KEYS.has(reservedKey(names.username))) throw badRequest(RESERVED, { username: RESERVED });
  if (names.displayName !== undefined && RESERVED_KEYS.has(reservedKey(names.displayName))) {
    throw badRequest(RESERVED, { display_name: RESERVED });
  }
  const skeletons = {
    username: names.username ? nameSkeleton(names.username) : null,
    display: names.displayName !== undefined ? nameSkeleton(names.displayName) : null,
  };
  const found = await accounts.findLookalike(
    db,
    [skeletons.username, skeletons.display].filter((s) => s !== null),
    exceptUserId,
  );
  if (!found) return skeletons.display ?? '';
  const usernameClash = skeletons.username !== null && [found.username_skeleton, found.display_name_skeleton].includes(skeletons.username);
  throw usernameClash
    ? badRequest(LOOKALIKE_USERNAME, { username: LOOKALIKE_USERNAME })
    : badRequest(LOOKALIKE_DISPLAY, { display_name: LOOKALIKE_DISPLAY });
}

/** Creates an account. The first account on an empty archive becomes its admin, even when sign-ups race. */
export async function signUp(ctx: Context, input: Pick<SignUpInput, 'username' | 'display_name' | 'password'>, role?: Role) {
  const passwordHash = await hashPassword(input.password);
  const displayName = input.display_name || input.username;
  try {
    // 'lists': an empty archive's home page says whether anyone has signed up yet.
    return await write(ctx, async (trx) => {
      if ((await accounts.findUserByUsername(trx, input.username)) || (await accounts.userIdForOldName(trx, input.username)) !== null)
        throw badRequest(TAKEN, { username: TAKEN });
      const displaySkeleton = await refuseLookalikes(trx, { username: input.username, displayName });
      const now = ctx.clock.now();
      // The claim's unique row decides between simultaneous first sign-ups; the count alone cannot.
      const first = role === undefined && (await accounts.countUsers(trx)) === 0 && (await accounts.claimOnce(trx, 'first-admin', now));
      const user = await accounts.insertUser(trx, {
        username: input.username,
        username_key: input.username.toLowerCase(),
        username_skeleton: nameSkeleton(input.username),
        display_name: displayName,
        display_name_skeleton: displaySkeleton,
        bio: '',
        role: role ?? (first ? 'admin' : 'user'),
        password_hash: passwordHash,
        created_at: now,
      });
      record(trx, { type: 'accountCreated', userId: user.id });
      return user;
    });
  } catch (error) {
    // Two sign-ups for one name at the same moment: the database's unique key decides.
    if (isUniqueViolation(error)) throw badRequest(TAKEN, { username: TAKEN });
    throw error;
  }
}

/** The signed-in person's password, asked again before something a stolen session must not do. */
export async function confirmPassword(ctx: Context, viewer: Viewer, password: string): Promise<User> {
  const user = await accounts.findUserById(ctx.db, viewer.id);
  if (!user || !(await verifyPassword(user.password_hash, password))) {
    const wrong = 'That is not your password.';
    throw badRequest(wrong, { password: wrong });
  }
  return user;
}

export async function logIn(ctx: Context, username: string, password: string): Promise<User> {
  const user = await accounts.findUserByUsername(ctx.db, username);
  const ok = await verifyPassword(user?.password_hash ?? (await decoyHash()), password);
  // The system account has no password; refused by name too, whatever its row holds.
  if (!user || !ok || user.system) throw badRequest('That username and password do not match an account.');
  return user;
}

export async function updateProfile(ctx: Context, viewer: Viewer, input: ProfileInput) {
  const [bio] = await ctx.renderer.render([{ source: input.bio, format: input.bio_format }]);
  await write(ctx, async (trx) => {
    const skeleton = await refuseLookalikes(trx, { displayName: input.display_name }, viewer.id);
    await accounts.updateUser(trx, viewer.id, {
      display_name: input.display_name,
      display_name_skeleton: skeleton,
      bio: input.bio,
      bio_format: input.bio_format,
      bio_html: bio?.html ?? '',
    });
    // The name shows on the author's page, every card, every page of their stories, and in search.
    record(trx, { type: 'authorRenamed', userId: viewer.id, storyIds: await storyIdsByAuthor(trx, viewer.id) });
  });
}

/** Changes the password after checking the current one, and signs out every other session. */
export async function changePassword(ctx: Context, viewer: Viewer, sessionToken: string, input: PasswordChangeInput) {
  const user = await accounts.findUserById(ctx.db, viewer.id);
  if (!user || !(await verifyPassword(user.password_hash, input.current_password))) {
    const wrong = 'That is not your current password.';
    throw badRequest(wrong, { current_password: wrong });
  }
  const passwordHash = await hashPassword(input.password);
  await write(ctx, async (trx) => {
    record(trx, { type: 'accountChanged', userId: viewer.id });
    await accounts.updateUser(trx, viewer.id, { password_hash: passwordHash });
    await accounts.deleteOtherSessions(trx, viewer.id, tokenHash(sessionToken), ctx.clock.now());
  });
}

/** An operator's reset (`oak user reset-password`): no current password, and every session ends. */
export async function resetPassword(ctx: Context, username: string, password: string) {
  const user = await requireUser(ctx, username);
  const passwordHash = await hashPassword(password);
  await write(ctx, async (trx) => {
    record(trx, { type: 'accountChanged', userId: user.id });
    await accounts.updateUser(trx, user.id, { password_hash: passwordHash });
    await accounts.deleteOtherSessions(trx, user.id, '', ctx.clock.now());
    await audit(trx, { actor_id: null, action: 'reset password', target_kind: 'user', target_id: user.id, detail: '' }, ctx.clock.now());
  });
  return user;
}

/** An operator's role change (`oak user set-role`); the header of signed-in pages shows the role's links. */
export async function setRole(ctx: Context, username: string, role: Role) {
  const user = await requireUser(ctx, username);
  await write(ctx, async (trx) => {
    record(trx, { type: 'accountChanged', userId: user.id });
    await accounts.updateUser(trx, user.id, { role });
    // Run at the command line: the operator, no account, is the actor.
    await audit(
      trx,
      { actor_id: null, action: 'set role', target_kind: 'user', target_id: user.id, detail: `${user.role} → ${role}` },
      ctx.clock.now(),
    );
  });
  return { ...user, role };
}

/** A person's account, for an operator's command: the system account is nobody's to reset or promote. */
async function requireUser(ctx: Context, username: string): Promise<User> {
  const user = await accounts.findUserByUsername(ctx.db, username);
  if (!user) throw new AppError(404, `There is no account named ${username}.`);
  if (user.system) throw new AppError(400, `${user.username} is the archive’s own account: nobody logs into it.`);
  return user;
}

export async function findUser(ctx: Context, username: string) {
  return accounts.findUserByUsername(ctx.db, username);
}

/** Who an import without --author is credited to. */
export async function firstAdmin(ctx: Context) {
  return accounts.findFirstAdmin(ctx.db);
}

export async function countAccounts(ctx: Context) {
  return accounts.countUsers(ctx.db);
}

/** Reading settings follow a signed-in reader to every device: the session lookup carries them. */
export async function saveReadingPreferences(ctx: Context, viewer: Viewer, serialized: string) {
  await write(ctx, (trx) => {
    record(trx, { type: 'accountChanged', userId: viewer.id });
    return accounts.updateUser(trx, viewer.id, { reading_preferences: serialized });
  });
}
