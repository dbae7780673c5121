import { type Config, loadConfig } from './kernel/config.ts';
import { type Args, type OptionSpec, parseArgs, UsageError } from './surfaces/cli/args.ts';
import {
  backupCommand,
  checkCommand,
  exportStory,
  generateCorpus,
  type Io,
  importArchiveCommand,
  importFile,
  jobsCommand,
  migrate,
  migrateToPostgresCommand,
  restoreCommand,
  serve,
  userCreate,
  userResetPassword,
  userSetRole,
  worker,
} from './surfaces/cli/commands.ts';
import { describeFailure } from './surfaces/cli/failures.ts';

type Command = { usage: string; summary: string; options: OptionSpec; run(config: Config, args: Args, io: Io): Promise<unknown> };

/** Every command, keyed by the words that name it; `--help` is printed from this table. */
const COMMANDS: Record<string, Command> = {
  serve: { usage: 'oak serve', summary: 'Run the archive (migrates the database first)', options: {}, run: serve },
  worker: {
    usage: 'oak worker',
    summary: 'Run background jobs (mail, notifications) beside the web processes; oak serve runs them too',
    options: {},
    run: worker,
  },
  jobs: {
    usage: 'oak jobs [--retry ID]',
    summary: 'Count waiting and dead background jobs, list the dead with their errors, or queue a dead one again',
    options: { retry: 'value' },
    run: jobsCommand,
  },
  migrate: { usage: 'oak migrate', summary: 'Apply database migrations and exit', options: {}, run: migrate },
  import: {
    usage: 'oak import FILE... [--title T] [--author NAME] [--original-author NAME] [--source-url URL] [--publish]',
    summary: "Import story pages saved as text, EPUBs or AO3 downloads (files or folders); for one file, prints the story's path last",
    options: { title: 'value', author: 'value', 'original-author': 'value', 'source-url': 'value', publish: 'switch' },
    run: importFile,
  },
  'migrate-to-postgres': {
    usage: 'oak migrate-to-postgres DATABASE_URL',
    summary: 'Copy this SQLite archive into an empty PostgreSQL database, comparing row counts and checksums per table',
    options: {},
    run: migrateToPostgresCommand,
  },
  check: {
    usage: 'oak check [--repair]',
    summary: 'Recompute counts, filter sets and the search index from their sources; list what drifted (--repair sets it right)',
    options: { repair: 'switch' },
    run: checkCommand,
  },
  backup: {
    usage: 'oak backup -o FILE',
    summary: 'Write a consistent backup of the database and the stored files, while the archive runs',
    options: { o: 'value', output: 'value' },
    run: backupCommand,
  },
  restore: {
    usage: 'oak restore FILE [--force]',
    summary: 'Put a backup back into an empty archive (--force replaces what is there)',
    options: { force: 'switch' },
    run: restoreCommand,
  },
  export: {
    usage: 'oak export STORY --format epub|html|txt|md -o FILE',
    summary: 'Write a story (by id or address) as EPUB, one HTML file, plain text or Markdown',
    options: { format: 'value', o: 'value', output: 'value' },
    run: exportStory,
  },
  'import-archive': {
    usage: 'oak import-archive DIR [--author NAME] [--publish]',
    summary: 'Import a Fimfarchive-style folder (index.json and one EPUB per story); run it again to resume',
    options: { author: 'value', publish: 'switch' },
    run: importArchiveCommand,
  },
  generate: {
    usage: 'oak generate --stories N [--seed S]',
    summary: 'Fill the archive with a deterministic synthetic corpus (for trying filters, search and benchmarks)',
    options: { stories: 'value', seed: 'value' },
    run: generateCorpus,
  },
  'user create': {
    usage: 'oak user create NAME [--role user|moderator|admin] [--display-name N]',
    summary: 'Create an account; the password is read from stdin',
    options: { role: 'value', 'display-name': 'value' },
    run: userCreate,
  },
  'user reset-password': {
    usage: 'oak user reset-password NAME',
    summary: "Set an account's password from stdin and sign it out everywhere",
    options: {},
    run: userResetPassword,
  },
  'user set-role': {
    usage: 'oak user set-role NAME user|moderator|admin',
    summary: "Change an account's role",
    options: {},
    run: userSetRole,
  },
};

const HELP = `Golden Oak — a self-hostable archive for long-form fiction

Usage: oak <command> [options]

Commands:
${Object.values(COMMANDS)
  .map((command) => `  ${command.usage}\n      ${command.summary}`)
  .join('\n')}
  oak help
      Show this help

Configuration comes from the environment: PORT, HOST, DATA_DIR, DATABASE_URL, PUBLIC_URL,
TRUST_PROXY, REDIS_URL, SMTP_URL, MAIL_FROM, SESSION_SECRET, LOG_LEVEL, LOG_FORMAT (see the README).`;

const io: Io = {
  out: (line) => process.stdout.write(`${line}\n`),
  async readStdin(prompt) {
    if (process.stdin.isTTY) process.stderr.write(prompt);
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};

/** The command named by the first one or two words, and the words that follow it. */
function findCommand(argv: string[]): { name: string; command: Command } | null {
  const words = argv.filter((arg) => !arg.startsWith('--'));
  for (const name of [words.slice(0, 2).join(' '), words[0] ?? '']) {
    const command = COMMANDS[name];
    if (command) return { name, command };
  }
  return null;
}

async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === 'help' || argv.includes('--help') || argv.includes('-h')) {
    io.out(HELP);
    return 0;
  }
  const found = findCommand(argv);
  if (!found) {
    const word = argv.find((arg) => !arg.startsWith('--')) ?? argv[0];
    const group = word === 'user' ? ' (user create, user reset-password or user set-role)' : '';
    throw new UsageError(
      `Unknown command "${argv.filter((a) => !a.startsWith('--')).join(' ') || word}"${group}; run oak --help to see the commands.`,
    );
  }
  const args = parseArgs(argv, found.command.options, found.command.usage);
  // The command's own words are not positionals of its arguments.
  args.positionals.splice(0, found.name.split(' ').length);
  await found.command.run(loadConfig(), args, io);
  return found.name === 'serve' || found.name === 'worker' ? -1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    const failure = describeFailure(error);
    process.stderr.write(`oak: ${failure.message}\n`);
    // The stack helps whoever reports a bug; nobody else needs to read one.
    if (failure.unexpected && process.env.LOG_LEVEL === 'debug') process.stderr.write(`${(error as Error).stack}\n`);
    process.exit(failure.exitCode);
  },
);
