/**
 * quantscope CLI (DOMAIN.md §7): inspect, quantize, scan, values; recommend and diff (issue 7).
 *   npm run --silent cli -- <command> …
 * Bad input: exit code 2 and one line on stderr saying what is wrong and what
 * is valid; never a stack trace, never a partial output file.
 */
import { CliError } from './args.ts';

const USAGE = `usage:
  quantscope inspect FILE [--json]
  quantscope quantize FILE [--tensor NAME] --format ID [--granularity G] [--scale absmax|pow2|pow2-row]
                      [--scale-rule floor|ceil] [--clip Q] [--rounding rne|stochastic] [--seed N]
                      [--transform T] [--outliers Q] [--weight FILE2 [--weight-tensor NAME] [--weight-format ID]]
                      [--out X.npy] [--out-transformed T.npy] [--json]
  quantscope scan CHECKPOINT --formats ID[@G],ID,... [--granularity G] [--scale …] [--json|--csv]
  quantscope recommend CHECKPOINT --formats ID[@G],... --bits B [--objective sse|nsr] [--granularity G] […] [--json]
  quantscope diff ORIGINAL RELEASE [--scale-rule floor|ceil] [--json|--csv]
  quantscope values ID [--json]`;

/** Each command's module is loaded only when it runs, to keep start-up short. */
const COMMANDS: Record<string, (argv: string[]) => Promise<void>> = {
  inspect: async (argv) => (await import('./inspect.ts')).runInspect(argv),
  quantize: async (argv) => (await import('./quantize.ts')).runQuantize(argv),
  scan: async (argv) => (await import('./scan.ts')).runScan(argv),
  values: async (argv) => (await import('./values.ts')).runValues(argv),
  recommend: async (argv) => (await import('./recommend.ts')).runRecommend(argv),
  diff: async (argv) => (await import('./diff.ts')).runDiff(argv),
};

/** Errors whose message is already a plain sentence for the user. */
function isUserError(e: unknown): e is Error {
  if (!(e instanceof Error)) return false;
  return e instanceof CliError || e.name === 'TensorFileError' || e.constructor === Error || e instanceof RangeError;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    (command ? process.stdout : process.stderr).write(USAGE + '\n');
    return command ? 0 : 2;
  }
  const run = COMMANDS[command];
  if (!run) throw new CliError(`unknown command "${command}"; valid commands: ${Object.keys(COMMANDS).join(', ')}`);
  await run(rest);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    const message = e instanceof Error ? e.message : String(e);
    const line = message.split('\n')[0];
    if (isUserError(e)) {
      process.stderr.write(`quantscope: ${line}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`quantscope: internal error: ${line} (please report this)\n`);
      process.exitCode = 1;
    }
  },
);

// stdout closed early (e.g. piped into `head`): stop quietly
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
});
