/** `inspect FILE [--json]`: every tensor with dtype, shape and stats of its decoded values (DOMAIN §7). */
import { parseArgs, CliError } from './args.ts';
import { openPath } from './load.ts';
import { toJson } from './output.ts';
import { tensorStats, type TensorStats } from '../core/stats/tensorStats.ts';

export async function runInspect(argv: string[]): Promise<void> {
  const args = parseArgs(argv, [{ name: 'json', boolean: true }], 'inspect');
  if (args.positionals.length !== 1) throw new CliError('inspect needs exactly one FILE (or checkpoint folder)');
  const file = await openPath(args.positionals[0]);
  const json = args.flags.has('json');
  try {
    const rows: { name: string; dtype: string; shape: number[]; stats: TensorStats | null; note?: string; packed?: unknown }[] = [];
    for (const t of file.tensors) {
      if (t.notDecoded) {
        rows.push({ name: t.name, dtype: t.dtype, shape: t.shape, stats: null, note: t.notDecoded });
        continue;
      }
      const d = await file.read(t.name);
      rows.push({ name: t.name, dtype: t.dtype, shape: t.shape, stats: tensorStats(d.data), ...(d.packedInfo ? { packed: d.packedInfo } : {}) });
      if (!json) process.stdout.write(humanRow(rows[rows.length - 1]));
    }
    if (json) {
      const metadata = Object.keys(file.metadata).length ? { metadata: file.metadata } : {};
      process.stdout.write(toJson({ format: file.format, ...metadata, tensors: rows }) + '\n');
    } else if (file.tensors.some((t) => t.notDecoded)) {
      for (const r of rows.filter((r) => r.note)) process.stdout.write(`${r.name}  ${r.dtype}  [${r.shape.join(', ')}]  (${r.note})\n`);
    }
  } finally {
    await file.close();
  }
}

function humanRow(r: { name: string; dtype: string; shape: number[]; stats: TensorStats | null }): string {
  const s = r.stats!;
  const g = (v: number | null) => (v === null ? '—' : Number(v.toPrecision(5)).toString());
  return `${r.name}  ${r.dtype}  [${r.shape.join(', ')}]  min ${g(s.min)}  max ${g(s.max)}  mean ${g(s.mean)}  absmax ${g(s.absmax)}  std ${g(s.std)}${s.nonfinite ? `  non-finite ${s.nonfinite}` : ''}\n`;
}
