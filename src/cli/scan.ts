/**
 * `scan CHECKPOINT --formats ID,ID,… [--json|--csv]` (DOMAIN §7): quantize every
 * floating tensor with each format, one row per tensor × format, streamed tensor
 * by tensor through core/model/scan.ts: only one decoded tensor is resident at a time.
 * A format may carry its own granularity: ID@GRANULARITY (e.g. int4@group:128).
 * --json prints one object {"rows":[…]} whose rows are written as they are ready;
 * each row has name, shape, format, sqnr_db, mse, max_abs_err, saturated, then
 * variant, dtype, layer, module, family, numel, saturated_fraction, bits_per_element.
 * --csv keeps the header name,shape,format,sqnr_db,mse,max_abs_err,saturated.
 */
import { parseArgs, CliError, type ParsedArgs } from './args.ts';
import { QUANT_FLAGS, parseQuantFlags, requireFlag } from './quantFlags.ts';
import { openPath } from './load.ts';
import { toJson } from './output.ts';
import { parseVariant, scanCheckpoint, type ScanRow, type ScanVariant } from '../core/model/scan.ts';

export { isFloatingDtype } from '../core/model/scan.ts';

const FLAGS = [{ name: 'formats' }, ...QUANT_FLAGS, { name: 'json', boolean: true }, { name: 'csv', boolean: true }];

/** --formats ID[@GRANULARITY],… with the shared quantization flags as the base options. */
export function parseScanVariants(args: ParsedArgs): ScanVariant[] {
  const base = parseQuantFlags(args);
  const list = requireFlag(args, 'formats', 'int8,fp8_e4m3,mxfp4').split(',').map((s) => s.trim()).filter((s) => s);
  if (list.length === 0) throw new CliError('--formats needs at least one format id (e.g. --formats int8,mxfp4)');
  const variants = list.map((s) => {
    try {
      return parseVariant(s, base);
    } catch (e) {
      throw new CliError(`--formats: ${(e as Error).message}; write ID or ID@GRANULARITY (e.g. int8,int4@group:128), see \`quantscope values\` for format ids`);
    }
  });
  const dup = variants.find((v, i) => variants.findIndex((w) => w.label === v.label) !== i);
  if (dup) throw new CliError(`--formats lists ${dup.label} twice; give each format once`);
  return variants;
}

/** The row as JSON: the DOMAIN §7 keys first, then the whole-model extras. */
export function scanRowJson(r: ScanRow): Record<string, unknown> {
  return {
    name: r.name, shape: r.shape, format: r.format, sqnr_db: r.sqnrDb, mse: r.mse, max_abs_err: r.maxAbsErr, saturated: r.saturated,
    variant: r.variant, dtype: r.dtype, layer: r.layer, module: r.module, family: r.family, numel: r.numel,
    saturated_fraction: r.saturatedFraction, bits_per_element: r.bitsPerElement,
  };
}

export async function runScan(argv: string[]): Promise<void> {
  const args = parseArgs(argv, FLAGS, 'scan');
  if (args.positionals.length !== 1) throw new CliError('scan needs exactly one CHECKPOINT (a file, an index.json or a folder)');
  if (args.flags.has('json') && args.flags.has('csv')) throw new CliError('give --json or --csv, not both');
  const variants = parseScanVariants(args);
  const mode = args.flags.has('json') ? 'json' : args.flags.has('csv') ? 'csv' : 'text';
  const file = await openPath(args.positionals[0]);
  const out = process.stdout;
  let first = true;
  try {
    if (mode === 'json') out.write('{"rows":[\n');
    if (mode === 'csv') out.write('name,shape,format,sqnr_db,mse,max_abs_err,saturated\n');
    const res = await scanCheckpoint(file, variants, {
      onRow: (row) => {
        if (mode === 'json') {
          out.write((first ? '' : ',\n') + toJson(scanRowJson(row)));
          first = false;
        } else if (mode === 'csv') {
          out.write([csvField(row.name), csvField(row.shape.join('x')), csvField(row.variant), num(row.sqnrDb), num(row.mse), num(row.maxAbsErr), row.saturated].join(',') + '\n');
        } else {
          const sqnr = Number.isFinite(row.sqnrDb) ? row.sqnrDb.toFixed(2) : '∞';
          out.write(`${row.name}  [${row.shape.join(', ')}]  ${row.variant}  SQNR ${sqnr} dB  MSE ${row.mse.toPrecision(4)}  max|err| ${row.maxAbsErr.toPrecision(4)}  saturated ${row.saturated}\n`);
        }
      },
    });
    if (mode === 'json') out.write('\n]}\n');
    if (res.progress.tensorsTotal === 0 && mode === 'text') out.write(`no floating-point tensors to scan in ${args.positionals[0]}\n`);
  } finally {
    await file.close();
  }
}

export function num(v: number): string {
  return Number.isFinite(v) ? String(v) : v > 0 ? 'inf' : v < 0 ? '-inf' : 'nan';
}

export function csvField(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
