/** `values ID [--json]`: every distinct finite value of a format's elements (DOMAIN §7). */
import { parseArgs, CliError } from './args.ts';
import { formatValues } from '../core/formats/valueGrid.ts';
import { ALL_FORMAT_IDS, isFormatId } from '../core/formats/registry.ts';

const EXTRA_IDS = ['e8m0'] as const;

export async function runValues(argv: string[]): Promise<void> {
  const args = parseArgs(argv, [{ name: 'json', boolean: true }], 'values');
  if (args.positionals.length !== 1) throw new CliError('values needs exactly one format id, e.g. `values fp4_e2m1`');
  const id = args.positionals[0];
  if (!isFormatId(id) && !(EXTRA_IDS as readonly string[]).includes(id)) {
    throw new CliError(`unknown format "${id}"; valid: ${[...ALL_FORMAT_IDS, ...EXTRA_IDS].join(', ')}`);
  }
  const values = Array.from(formatValues(id as Parameters<typeof formatValues>[0]));
  if (args.flags.has('json')) {
    process.stdout.write(JSON.stringify({ format: id, values }) + '\n');
  } else {
    process.stdout.write(`${id}: ${values.length} values\n${values.join('\n')}\n`);
  }
}
