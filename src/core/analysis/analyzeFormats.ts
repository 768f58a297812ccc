/**
 * analyzeFormats: quantize one tensor with each compared format and return the
 * metrics (DOMAIN.md §6), saturated counts, bits per element and error
 * histograms on bins shared by all formats, plus the value histogram.
 *
 * One quantize and one fused metrics+histogram pass per format, reusing one
 * output buffer, so memory stays at one extra tensor whatever the number of
 * formats. Row-split workers call formatPartials on their slice (ctx.rowOffset,
 * ctx.tensorAmax), add the partials with mergeFormatPartials and finish once.
 */
import { getFormat, type FormatId } from '../formats/registry.ts';
import type { Tensor2D } from '../tensor.ts';
import { emptySums, mergeSums, metricsFromSums } from '../stats/metrics.ts';
import {
  accumulateErrorPass, emptyErrorBuckets, finiteRange, histogram, mergeErrorBuckets,
  pow2Above, rebinErrorBuckets, sharedBinEdges, symmetricEdges,
} from '../stats/histogram.ts';
import type {
  AnalysisDeps, AnalyzeFormatsResult, AnalyzeOptions, FormatAnalysis, FormatPartial, Histogram,
} from './types.ts';

export const DEFAULT_ERROR_BINS = 64;
export const DEFAULT_VALUE_BINS = 128;

export interface FormatFailure { format: FormatId; message: string }

/** Per-format partial sums over the rows of `x` (a whole tensor or a row slice). */
export function formatPartials(
  x: Tensor2D, formats: readonly FormatId[], opts: AnalyzeOptions, deps: AnalysisDeps,
  failures: FormatFailure[] = [],
): FormatPartial[] {
  const out = new Float32Array(x.data.length);
  const partials: FormatPartial[] = [];
  for (const format of formats) {
    let q;
    try {
      q = deps.quantize(x, { ...opts.quant, format }, out, opts.ctx);
    } catch (e) {
      failures.push({ format, message: e instanceof Error ? e.message : String(e) });
      continue;
    }
    const sums = emptySums();
    const buckets = emptyErrorBuckets();
    accumulateErrorPass(x.data, q.xhat, sums, buckets);
    partials.push({ format, sums, buckets, saturated: q.saturated });
  }
  return partials;
}

/** Adds two slices' partials format by format (same formats in the same order). */
export function mergeFormatPartials(a: readonly FormatPartial[], b: readonly FormatPartial[]): FormatPartial[] {
  if (a.length !== b.length) throw new Error('mergeFormatPartials: the slices compared different formats');
  return a.map((p, i) => {
    if (b[i].format !== p.format) throw new Error(`mergeFormatPartials: format ${p.format} vs ${b[i].format}`);
    return {
      format: p.format,
      sums: mergeSums(p.sums, b[i].sums),
      buckets: mergeErrorBuckets(p.buckets.slice(), b[i].buckets),
      saturated: p.saturated + b[i].saturated,
    };
  });
}

/** Turns (merged) partials into per-format results on one shared set of error bins. */
export function finishFormats(
  partials: readonly FormatPartial[], rows: number, cols: number, opts: AnalyzeOptions, deps: AnalysisDeps,
): { perFormat: FormatAnalysis[]; errorBinEdges: Float64Array; errorRange: number } {
  const bins = opts.errorBins ?? DEFAULT_ERROR_BINS;
  let worst = 0;
  for (const p of partials) if (p.sums.maxAbsErr > worst) worst = p.sums.maxAbsErr;
  const errorRange = pow2Above(worst);
  const perFormat = partials.map((p): FormatAnalysis => ({
    format: p.format,
    label: getFormat(p.format).label,
    metrics: metricsFromSums(p.sums),
    saturated: p.saturated,
    bitsPerElement: deps.bitsPerElement(p.format, opts.quant.granularity, cols, rows, opts.quant.scale),
    errorCounts: rebinErrorBuckets(p.buckets, errorRange, bins),
  }));
  return { perFormat, errorBinEdges: symmetricEdges(errorRange, bins), errorRange };
}

/** Histogram of the finite values of x over their [min, max], and max |x|. */
export function valueHistogram(x: Float32Array, bins = DEFAULT_VALUE_BINS): { histogram: Histogram; absMax: number } {
  const range = finiteRange([x]);
  const absMax = range ? Math.max(-range[0], range[1]) : 0;
  return { histogram: histogram(x, sharedBinEdges(range ?? [0, 1], bins)), absMax };
}

export function analyzeFormats(
  x: Tensor2D, formats: readonly FormatId[], opts: AnalyzeOptions, deps: AnalysisDeps,
): AnalyzeFormatsResult & { failures: FormatFailure[] } {
  const failures: FormatFailure[] = [];
  const partials = formatPartials(x, formats, opts, deps, failures);
  const done = finishFormats(partials, x.rows, x.cols, opts, deps);
  const v = valueHistogram(x.data, opts.valueBins);
  return { rows: x.rows, cols: x.cols, ...done, valueHistogram: v.histogram, absMax: v.absMax, failures };
}
