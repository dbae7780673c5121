import { parseArgs } from './cli/args.ts';
import { type Io, importFile, migrate, serve, UsageError, userCreate } from './cli/commands.ts';
import { ConfigError, loadConfig } from './config.ts';

const HELP = `Golden Oak — a self-hostable archive for long-form fiction

Usage: oak <command> [options]

Commands:
  serve                          Run the archive (migrates the database first)
  migrate                        Apply database migrations and exit
  import FILE [--title T] [--author NAME] [--publish]
                                 Import a story page saved as text; prints the story's path last
  user create NAME [--role user|moderator|admin] [--display-name N]
                                 Create an account; the password is read from stdin
  help                           Show this help

Configuration comes from the environment: PORT, HOST, DATA_DIR, DATABASE_URL, PUBLIC_URL, SESSION_SECRET.`;

const io: Io = {
  out: (line) => process.stdout.write(`${line}\n`),
  async readStdin() {
    if (process.stdin.isTTY) process.stderr.write('Password: ');
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const [command, sub] = args.positionals;
  if (!command || command === 'help' || args.options.help) {
    io.out(HELP);
    return 0;
  }
  const config = loadConfig();
  switch (command) {
    case 'serve':
      await serve(config, io);
      return -1;
    case 'migrate':
      await migrate(config, io);
      return 0;
    case 'import':
      await importFile(config, args, io);
      return 0;
    case 'user':
      if (sub !== 'create') throw new UsageError('Usage: oak user create NAME [--role admin]');
      await userCreate(config, args, io);
      return 0;
    default:
      throw new UsageError(`Unknown command "${command}". Run oak --help.`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    const known = error instanceof UsageError || error instanceof ConfigError;
    process.stderr.write(`oak: ${known ? (error as Error).message : (error as Error).stack}\n`);
    process.exit(known ? 2 : 1);
  },
);
