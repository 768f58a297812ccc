/**
 * `scan CHECKPOINT --formats ID,ID,… [--json|--csv]` (DOMAIN §7): quantize every
 * floating tensor with each format, one row per tensor × format, streamed tensor
 * by tensor: only one decoded tensor is resident at a time.
 * --json prints one object {"rows":[…]} whose rows are written as they are ready.
 */
import { parseArgs, CliError, flagString } from './args.ts';
import { QUANT_FLAGS, parseQuantFlags, parseFormatId, requireFlag } from './quantFlags.ts';
import { openPath } from './load.ts';
import { toJson } from './output.ts';
import { quantize } from '../core/quant/quantize.ts';
import { computeMetrics } from '../core/stats/metrics.ts';
import { tensor2D } from '../core/tensor.ts';
import type { FormatId } from '../core/formats/registry.ts';
import type { TensorInfo } from '../core/io/types.ts';

const FLAGS = [{ name: 'formats' }, ...QUANT_FLAGS, { name: 'json', boolean: true }, { name: 'csv', boolean: true }];

/** Integer, boolean and unsigned dtypes (safetensors, numpy or GGUF spelling) are not scanned. */
export function isFloatingDtype(dtype: string): boolean {
  return !/^(?:[IU]\d+|BOOL|[<>|=]?[iub]\d*|bool|I\d+|U\d+)$/i.test(dtype) || /^F/i.test(dtype);
}

export async function runScan(argv: string[]): Promise<void> {
  const args = parseArgs(argv, FLAGS, 'scan');
  if (args.positionals.length !== 1) throw new CliError('scan needs exactly one CHECKPOINT (a file, an index.json or a folder)');
  if (args.flags.has('json') && args.flags.has('csv')) throw new CliError('give --json or --csv, not both');
  const formats = requireFlag(args, 'formats', 'int8,fp8_e4m3,mxfp4')
    .split(',')
    .map((s) => parseFormatId(s.trim(), 'formats', false) as FormatId);
  const quant = parseQuantFlags(args);
  const mode = args.flags.has('json') ? 'json' : args.flags.has('csv') ? 'csv' : 'text';
  const file = await openPath(args.positionals[0]);
  const out = process.stdout;
  let first = true;
  try {
    const targets = file.tensors.filter((t: TensorInfo) => !t.notDecoded && isFloatingDtype(t.dtype));
    if (mode === 'json') out.write('{"rows":[\n');
    if (mode === 'csv') out.write('name,shape,format,sqnr_db,mse,max_abs_err,saturated\n');
    for (const info of targets) {
      const decoded = await file.read(info.name);
      const x = tensor2D(decoded.data, decoded.shape);
      const xhat = new Float32Array(x.data.length);
      for (const format of formats) {
        const r = quantize(x, { ...quant, format }, xhat);
        const m = computeMetrics(x.data, r.xhat);
        const row = { name: info.name, shape: decoded.shape, format, sqnr_db: m.sqnrDb, mse: m.mse, max_abs_err: m.maxAbsErr, saturated: r.saturated };
        if (mode === 'json') {
          out.write((first ? '' : ',\n') + toJson(row));
          first = false;
        } else if (mode === 'csv') {
          out.write([csvField(row.name), csvField(row.shape.join('x')), format, num(row.sqnr_db), num(row.mse), num(row.max_abs_err), row.saturated].join(',') + '\n');
        } else {
          out.write(`${row.name}  [${row.shape.join(', ')}]  ${format}  SQNR ${Number.isFinite(m.sqnrDb) ? m.sqnrDb.toFixed(2) : '∞'} dB  MSE ${m.mse.toPrecision(4)}  max|err| ${m.maxAbsErr.toPrecision(4)}  saturated ${r.saturated}\n`);
        }
      }
    }
    if (mode === 'json') out.write('\n]}\n');
    if (targets.length === 0 && mode === 'text') out.write(`no floating-point tensors to scan in ${flagString(args, 'formats') ? args.positionals[0] : ''}\n`);
  } finally {
    await file.close();
  }
}

function num(v: number): string {
  return Number.isFinite(v) ? String(v) : v > 0 ? 'inf' : v < 0 ? '-inf' : 'nan';
}

function csvField(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
