import { existsSync, readdirSync, statSync } from 'node:fs';
import { copyFile, readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { buildApp } from '../../app.ts';
import { createContext } from '../../archive.ts';
import { HANDLERS } from '../../job-handlers.ts';
import type { Config } from '../../kernel/config.ts';
import type { Context } from '../../kernel/context.ts';
import { migrateToLatest } from '../../kernel/db/migrate.ts';
import type { Role } from '../../kernel/db/schema.ts';
import { kindOf } from '../../kernel/db/snapshot.ts';
import { AppError } from '../../kernel/errors.ts';
import { countJobs, deadJobs, retryDeadJob } from '../../kernel/jobs/jobs.repository.ts';
import { createWorker, type JobHandlers } from '../../kernel/jobs/jobs.worker.ts';
import { textLogStream } from '../../kernel/log-format.ts';
import { every } from '../../kernel/timers.ts';
import { storyPath } from '../../kernel/web/paths.ts';
import { sweepExports } from '../../modules/account-data/account-data.service.ts';
import { PasswordSchema, RoleSchema, USERNAME_RULE, UsernameSchema } from '../../modules/accounts/accounts.schema.ts';
import { findUser, firstAdmin, resetPassword, setRole, signUp } from '../../modules/accounts/accounts.service.ts';
import { sweepExpiredSessions } from '../../modules/accounts/sessions.ts';
import { buildDownload, isFormat } from '../../modules/export/export.service.ts';
import { storyHead } from '../../modules/export/story-document.ts';
import { generate } from '../../modules/generate/generate.ts';
import { importArchive } from '../../modules/import/fimfarchive.ts';
import { importFile as importStoryFile } from '../../modules/import/import.service.ts';
import { BackupError, backup, restore } from '../../modules/operations/backup.ts';
import { checkArchive, driftTable } from '../../modules/operations/check.ts';
import { MigrationCopyError, migrateToPostgres } from '../../modules/operations/migrate-to-postgres.ts';
import { sweepPendingCovers } from '../../modules/stories/stories.service.ts';
import { flushViews } from '../../modules/views/views.counter.ts';
import { drainRefileQueue } from '../../modules/wrangling/wrangling.service.ts';
import { type Args, stringOption, UsageError } from './args.ts';

export type Io = { out(line: string): void; readStdin(prompt: string): Promise<string> };

export async function serve(config: Config, args: Args, io: Io) {
  noMorePositionals(args, 0, 'oak serve');
  const ctx = await createContext(config);
  const logStream = config.logFormat === 'text' ? textLogStream(process.stdout) : undefined;
  const app = await buildApp(ctx, { logger: true, logStream });
  const stopSweeping = sweepExpiredSessions(ctx, undefined, (error) => app.log.error(error));
  const stopCoverSweep = every(
    HOUR,
    () => Promise.all([sweepPendingCovers(ctx), sweepExports(ctx)]),
    (error) => app.log.error(error),
  );
  // Large tags' stories are refiled a batch at a time after wrangling changes them.
  const stopRefiling = every(
    5000,
    () => drainRefileQueue(ctx),
    (error) => app.log.error(error),
  );
  const stopViews = every(
    5000,
    () => flushViews(ctx),
    (error) => app.log.error(error),
  );
  // Background jobs (mail, notification fan-out) run in this process too; `oak worker` adds more.
  const stopWorker = startJobs(ctx, (error) => app.log.error(error));
  await app.listen({ port: config.port, host: config.host });
  const { port } = app.server.address() as AddressInfo;
  const host = ['0.0.0.0', '127.0.0.1', '::', '::1'].includes(config.host) ? 'localhost' : config.host;
  const database = config.databaseUrl ? `PostgreSQL at ${new URL(config.databaseUrl).host}` : `SQLite in ${config.dataDir}`;
  io.out(`Golden Oak is serving at http://${host}:${port} (${database}; Ctrl-C stops it)`);
  // Stop accepting, close idle keep-alive connections at once (fastify's default), let in-flight
  // requests finish, then close the database. Connections still open after the grace period (a
  // stalled upload, a client that never finishes its request) are cut, so shutdown is bounded.
  const stop = async (signal: string) => {
    app.log.info(`${signal}: shutting down`);
    stopSweeping();
    stopCoverSweep();
    stopRefiling();
    stopViews();
    await stopWorker();
    const cut = setTimeout(() => app.server.closeAllConnections(), config.shutdownGraceMs);
    const abandon = setTimeout(() => process.exit(1), config.shutdownGraceMs + 5000);
    abandon.unref();
    await app.close();
    clearTimeout(cut);
    await ctx.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

const HOUR = 60 * 60 * 1000;
/** How often an idle worker looks for due jobs. */
const JOB_POLL_MS = 1000;

/** Starts a worker on the job queue; returns its stop function. */
function startJobs(ctx: Context, onError: (error: unknown) => void) {
  return createWorker(ctx, HANDLERS as JobHandlers).start(JOB_POLL_MS, onError);
}

/** `oak worker`: runs background jobs only, beside one or more `oak serve` processes on the same database. */
export async function worker(config: Config, args: Args, io: Io) {
  noMorePositionals(args, 0, 'oak worker');
  const ctx = await createContext(config);
  const stop = startJobs(ctx, (error) => io.out(`job failed: ${error instanceof Error ? error.message : String(error)}`));
  io.out('Golden Oak worker is running background jobs (Ctrl-C stops it)');
  const finish = async () => {
    await stop();
    await ctx.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void finish());
  process.once('SIGINT', () => void finish());
}

/** `oak jobs`: how many jobs wait, the dead ones with their last error, and `--retry ID` to queue one again. */
export async function jobsCommand(config: Config, args: Args, io: Io) {
  const usage = 'oak jobs [--retry ID]';
  noMorePositionals(args, 0, usage);
  const retry = stringOption(args, 'retry');
  await withContext(config, async (ctx) => {
    if (retry !== undefined) {
      if (!/^\d{1,12}$/.test(retry)) throw new UsageError(`--retry takes a job id. Usage: ${usage}`);
      if (!(await retryDeadJob(ctx.db, Number(retry), ctx.clock.now()))) throw new UsageError(`There is no dead job ${retry}.`);
      io.out(`Job ${retry} is queued again.`);
      return;
    }
    const counts = await countJobs(ctx.db);
    io.out(`${counts.waiting} waiting, ${counts.dead} dead.`);
    for (const job of await deadJobs(ctx.db, 50)) {
      io.out(`dead ${job.id} ${job.kind} after ${job.attempts} attempts: ${job.last_error ?? ''}`);
    }
  });
}

export async function migrate(config: Config, args: Args, io: Io) {
  noMorePositionals(args, 0, 'oak migrate');
  const ctx = await createContext(config, { migrate: false });
  try {
    const applied = await migrateToLatest(ctx.db);
    io.out(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
  } finally {
    await ctx.close();
  }
}

export async function userCreate(config: Config, args: Args, io: Io) {
  const usage = 'oak user create NAME [--role user|moderator|admin] [--display-name N]';
  const username = usernameArgument(args, usage);
  const role = roleOf(stringOption(args, 'role') ?? 'user');
  const password = await passwordFromStdin(io);
  await withContext(config, async (ctx) => {
    const user = await signUp(ctx, { username, display_name: stringOption(args, 'display-name') ?? '', password }, role);
    io.out(`Created ${user.role} ${user.username} (id ${user.id}).`);
  });
}

export async function userResetPassword(config: Config, args: Args, io: Io) {
  const username = usernameArgument(args, 'oak user reset-password NAME');
  const password = await passwordFromStdin(io);
  await withContext(config, async (ctx) => {
    const user = await resetPassword(ctx, username, password);
    io.out(`Set a new password for ${user.username} signed them out everywhere and ended their API tokens.`);
  });
}

export async function userSetRole(config: Config, args: Args, io: Io) {
  const usage = 'oak user set-role NAME user|moderator|admin';
  noMorePositionals(args, 2, usage);
  const username = usernameArgument(args, usage);
  if (!args.positionals[1]) throw new UsageError(`Name the role: ${usage}`);
  const role = roleOf(args.positionals[1]);
  await withContext(config, async (ctx) => {
    const user = await setRole(ctx, username, role);
    io.out(`${user.username} is now ${role === 'admin' ? 'an admin' : `a ${role}`}.`);
  });
}

export async function importFile(config: Config, args: Args, io: Io) {
  const usage = 'oak import FILE... [--title T] [--author NAME] [--original-author NAME] [--source-url URL] [--publish]';
  if (args.positionals.length === 0) throw new UsageError(`Name the file to import: ${usage}`);
  const files = args.positionals.flatMap((path) => filesToImport(path));
  if (files.length > 1 && stringOption(args, 'title'))
    throw new UsageError('--title names one story: import one file with it, or leave it out.');
  const single = files.length === 1 ? await readImportFile(files[0] as string) : null;
  await withContext(config, async (ctx) => {
    const authorName = stringOption(args, 'author');
    const author = authorName ? await findUser(ctx, authorName) : await firstAdmin(ctx);
    if (!author) {
      throw new UsageError(
        authorName
          ? `There is no account named ${authorName}; create it with oak user create ${authorName}, or pass another --author.`
          : 'There is no admin account yet: create one with oak user create NAME --role admin, or pass --author NAME.',
      );
    }
    const publish = args.options.publish === true;
    const options = (file: string) => ({
      title: stringOption(args, 'title'),
      filename: file,
      publish,
      originalAuthor: stringOption(args, 'original-author'),
      sourceUrl: stringOption(args, 'source-url'),
    });
    // One file: its story's path, last, for scripts. Many: a progress line and a summary.
    if (single) {
      const story = await importStoryFile(ctx, author.id, single, options(files[0] as string));
      io.out(`Imported as ${publish ? 'a published story' : 'a draft'} by ${author.username}.`);
      io.out(storyPath(story));
      return;
    }
    const bar = progressBar(process.stderr, 'Importing');
    const failed: string[] = [];
    let imported = 0;
    for (const [index, file] of files.entries()) {
      try {
        await importStoryFile(ctx, author.id, await readImportFile(file), options(file));
        imported++;
      } catch (error) {
        failed.push(`${file}: ${describeImportFailure(error)}`);
      }
      bar(index + 1, files.length);
    }
    io.out(
      `Imported ${imported} of ${files.length} files as ${publish ? 'published stories' : 'drafts'} by ${author.username}; ${failed.length} could not be imported.`,
    );
    for (const line of failed.slice(0, 50)) io.out(`  ${line}`);
  });
}

/** A file as given, or the importable files in a folder (story pages, EPUBs, AO3 HTML), in name order. */
function filesToImport(path: string): string[] {
  try {
    if (!statSync(path).isDirectory()) return [path];
  } catch {
    throw new UsageError(`There is no file ${path}; check the path.`);
  }
  return readdirSync(path)
    .filter((name) => /\.(txt|epub|html?)$/i.test(name))
    .sort()
    .map((name) => join(path, name));
}

async function readImportFile(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'ENOENT'
        ? `There is no file ${file}; check the path.`
        : `Cannot read ${file} (${code}); check that it is a file you may read.`,
    );
  }
}

/** Why one file of many failed, in one line: the form's own words where there are some. */
function describeImportFailure(error: unknown): string {
  if (error instanceof AppError) return Object.values(error.fields)[0] ?? error.message;
  return error instanceof Error ? error.message : String(error);
}

/** `oak import-archive DIR`: a Fimfarchive-style folder (index.json and the EPUBs), resumable, with a progress line and a summary. */
export async function importArchiveCommand(config: Config, args: Args, io: Io) {
  const usage = 'oak import-archive DIR [--author NAME] [--publish]';
  noMorePositionals(args, 1, usage);
  const dir = args.positionals[0];
  if (!dir) throw new UsageError(`Name the archive's folder (with index.json in it): ${usage}`);
  if (!existsSync(join(dir, 'index.json')))
    throw new UsageError(`There is no index.json in ${dir}; unpack the archive and name its folder.`);
  await withContext(config, async (ctx) => {
    const authorName = stringOption(args, 'author');
    const author = authorName ? await findUser(ctx, authorName) : await firstAdmin(ctx);
    if (!author)
      throw new UsageError('There is no such account to import as: create one with oak user create NAME, or pass --author NAME.');
    const started = performance.now();
    const bar = progressBar(process.stderr, 'Importing');
    const summary = await importArchive(ctx, author.id, dir, { publish: args.options.publish === true, onProgress: bar });
    const seconds = (performance.now() - started) / 1000;
    io.out(
      `Imported ${summary.imported.toLocaleString('en')} stories in ${seconds.toFixed(1)} s (${(summary.imported / Math.max(seconds, 0.001)).toFixed(1)} a second); ${summary.skipped.toLocaleString('en')} already here; ${summary.failed.length} could not be imported.`,
    );
    for (const failure of summary.failed.slice(0, 50)) io.out(`  ${failure.id}: ${failure.reason}`);
  });
}

/** `oak export STORY --format F -o FILE`: the same file a reader downloads, for any story (the operator may export drafts). */
export async function exportStory(config: Config, args: Args, io: Io) {
  const usage = 'oak export STORY --format epub|html|txt|md -o FILE';
  noMorePositionals(args, 1, usage);
  const story = /^(\d{1,12})(?:-[^/]*)?$/.exec(args.positionals[0]?.replace(/^.*\/stories\//, '') ?? '')?.[1];
  if (!story) throw new UsageError(`Name the story by its id or address: ${usage}`);
  const format = stringOption(args, 'format') ?? 'epub';
  if (!isFormat(format)) throw new UsageError(`--format must be epub, html, txt or md. Usage: ${usage}`);
  const output = stringOption(args, 'o') ?? stringOption(args, 'output');
  if (!output) throw new UsageError(`Say where to write it with -o FILE. Usage: ${usage}`);
  await withContext(config, async (ctx) => {
    const head = await storyHead(ctx.db, Number(story));
    if (!head) throw new UsageError(`There is no story ${story}.`);
    const started = performance.now();
    const download = await buildDownload(ctx, head, format);
    await copyFile(download.path, output);
    io.out(`Wrote “${head.story.title}” as ${format} to ${output} (${((performance.now() - started) / 1000).toFixed(1)} s).`);
  });
}

/** `oak check [--repair]`: every derived datum against its source; exit 1 on drift (unless repaired). */
export async function checkCommand(config: Config, args: Args, io: Io) {
  noMorePositionals(args, 0, 'oak check [--repair]');
  const repair = args.options.repair === true;
  await withContext(config, async (ctx) => {
    const drifts = await checkArchive(ctx, repair);
    for (const line of driftTable(drifts, repair)) io.out(line);
    if (!repair && drifts.some((drift) => drift.stories > 0)) {
      throw new AppError(409, 'Derived data has drifted from its source: run oak check --repair to set it right.');
    }
  });
}

/** `oak backup -o FILE`: the database and the stored files, consistent, while the archive runs. */
export async function backupCommand(config: Config, args: Args, io: Io) {
  const usage = 'oak backup -o FILE';
  noMorePositionals(args, 0, usage);
  const output = stringOption(args, 'o') ?? stringOption(args, 'output');
  if (!output) throw new UsageError(`Say where to write the backup with -o FILE. Usage: ${usage}`);
  const started = performance.now();
  const manifest = await backup(config, output);
  io.out(
    `Backed up the ${kindOf(manifest.dialect).label} database and ${manifest.files} files to ${output} (${((performance.now() - started) / 1000).toFixed(1)} s).`,
  );
}

/** `oak restore FILE [--force]`: into an empty archive, or over one with --force. */
export async function restoreCommand(config: Config, args: Args, io: Io) {
  const usage = 'oak restore FILE [--force]';
  noMorePositionals(args, 1, usage);
  const input = args.positionals[0];
  if (!input) throw new UsageError(`Name the backup file: ${usage}`);
  if (!existsSync(input)) throw new UsageError(`There is no file ${input}; check the path.`);
  try {
    const manifest = await restore(config, input, args.options.force === true);
    io.out(`Restored the backup of ${manifest.createdAt} (${manifest.files} files). Start the archive with oak serve.`);
  } catch (error) {
    if (error instanceof BackupError) throw new UsageError(error.message);
    throw error;
  }
}

/** `oak migrate-to-postgres DATABASE_URL`: this SQLite archive copied into an empty PostgreSQL database, checked table by table. */
export async function migrateToPostgresCommand(config: Config, args: Args, io: Io) {
  const usage = 'oak migrate-to-postgres DATABASE_URL';
  noMorePositionals(args, 1, usage);
  const url = args.positionals[0];
  if (!url || !/^postgres(ql)?:\/\//.test(url))
    throw new UsageError(`Give the PostgreSQL database to copy into as a postgres:// URL: ${usage}`);
  if (config.databaseUrl)
    throw new UsageError('DATABASE_URL is set: this copies the SQLite archive in DATA_DIR, so run it with DATABASE_URL unset.');
  const started = performance.now();
  io.out('table | rows | SQLite checksum | PostgreSQL checksum | same');
  try {
    const reports = await migrateToPostgres(config, url, (r) =>
      io.out(`${r.table} | ${r.rows} | ${r.sqliteChecksum} | ${r.postgresChecksum} | ${r.same ? 'yes' : 'NO'}`),
    );
    const rows = reports.reduce((sum, r) => sum + r.rows, 0);
    io.out(
      `Copied ${rows.toLocaleString('en')} rows in ${reports.length} tables, every count and checksum the same (${((performance.now() - started) / 1000).toFixed(1)} s). Start the archive with that DATABASE_URL and the same DATA_DIR (for the stored files).`,
    );
  } catch (error) {
    if (error instanceof MigrationCopyError) throw new UsageError(error.message);
    throw error;
  }
}

/** A whole number option from min to max, or the default when it is not given. */
function wholeOption(args: Args, name: string, min: number, max: number, fallback: number, usage: string): number {
  const value = stringOption(args, name);
  if (value === undefined) return fallback;
  const n = /^\d{1,9}$/.test(value.replaceAll('_', '')) ? Number(value.replaceAll('_', '')) : Number.NaN;
  if (!(n >= min && n <= max))
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max.toLocaleString('en')}. Usage: ${usage}`);
  return n;
}

export async function generateCorpus(config: Config, args: Args, io: Io) {
  const usage = 'oak generate --stories N [--seed S]';
  noMorePositionals(args, 0, usage);
  if (stringOption(args, 'stories') === undefined) throw new UsageError(`Say how many stories to make: ${usage}`);
  const stories = wholeOption(args, 'stories', 1, 1_000_000, 0, usage);
  const seed = wholeOption(args, 'seed', 0, 2 ** 31, 1, usage);
  await withContext(config, async (ctx) => {
    const started = performance.now();
    const bar = progressBar(process.stderr, 'Generating stories');
    await generate(ctx, { stories, seed, onProgress: bar });
    io.out(`Generated ${stories.toLocaleString('en')} stories (seed ${seed}) in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
  });
}

/**
 * A progress line on stderr: redrawn in place on a terminal, otherwise a line at every tenth so
 * logs stay short.
 */
function progressBar(stream: NodeJS.WriteStream, label: string) {
  let lastTenth = -1;
  return (done: number, total: number) => {
    const share = done / total;
    if (stream.isTTY) {
      const filled = Math.round(share * 30);
      stream.write(
        `\r${label} [${'#'.repeat(filled)}${' '.repeat(30 - filled)}] ${done.toLocaleString('en')} / ${total.toLocaleString('en')}`,
      );
      if (done === total) stream.write('\n');
    } else if (Math.floor(share * 10) > lastTenth) {
      lastTenth = Math.floor(share * 10);
      stream.write(`${label}: ${done.toLocaleString('en')} / ${total.toLocaleString('en')}\n`);
    }
  };
}

/** Opens the archive for one command and always closes it, so the process can exit. */
async function withContext(config: Config, work: (ctx: Context) => Promise<void>) {
  const ctx = await createContext(config);
  try {
    await work(ctx);
  } finally {
    await ctx.close();
  }
}

function noMorePositionals(args: Args, count: number, usage: string) {
  const extra = args.positionals[count];
  if (extra !== undefined) throw new UsageError(`Unexpected "${extra}". Usage: ${usage}`);
}

function usernameArgument(args: Args, usage: string): string {
  const name = args.positionals[0];
  if (!name) throw new UsageError(`Name the account: ${usage}`);
  const username = UsernameSchema.safeParse(name);
  if (!username.success) throw new UsageError(username.error.issues[0]?.message ?? USERNAME_RULE);
  return username.data;
}

function roleOf(value: string): Role {
  const role = RoleSchema.safeParse(value);
  if (!role.success) throw new UsageError(`There is no role "${value}"; the roles are user, moderator and admin.`);
  return role.data;
}

/** The password comes from stdin so it never appears in the shell history or process list. */
async function passwordFromStdin(io: Io): Promise<string> {
  const password = PasswordSchema.safeParse((await io.readStdin('Password: ')).replace(/\r?\n$/, ''));
  if (!password.success) {
    throw new UsageError(`The password (read from standard input) is not usable: ${password.error.issues[0]?.message}`);
  }
  return password.data;
}
