import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../app.ts';
import type { Config } from '../config.ts';
import { createContext } from '../context.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { AppError } from '../errors.ts';
import { findUserByUsername } from '../features/accounts/accounts.repository.ts';
import { PasswordSchema, RoleSchema, UsernameSchema } from '../features/accounts/accounts.schema.ts';
import { signUp } from '../features/accounts/accounts.service.ts';
import { sweepExpiredSessions } from '../features/accounts/sessions.ts';
import { importStoryPage } from '../features/import/import.service.ts';
import { storyPath } from '../web/paths.ts';
import { type Args, stringOption } from './args.ts';

export class UsageError extends Error {}

/** How long in-flight requests get to finish after SIGTERM before their connections are cut. */
export const SHUTDOWN_GRACE_MS = 10_000;

export type Io = { out(line: string): void; readStdin(): Promise<string> };

export async function serve(config: Config, io: Io) {
  const ctx = await createContext(config);
  const app = await buildApp(ctx, { logger: true });
  const stopSweeping = sweepExpiredSessions(ctx, undefined, (error) => app.log.error(error));
  await app.listen({ port: config.port, host: config.host });
  const { port } = app.server.address() as AddressInfo;
  const host = ['0.0.0.0', '127.0.0.1', '::', '::1'].includes(config.host) ? 'localhost' : config.host;
  io.out(`Golden Oak is serving at http://${host}:${port}`);
  // Stop accepting, close idle keep-alive connections at once (fastify's default), let in-flight
  // requests finish, then close the database. Connections still open after the grace period (a
  // stalled upload, a client that never finishes its request) are cut, so shutdown is bounded.
  const stop = async (signal: string) => {
    app.log.info(`${signal}: shutting down`);
    stopSweeping();
    const cut = setTimeout(() => app.server.closeAllConnections(), SHUTDOWN_GRACE_MS);
    const abandon = setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS + 5000);
    abandon.unref();
    await app.close();
    clearTimeout(cut);
    await ctx.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

export async function migrate(config: Config, io: Io) {
  const ctx = await createContext(config, { migrate: false });
  try {
    const applied = await migrateToLatest(ctx.db, ctx.dialect);
    io.out(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
  } finally {
    await ctx.close();
  }
}

export async function userCreate(config: Config, args: Args, io: Io) {
  const username = UsernameSchema.safeParse(args.positionals[2] ?? '');
  if (!username.success) throw new UsageError(`oak user create NAME: ${username.error.issues[0]?.message}`);
  const role = RoleSchema.safeParse(stringOption(args, 'role') ?? 'user');
  if (!role.success) throw new UsageError('--role must be user, moderator or admin.');
  // The password comes from stdin so it never appears in the shell history or process list.
  const password = PasswordSchema.safeParse((await io.readStdin()).replace(/\r?\n$/, ''));
  if (!password.success) throw new UsageError(`Password (read from stdin): ${password.error.issues[0]?.message}`);
  const ctx = await createContext(config);
  try {
    const user = await signUp(
      ctx,
      { username: username.data, display_name: stringOption(args, 'display-name') ?? '', password: password.data },
      role.data,
    );
    io.out(`Created ${user.role} ${user.username} (id ${user.id}).`);
  } finally {
    await ctx.close();
  }
}

export async function importFile(config: Config, args: Args, io: Io) {
  const file = args.positionals[1];
  if (!file) throw new UsageError('oak import FILE [--title T] [--author NAME] [--publish]');
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch {
    throw new UsageError(`Cannot read ${file}.`);
  }
  const ctx = await createContext(config);
  try {
    const authorName = stringOption(args, 'author');
    const author = authorName
      ? await findUserByUsername(ctx.db, authorName)
      : await ctx.db.selectFrom('users').selectAll().where('role', '=', 'admin').orderBy('id').executeTakeFirst();
    if (!author) {
      throw new UsageError(
        authorName
          ? `No user named ${authorName}.`
          : 'No admin account yet: create one with `oak user create NAME --role admin`, or pass --author.',
      );
    }
    const title = stringOption(args, 'title');
    const id = await importStoryPage(ctx, author.id, bytes, { title, filename: file, publish: args.options.publish === true });
    io.out(`Imported as ${args.options.publish === true ? 'a published story' : 'a draft'} by ${author.username}.`);
    io.out(storyPath(id));
  } catch (error) {
    if (error instanceof AppError) throw new UsageError(error.message);
    throw error;
  } finally {
    await ctx.close();
  }
}
