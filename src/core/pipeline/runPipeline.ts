/**
 * One quantization experiment end to end (DOMAIN.md §3–6): transform, quantize
 * X (and W for a pair), map back to the original space, measure. The CLI's
 * `quantize` and the app's worker both call this, so the app and the CLI give
 * the same numbers for the same options.
 *
 *  transform        X side                     W side                    Ŷ
 *  none             Qx(X)                      Qw(W)                     X̂·Ŵᵀ
 *  smooth:α         Qx(X/s)·s                  Qw(W·s)/s                 X̂·Ŵᵀ
 *  hadamard:G       Qx(X·H)·Hᵀ                 Qw(W·H)·Hᵀ                X̂·Ŵᵀ
 *  awq[:α]          X (not quantized)          Qw(W·s)/s                 (X/s)·Qw(W·s)ᵀ
 *  svdquant:r[:α]   Qx(X/s)·s                  (L + Qw(W·s − L))/s       Qx(X/s)·(L + Qw(W·s − L))ᵀ
 *
 * Metrics are always computed in the original space against the input.
 */
import type { Tensor2D } from '../tensor.ts';
import type { FormatId } from '../formats/registry.ts';
import type { QuantOptions } from '../quant/options.ts';
import { quantize } from '../quant/quantize.ts';
import { bitsPerElement } from '../quant/bitsPerElement.ts';
import { computeMetrics, type Metrics } from '../stats/metrics.ts';
import { matmulXWt } from '../linalg/matmul.ts';
import type { LongRunOptions } from '../linalg/progress.ts';
import { subProgress, throwIfAborted } from '../linalg/progress.ts';
import type { Transform } from '../transforms/parse.ts';
import { formatTransform, transformNeedsPair } from '../transforms/parse.ts';
import { prepareTransform, toOriginal } from './transformPrep.ts';
import { awqApply, awqSearch } from '../transforms/awq.ts';
import { svdQuant } from '../transforms/svdquant.ts';
import { quantizeWithOutliers } from '../transforms/outliers.ts';
import { like, checkPair, type Quantizer } from '../transforms/types.ts';

export type FormatOrNone = FormatId | 'none';

export interface PipelineOptions extends LongRunOptions {
  /** activation (or single-tensor) format; 'none' applies only the transform */
  format: FormatOrNone;
  /** weight format for a pair (defaults to `format`) */
  weightFormat?: FormatOrNone;
  /** granularity, scale, scale rule, clip, rounding, seed: shared by X and W */
  quant: Omit<QuantOptions, 'format'>;
  transform: Transform;
  /** keep elements above this |x| quantile in bf16 (DOMAIN §5 outliers=Q) */
  outliers?: number;
}

export interface SideResult {
  format: FormatOrNone;
  /** reconstruction in the original space */
  xhat: Float32Array;
  /** the transformed tensor that was quantized (X', or the input when there is no transform on this side) */
  transformed: Float32Array;
  metrics: Metrics;
  /** elements with |y| > element max before the cast */
  saturated: number;
  bitsPerElement: number;
  /** kept outlier fraction when outliers=Q */
  outlierFraction?: number;
}

export interface PipelineResult {
  transform: string;
  x: SideResult;
  w?: SideResult;
  /** Y = X·Wᵀ versus Ŷ, for a pair */
  matmul?: Metrics;
  /** AWQ: the α used (searched or given) and, for a search, the MSE per α */
  awq?: { alpha: number; alphas?: number[]; mse?: number[]; scales: Float32Array };
  /** SVDQuant: singular values of W', error per rank, bytes of the fp16 branch */
  svdquant?: { rank: number; alpha: number; singularValues: number[]; curve: { rank: number; matmulMse: number; weightMse: number }[]; extraBytes: number };
  /** SmoothQuant scales s [C] */
  smoothScales?: Float32Array;
}

/** A Quantizer that remembers the saturated count of its latest call. */
interface CountingQuantizer {
  q: Quantizer;
  /** saturated elements of the latest call (each transform's final quantization is its last call) */
  saturated: number;
  outlierFraction?: number;
  addedBits: number;
}

function makeQuantizer(format: FormatOrNone, quant: PipelineOptions['quant'], outliers: number | undefined): CountingQuantizer {
  const state: CountingQuantizer = { q: () => new Float32Array(0), saturated: 0, addedBits: 0 };
  const base: Quantizer = (t) => {
    if (format === 'none') return new Float32Array(t.data.subarray(0, t.rows * t.cols));
    const r = quantize(t, { ...quant, format });
    state.saturated = r.saturated;
    return r.xhat;
  };
  state.q = outliers === undefined
    ? base
    : (t) => {
        const { xhat, split } = quantizeWithOutliers(t, outliers, base);
        state.outlierFraction = split.keptFraction;
        state.addedBits = split.addedBitsPerElement;
        return xhat;
      };
  return state;
}

function side(format: FormatOrNone, t: Tensor2D, xhat: Float32Array, transformed: Float32Array, cq: CountingQuantizer, quant: PipelineOptions['quant']): SideResult {
  const bits = format === 'none' ? 32 : bitsPerElement(format, quant.granularity, t.cols, t.rows);
  return {
    format,
    xhat,
    transformed,
    metrics: computeMetrics(t.data, xhat),
    saturated: cq.saturated,
    bitsPerElement: bits + cq.addedBits,
    outlierFraction: cq.outlierFraction,
  };
}

/** Runs the experiment. `w` is the weight of an activation/weight pair, or undefined. */
export function runPipeline(x: Tensor2D, w: Tensor2D | undefined, opts: PipelineOptions): PipelineResult {
  const t = opts.transform;
  const name = formatTransform(t);
  if (transformNeedsPair(t) && !w) {
    throw new Error(`transform ${name} needs an activation X and a weight W; give the weight too (CLI: --weight FILE)`);
  }
  if (w) checkPair(x, w, `the pair X·Wᵀ`);
  const wFormat = opts.weightFormat ?? opts.format;
  const qx = makeQuantizer(opts.format, opts.quant, opts.outliers);
  const qw = makeQuantizer(wFormat, opts.quant, opts.outliers);
  const result: PipelineResult = { transform: name, x: undefined as unknown as SideResult };
  let yhat: Float32Array | undefined;

  switch (t.kind) {
    case 'none':
    case 'smooth':
    case 'hadamard':
    case 'random-hadamard': {
      // transformPrep is the one place these transforms and their inverses live
      const prep = prepareTransform(x, w, t, opts.quant.seed);
      result.smoothScales = prep.smoothScales;
      const run = (which: 'x' | 'w', a: Tensor2D, prime: Tensor2D, cq: CountingQuantizer, format: FormatOrNone): SideResult =>
        side(format, a, toOriginal(prep, which, cq.q(prime)), prime.data, cq, opts.quant);
      result.x = run('x', x, prep.xPrime, qx, opts.format);
      if (w) result.w = run('w', w, prep.wPrime!, qw, wFormat);
      break;
    }
    case 'awq': {
      const r = t.alpha === undefined
        ? awqSearch(x, w!, qw.q, subProgress(opts, 0, 0.9))
        : { best: awqApply(x, w!, t.alpha, qw.q, subProgress(opts, 0, 0.9)), alphas: undefined, mse: undefined };
      const best = r.best;
      // a search quantizes W once per α: report the saturation of the chosen α only
      if (r.alphas) qw.saturated = countSaturated(best.wPrime, w!, wFormat, opts.quant);
      result.awq = { alpha: best.alpha, alphas: r.alphas, mse: r.mse ? Array.from(r.mse) : undefined, scales: best.scales };
      const passthrough: CountingQuantizer = { q: (a) => a.data, saturated: 0, addedBits: 0 };
      result.x = side('none', x, x.data, best.xPrime, passthrough, opts.quant);
      result.w = side(wFormat, w!, best.what, best.wPrime, qw, opts.quant);
      yhat = best.yhat;
      break;
    }
    case 'svdquant': {
      const r = svdQuant(x, w!, t.rank, qx.q, qw.q, { alpha: t.alpha, seed: opts.quant.seed, ...subProgress(opts, 0, 0.9) });
      result.smoothScales = r.scales;
      result.svdquant = {
        rank: r.rank,
        alpha: r.alpha,
        singularValues: Array.from(r.singularValues),
        curve: r.curve.map((p) => ({ rank: p.rank, matmulMse: p.matmul.mse, weightMse: p.weight.mse })),
        extraBytes: r.extraBytes,
      };
      // the rank curve quantizes the residual once per rank, ending with RANK: qw holds that count
      result.x = side(opts.format, x, r.xhat, r.xhat, qx, opts.quant);
      result.w = side(wFormat, w!, r.what, r.what, qw, opts.quant);
      const bitsBranch = (8 * r.extraBytes) / (w!.rows * w!.cols);
      result.w.bitsPerElement += bitsBranch;
      yhat = r.yhat;
      break;
    }
  }
  throwIfAborted(opts.signal);
  if (w) {
    const y = matmulXWt(x, w, subProgress(opts, 0.9, 0.05));
    yhat ??= matmulXWt(like(result.x.xhat, x.rows, x.cols), like(result.w!.xhat, w.rows, w.cols), subProgress(opts, 0.95, 0.05));
    result.matmul = computeMetrics(y, yhat);
  }
  opts.onProgress?.(1);
  return result;
}

function countSaturated(wPrime: Float32Array, w: Tensor2D, format: FormatOrNone, quant: PipelineOptions['quant']): number {
  if (format === 'none') return 0;
  return quantize(like(wPrime, w.rows, w.cols), { ...quant, format }).saturated;
}
