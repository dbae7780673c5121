/** pino's numeric levels, as words. */
const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
/** pino's own fields and the ones already shown at the start of the line. */
const SKIPPED = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'reqId', 'err']);

/**
 * Turns one of pino's JSON lines into a line a person reads in a terminal:
 * `20:14:03 WARN Redis is unreachable url=/x`, with an error's stack indented below.
 */
export function textLogLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json);
  } catch {
    return json.endsWith('\n') ? json : `${json}\n`;
  }
  const time = new Date(typeof entry.time === 'number' ? entry.time : Date.now()).toTimeString().slice(0, 8);
  const level = LEVELS[entry.level as number] ?? String(entry.level);
  const err = entry.err as { message?: string; stack?: string } | undefined;
  const fields = Object.entries(entry)
    .filter(([key]) => !SKIPPED.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  const message = [entry.msg ?? err?.message ?? '', ...fields].filter((part) => part !== '').join(' ');
  const stack = err?.stack ? `\n    ${err.stack.split('\n').join('\n    ')}` : '';
  return `${time} ${level.padEnd(5)} ${message}${stack}\n`;
}

/** A pino destination that writes text lines to `out` (a terminal's stdout). */
export function textLogStream(out: { write(text: string): unknown }) {
  return { write: (line: string) => out.write(textLogLine(line)) };
}
