/**
 * `diff ORIGINAL RELEASE [--json|--csv] [--scale-rule floor|ceil]`: match the
 * tensors of an original checkpoint and its quantized release, decode the
 * release, and print per tensor the real error next to quantscope's own
 * quantizer for that format (core/model/diff.ts). Unmatched tensors are listed
 * (never an error). --json prints one object {"rows":[…], "missing_in_release",
 * "extra_in_release", "mismatched", "auxiliary", "cancelled"}; --csv prints the
 * header name,release_name,shape,release_dtype,own_format,real_sqnr_db,real_mse,
 * real_max_abs_err,own_sqnr_db,own_mse,own_max_abs_err.
 */
import { parseArgs, CliError, parseFlag } from './args.ts';
import { openPath } from './load.ts';
import { toJson } from './output.ts';
import { csvField, num } from './scan.ts';
import { diffCheckpoints, diffToJson } from '../core/model/diff.ts';
import { parseScaleRule } from '../core/quant/options.ts';

const FLAGS = [{ name: 'scale-rule' }, { name: 'json', boolean: true }, { name: 'csv', boolean: true }];

export async function runDiff(argv: string[]): Promise<void> {
  const args = parseArgs(argv, FLAGS, 'diff');
  if (args.positionals.length !== 2) throw new CliError('diff needs two checkpoints: ORIGINAL RELEASE (files, index.json files or folders)');
  if (args.flags.has('json') && args.flags.has('csv')) throw new CliError('give --json or --csv, not both');
  const scaleRule = parseFlag(args, 'scale-rule', parseScaleRule);
  const original = await openPath(args.positionals[0]);
  let res;
  try {
    const release = await openPath(args.positionals[1]);
    try {
      res = await diffCheckpoints(original, release, { ...(scaleRule ? { scaleRule } : {}) });
    } finally {
      await release.close();
    }
  } finally {
    await original.close();
  }
  const out = process.stdout;
  if (args.flags.has('json')) {
    out.write(toJson(diffToJson(res)) + '\n');
    return;
  }
  if (args.flags.has('csv')) {
    out.write('name,release_name,shape,release_dtype,own_format,real_sqnr_db,real_mse,real_max_abs_err,own_sqnr_db,own_mse,own_max_abs_err\n');
    for (const r of res.rows) {
      const o = r.own;
      out.write([csvField(r.name), csvField(r.releaseName), r.shape.join('x'), csvField(r.releaseDtype), o ? csvField(o.format) : '',
        num(r.real.sqnrDb), num(r.real.mse), num(r.real.maxAbsErr), o ? num(o.sqnrDb) : '', o ? num(o.mse) : '', o ? num(o.maxAbsErr) : ''].join(',') + '\n');
    }
    return;
  }
  const db = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : '∞').padStart(8);
  const w = Math.max(4, ...res.rows.map((r) => r.name.length));
  out.write(`${'name'.padEnd(w)}  ${'release'.padEnd(14)} ${'real SQNR'.padStart(9)}  ${'own format'.padEnd(22)} ${'own SQNR'.padStart(8)}\n`);
  for (const r of res.rows) {
    out.write(`${r.name.padEnd(w)}  ${r.releaseDtype.padEnd(14)} ${db(r.real.sqnrDb).padStart(9)}  ${(r.own?.format ?? '—').padEnd(22)} ${r.own ? db(r.own.sqnrDb) : '       —'}${r.note ? `  (${r.note})` : ''}\n`);
  }
  const m = res.match;
  if (m.missingInRelease.length) out.write(`\nmissing in the release (${m.missingInRelease.length}): ${m.missingInRelease.join(', ')}\n`);
  if (m.extraInRelease.length) out.write(`only in the release (${m.extraInRelease.length}): ${m.extraInRelease.join(', ')}\n`);
  for (const x of m.mismatched) out.write(`not compared: ${x.original} vs ${x.release}: ${x.reason}\n`);
  if (m.auxiliary.length) out.write(`scale tensors in the release (${m.auxiliary.length}), not compared\n`);
}
