/**
 * `recommend CHECKPOINT --formats ID,… --bits B [--objective sse|nsr] [--json]`:
 * scan the checkpoint (as `scan`), then choose one format per tensor so that the
 * numel-weighted average bits per element stay ≤ B and the total error is
 * smallest (core/model/recommend.ts: exact branch and bound). --json prints the
 * export {"target_bits", "objective", "method", "optimal", "achieved_bits",
 * "total_bytes", "total_error", "lower_bound", "assignment":[…], "uniform":[…]}.
 */
import { parseArgs, CliError, flagString } from './args.ts';
import { QUANT_FLAGS } from './quantFlags.ts';
import { openPath } from './load.ts';
import { toJson } from './output.ts';
import { parseScanVariants } from './scan.ts';
import { scanCheckpoint } from '../core/model/scan.ts';
import { recommend, recommendationToJson, type RecommendObjective } from '../core/model/recommend.ts';

const FLAGS = [{ name: 'formats' }, { name: 'bits' }, { name: 'objective' }, ...QUANT_FLAGS, { name: 'json', boolean: true }];

export async function runRecommend(argv: string[]): Promise<void> {
  const args = parseArgs(argv, FLAGS, 'recommend');
  if (args.positionals.length !== 1) throw new CliError('recommend needs exactly one CHECKPOINT (a file, an index.json or a folder)');
  const variants = parseScanVariants(args);
  const bitsText = flagString(args, 'bits');
  if (bitsText === undefined) throw new CliError('--bits is required: the target average bits per element (e.g. --bits 4.5)');
  const bits = Number(bitsText);
  if (!/^[0-9.eE+-]+$/.test(bitsText) || !(bits > 0) || !Number.isFinite(bits)) throw new CliError(`--bits must be a positive number of bits per element (e.g. 4.5), got "${bitsText}"`);
  const obj = flagString(args, 'objective') ?? 'sse';
  if (obj !== 'sse' && obj !== 'nsr') throw new CliError(`--objective must be sse (total squared error) or nsr (numel-weighted noise-to-signal), got "${obj}"`);
  const file = await openPath(args.positionals[0]);
  let rows;
  try {
    rows = (await scanCheckpoint(file, variants)).rows;
  } finally {
    await file.close();
  }
  if (rows.length === 0) throw new CliError(`${args.positionals[0]} has no floating-point tensors to choose formats for`);
  let rec;
  try {
    rec = recommend(rows, bits, { objective: obj as RecommendObjective });
  } catch (e) {
    throw new CliError((e as Error).message);
  }
  const out = process.stdout;
  if (args.flags.has('json')) {
    out.write(toJson(recommendationToJson(rec)) + '\n');
    return;
  }
  const w = Math.max(...rec.assignment.map((a) => a.name.length), 4);
  out.write(`${'name'.padEnd(w)}  ${'format'.padEnd(22)} ${'bits'.padStart(7)}  ${'SQNR dB'.padStart(8)}\n`);
  for (const a of rec.assignment) {
    out.write(`${a.name.padEnd(w)}  ${a.variant.padEnd(22)} ${a.bitsPerElement.toFixed(3).padStart(7)}  ${(Number.isFinite(a.sqnrDb) ? a.sqnrDb.toFixed(2) : '∞').padStart(8)}\n`);
  }
  out.write(`\ntarget ${bits} bits/element: achieved ${rec.achievedBits.toFixed(4)}, ${Math.round(rec.totalBytes)} bytes, total error (${rec.objective}) ${rec.totalError.toPrecision(6)} — ${rec.optimal ? 'optimal' : `best found, at most ${(rec.totalError - rec.lowerBound).toPrecision(3)} above optimal`}\n`);
  out.write('uniform choices:\n');
  for (const u of rec.uniform) {
    out.write(`  ${u.variant.padEnd(22)} ${u.avgBits.toFixed(4).padStart(8)} bits/element  ${String(Math.round(u.totalBytes)).padStart(12)} bytes  error ${u.totalError.toPrecision(6)}${u.fitsBudget ? '' : '  (over budget)'}\n`);
  }
}
