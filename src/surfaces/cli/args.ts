/** A small argv parser: positionals plus the `--flag` and `--name value` options a command declares. */
export type Args = { positionals: string[]; options: Record<string, string | true> };

/** Thrown for a command line the CLI cannot run: the message is one sentence that says what to type. */
export class UsageError extends Error {}

/** The options one command accepts: each name maps to whether it takes a value. */
export type OptionSpec = Record<string, 'value' | 'switch'>;

export function parseArgs(argv: string[], spec: OptionSpec, usage: string): Args {
  const positionals: string[] = [];
  const options: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    // A one-letter option (`-o FILE`) is one the command names with one letter.
    const short = /^-([a-z])$/i.exec(arg)?.[1];
    if (short && spec[short] === 'value') {
      const value = argv[++i];
      if (value === undefined) throw new UsageError(`-${short} needs a value. Usage: ${usage}`);
      options[short] = value;
      continue;
    }
    if (!arg.startsWith('--') || arg === '--') {
      positionals.push(arg);
      continue;
    }
    const [name = '', inline] = arg.slice(2).split(/=(.*)/s, 2);
    const kind = spec[name];
    if (!kind) throw new UsageError(`Unknown option --${name}${suggestion(name, Object.keys(spec))}. Usage: ${usage}`);
    if (kind === 'switch') {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value. Usage: ${usage}`);
      options[name] = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || (inline === undefined && value.startsWith('--'))) {
      throw new UsageError(`--${name} needs a value. Usage: ${usage}`);
    }
    options[name] = value;
  }
  return { positionals, options };
}

/** " (did you mean --title?)" for a near miss such as --titel, else nothing. */
function suggestion(name: string, known: string[]): string {
  const close = known.find((candidate) => distance(name, candidate) <= 2);
  return close ? ` (did you mean --${close}?)` : '';
}

/** Levenshtein distance; option names are short, so the quadratic table is tiny. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

export function stringOption(args: Args, name: string): string | undefined {
  const value = args.options[name];
  return typeof value === 'string' ? value : undefined;
}
