/** A small argv parser: positionals plus `--flag` and `--name value` options. */
export type Args = { positionals: string[]; options: Record<string, string | true> };

export function parseArgs(argv: string[]): Args {
  const positionals: string[] = [];
  const options: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg.startsWith('--')) {
      const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
      const next = argv[i + 1];
      if (inline !== undefined) options[name ?? ''] = inline;
      else if (next !== undefined && !next.startsWith('--') && VALUED.has(name ?? '')) {
        options[name ?? ''] = next;
        i++;
      } else options[name ?? ''] = true;
    } else positionals.push(arg);
  }
  return { positionals, options };
}

/** Options that take a value; every other `--name` is a switch. */
const VALUED = new Set(['title', 'author', 'role', 'display-name', 'port', 'host']);

export function stringOption(args: Args, name: string): string | undefined {
  const value = args.options[name];
  return typeof value === 'string' ? value : undefined;
}
