import { textLogLine } from './log-format.ts';

/** What the kernel reports that no request answers for: a lost connection, a failed flush. */
export type Log = { warn(message: string, error?: unknown): void };

const QUIET = new Set(['error', 'fatal', 'silent']);

/**
 * Warnings to standard error, one readable line each (as the server's own log prints them), unless
 * LOG_LEVEL asks for errors only or silence. Nothing is swallowed without a line here.
 */
export function stderrLog(level: string, out: { write(text: string): unknown } = process.stderr): Log {
  return {
    warn(message, error) {
      if (QUIET.has(level)) return;
      const err = error instanceof Error ? { message: error.message, stack: error.stack } : undefined;
      out.write(
        textLogLine(JSON.stringify({ level: 40, time: Date.now(), msg: error && !err ? `${message}: ${String(error)}` : message, err })),
      );
    },
  };
}
