/**
 * Strict command-line parsing for the CLI (DOMAIN.md §7). Flags use the same
 * names as the URL keys. Every problem becomes a CliError with one plain
 * sentence; main.ts prints it and exits with code 2.
 */
export class CliError extends Error {}

export interface FlagSpec {
  /** flag name without the leading -- */
  name: string;
  /** true for boolean switches like --json */
  boolean?: boolean;
}

export interface ParsedArgs {
  positionals: string[];
  flags: Map<string, string | true>;
}

export function parseArgs(argv: string[], specs: readonly FlagSpec[], command: string): ParsedArgs {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const spec = byName.get(name);
    if (!spec) {
      const valid = specs.map((s) => `--${s.name}`).join(', ');
      throw new CliError(`unknown flag "--${name}" for ${command}; valid flags: ${valid}`);
    }
    if (flags.has(name)) throw new CliError(`flag --${name} is given twice; give it once`);
    if (spec.boolean) {
      if (eq !== -1) throw new CliError(`flag --${name} takes no value`);
      flags.set(name, true);
      continue;
    }
    let value: string | undefined;
    if (eq !== -1) value = arg.slice(eq + 1);
    else if (i + 1 < argv.length) value = argv[++i];
    if (value === undefined || value === '') throw new CliError(`flag --${name} needs a value`);
    flags.set(name, value);
  }
  return { positionals, flags };
}

export function flagString(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags.get(name);
  return typeof v === 'string' ? v : undefined;
}

/** Runs a parser from core and turns its thrown message into a CliError naming the flag. */
export function parseFlag<T>(args: ParsedArgs, name: string, parse: (s: string) => T): T | undefined {
  const v = flagString(args, name);
  if (v === undefined) return undefined;
  try {
    return parse(v);
  } catch (e) {
    throw new CliError(`--${name}: ${(e as Error).message}`);
  }
}
