import { ConfigError } from '../../kernel/config.ts';
import { AppError } from '../../kernel/errors.ts';
import { UsageError } from './args.ts';

/** What the CLI prints for an error: one sentence that says what to do, and the exit code. */
export type Failure = { message: string; exitCode: number; unexpected: boolean };

type SystemError = Error & { code?: string; port?: number; address?: string; errno?: number };

/** Exit 2: the command line or configuration was wrong. Exit 1: it was right but could not be done. */
export function describeFailure(error: unknown): Failure {
  if (error instanceof UsageError || error instanceof ConfigError) return { message: error.message, exitCode: 2, unexpected: false };
  if (error instanceof AppError) {
    // A form's error names the field at fault; its summary line ("One thing needs fixing") says nothing here.
    const fields = Object.values(error.fields);
    return { message: fields.length > 0 ? fields.join(' ') : error.message, exitCode: 1, unexpected: false };
  }
  const known = systemFailure(error as SystemError);
  if (known) return { message: known, exitCode: 1, unexpected: false };
  const text = error instanceof Error ? error.message : String(error);
  return {
    message: `Unexpected error: ${firstLine(text)}. Run the command again with LOG_LEVEL=debug to see where it happened, and report it.`,
    exitCode: 1,
    unexpected: true,
  };
}

function systemFailure(error: SystemError): string | null {
  switch (error?.code) {
    case 'EADDRINUSE':
      return `Port ${error.port} is already in use: stop the program using it, or start with PORT set to a free port (PORT=3001 npm start).`;
    case 'EACCES':
      return error.port !== undefined
        ? `Not allowed to listen on port ${error.port}: use a port above 1023 (PORT=3000), or put a proxy in front.`
        : `Permission denied: ${firstLine(error.message)}.`;
    case 'EADDRNOTAVAIL':
      return `Cannot listen on ${error.address}: this machine has no such address; set HOST to one of its addresses, or 0.0.0.0.`;
    case 'ECONNREFUSED':
      return `Cannot connect to ${error.address}:${error.port}: is the database (or Redis) running there, and are DATABASE_URL and REDIS_URL right?`;
    case 'ENOTFOUND':
      return `Cannot find the host in DATABASE_URL or REDIS_URL (${firstLine(error.message)}); check the address.`;
    case '3D000':
      return `${firstLine(error.message)}: create it (createdb NAME) or fix DATABASE_URL.`;
    case '28P01':
    case '28000':
      return `PostgreSQL refused the log-in (${firstLine(error.message)}); check the user and password in DATABASE_URL.`;
    case 'SQLITE_CANTOPEN':
      return 'Cannot open the SQLite database in DATA_DIR: check that the folder exists and that you may write to it.';
    case 'SQLITE_BUSY':
      return 'The SQLite database is locked by another process for too long; try again in a moment.';
    default:
      return null;
  }
}

const firstLine = (text: string) => (text.split('\n')[0] ?? '').replace(/\.$/, '');
