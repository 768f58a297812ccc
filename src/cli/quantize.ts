/**
 * `quantize FILE --format ID …` (DOMAIN §7): transform + quantize + metrics
 * through core/pipeline (the same code the app's worker runs).
 */
import { parseArgs, flagString, parseFlag, CliError } from './args.ts';
import { QUANT_FLAGS, parseQuantFlags, parseFormatId, requireFlag } from './quantFlags.ts';
import { openPath, readTensor } from './load.ts';
import { writeNpyAtomic, toJson } from './output.ts';
import { runPipeline, type PipelineResult, type SideResult } from '../core/pipeline/runPipeline.ts';
import { parseTransform, formatTransform } from '../core/transforms/parse.ts';
import { parseOutlierQuantile } from '../core/transforms/outliers.ts';
import { formatGranularity } from '../core/quant/options.ts';
import { metricsToJson } from '../core/stats/metrics.ts';
import type { TensorFile } from '../core/io/types.ts';

const FLAGS = [
  { name: 'tensor' }, { name: 'format' }, ...QUANT_FLAGS, { name: 'transform' }, { name: 'outliers' },
  { name: 'weight' }, { name: 'weight-tensor' }, { name: 'weight-format' },
  { name: 'out' }, { name: 'out-transformed' }, { name: 'json', boolean: true },
];

export async function runQuantize(argv: string[]): Promise<void> {
  const args = parseArgs(argv, FLAGS, 'quantize');
  if (args.positionals.length !== 1) throw new CliError('quantize needs exactly one input FILE, e.g. `quantize x.npy --format fp8_e4m3`');
  const format = parseFormatId(requireFlag(args, 'format', 'fp8_e4m3'), 'format', true);
  const weightFormatText = flagString(args, 'weight-format');
  const weightFormat = weightFormatText === undefined ? undefined : parseFormatId(weightFormatText, 'weight-format', true);
  const quant = parseQuantFlags(args);
  const transform = parseFlag(args, 'transform', parseTransform) ?? { kind: 'none' as const };
  const outliers = parseFlag(args, 'outliers', parseOutlierQuantile);
  const weightPath = flagString(args, 'weight');
  if (!weightPath && (args.flags.has('weight-tensor') || weightFormat !== undefined)) {
    throw new CliError('--weight-tensor and --weight-format need --weight FILE2');
  }
  for (const flag of ['out', 'out-transformed']) {
    const f = flagString(args, flag);
    if (f !== undefined && !f.endsWith('.npy')) throw new CliError(`--${flag} must name a .npy file, got "${f}"`);
  }

  const files: TensorFile[] = [];
  try {
    const xFile = await openPath(args.positionals[0]);
    files.push(xFile);
    const x = await readTensor(xFile, args.positionals[0], flagString(args, 'tensor'), 'tensor');
    let w;
    if (weightPath) {
      const wFile = await openPath(weightPath);
      files.push(wFile);
      w = await readTensor(wFile, weightPath, flagString(args, 'weight-tensor'), 'weight-tensor');
    }
    const result = runPipeline(x.tensor, w?.tensor, { format, weightFormat, quant, transform, outliers });

    const out = flagString(args, 'out');
    if (out) await writeNpyAtomic(out, x.decoded.shape, result.x.xhat);
    const outT = flagString(args, 'out-transformed');
    if (outT) await writeNpyAtomic(outT, x.decoded.shape, result.x.transformed);

    const report = {
      tensor: x.decoded.name,
      shape: x.decoded.shape,
      format,
      granularity: formatGranularity(quant.granularity),
      scale: quant.scale,
      scale_rule: quant.scaleRule,
      clip: quant.clip ?? null,
      rounding: quant.rounding,
      seed: quant.seed,
      transform: formatTransform(transform),
      ...(outliers !== undefined ? { outliers, outlier_fraction: result.x.outlierFraction ?? 0 } : {}),
      ...sideJson(result.x),
      ...(w ? { weight: { tensor: w.decoded.name, shape: w.decoded.shape, ...sideJson(result.w!) } } : {}),
      ...(result.matmul ? { matmul: metricsToJson(result.matmul) } : {}),
      ...extrasJson(result),
    };
    if (args.flags.has('json')) process.stdout.write(toJson(report) + '\n');
    else process.stdout.write(humanReport(report as HumanReport));
  } finally {
    await Promise.all(files.map((f) => f.close()));
  }
}

function sideJson(s: SideResult) {
  return {
    ...(s.format !== undefined ? { format: s.format } : {}),
    metrics: metricsToJson(s.metrics),
    bits_per_element: s.bitsPerElement,
    counts: { saturated: s.saturated, nonfinite: s.metrics.nonfinite },
  };
}

function extrasJson(r: PipelineResult) {
  const out: Record<string, unknown> = {};
  if (r.awq) out.awq = { alpha: r.awq.alpha, ...(r.awq.alphas ? { search: r.awq.alphas.map((a, i) => ({ alpha: a, mse: r.awq!.mse![i] })) } : {}) };
  if (r.svdquant) {
    out.svdquant = {
      rank: r.svdquant.rank,
      alpha: r.svdquant.alpha,
      extra_bytes: r.svdquant.extraBytes,
      singular_values: r.svdquant.singularValues,
      error_vs_rank: r.svdquant.curve.map((p) => ({ rank: p.rank, matmul_mse: p.matmulMse, weight_mse: p.weightMse })),
    };
  }
  return out;
}

interface HumanReport {
  tensor: string; shape: number[]; format: string; granularity: string; transform: string;
  metrics: Record<string, number | null>; bits_per_element: number; counts: { saturated: number; nonfinite: number };
  weight?: { tensor: string; format: string; metrics: Record<string, number | null>; bits_per_element: number; counts: { saturated: number; nonfinite: number } };
  matmul?: Record<string, number | null>;
  awq?: { alpha: number };
}

function humanReport(r: HumanReport): string {
  const m = (x: Record<string, number | null>) =>
    `SQNR ${fmt(x.sqnr_db, 2)} dB  MSE ${fmt(x.mse)}  max|err| ${fmt(x.max_abs_err)}  cosine ${fmt(x.cosine, 6)}  rel ${fmt(x.rel_err)}`;
  const lines = [
    `${r.tensor} [${r.shape.join(', ')}]  format ${r.format}  granularity ${r.granularity}  transform ${r.transform}`,
    `  ${m(r.metrics)}`,
    `  ${r.bits_per_element.toFixed(3)} bits/element  saturated ${r.counts.saturated}  non-finite ${r.counts.nonfinite}`,
  ];
  if (r.weight) {
    lines.push(`weight ${r.weight.tensor}  format ${r.weight.format}`, `  ${m(r.weight.metrics)}`,
      `  ${r.weight.bits_per_element.toFixed(3)} bits/element  saturated ${r.weight.counts.saturated}`);
  }
  if (r.awq) lines.push(`AWQ α = ${r.awq.alpha}`);
  if (r.matmul) lines.push(`matmul Y = X·Wᵀ`, `  ${m(r.matmul)}`);
  return lines.join('\n') + '\n';
}

function fmt(v: number | null | undefined, digits?: number): string {
  if (v === null || v === undefined) return '∞';
  return digits === undefined ? v.toPrecision(4) : v.toFixed(digits);
}
