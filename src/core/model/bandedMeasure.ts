/**
 * Quantize-and-measure one tensor in bands of rows (the scan's default
 * measure, issue 7): each band is quantized with its place in the tensor
 * (QuantContext rowOffset, and the whole tensor's finite amax for tensor
 * granularity and NVFP4), so x̂ has the same bits as one call on the whole
 * tensor, and the metric sums are accumulated band by band. The scratch for x̂
 * is one band (≤ BAND_ELEMENTS, 4 MiB) instead of the whole tensor, and the
 * sums read x and x̂ while the band is still in cache.
 * Options that are not row-local (column granularity, a clip quantile over
 * the whole tensor, int4_asym per tensor) are measured on the whole tensor.
 */
import { finiteAmax } from '../formats/blockCommon.ts';
import { getFormat } from '../formats/registry.ts';
import type { QuantOptions } from '../quant/options.ts';
import { quantize } from '../quant/quantize.ts';
import { canSplitByRows } from '../quant/scalarQuantize.ts';
import type { QuantContext } from '../quant/types.ts';
import { accumulateSums, emptySums, metricsFromSums, type Metrics, type MetricSums } from '../stats/metrics.ts';
import type { Tensor2D } from '../tensor.ts';

/** elements per band (rows are whole: a band is at least one row, or one block of rows) */
export const BAND_ELEMENTS = 1 << 20;

export interface BandScratch {
  buf: Float32Array;
}

/**
 * Whether the rows from `row` on quantize (with their QuantContext) exactly as
 * in the whole tensor: block formats always (their blocks run along rows;
 * NVFP4 takes the tensor amax), scalar formats when canSplitByRows and a
 * block:RxC band is not cut (R divides `row`).
 */
export function splitsAtRow(opts: QuantOptions, row: number): boolean {
  if (getFormat(opts.format).kind !== 'scalar') return true;
  if (!canSplitByRows(opts)) return false;
  const g = opts.granularity;
  return g.kind !== 'block' || row % g.rows === 0;
}

/** Rows per band for these options, or 0 when only the whole tensor quantizes correctly. */
export function bandRows(opts: QuantOptions, rows: number, cols: number, bandElements = BAND_ELEMENTS): number {
  const scalar = getFormat(opts.format).kind === 'scalar';
  if (scalar && !canSplitByRows(opts)) return 0;
  const g = opts.granularity;
  const align = scalar && g.kind === 'block' ? g.rows : 1;
  const fit = Math.floor(bandElements / Math.max(1, cols) / align) * align;
  return Math.min(rows, Math.max(align, fit));
}

export function measureInBands(
  x: Tensor2D, opts: QuantOptions, scratch: BandScratch, bandElements = BAND_ELEMENTS,
): { metrics: Metrics; saturated: number } {
  const sums = emptySums();
  const saturated = accumulateInBands(x, opts, scratch, sums, undefined, bandElements);
  return { metrics: metricsFromSums(sums), saturated };
}

/**
 * The banded pass adding into `sums`; returns the saturated count. `ctx` places
 * x in a larger tensor (a worker's row slice): its rowOffset is added to each
 * band's, and its tensorAmax (required then for tensor granularity and NVFP4)
 * is used instead of x's own amax.
 */
export function accumulateInBands(
  x: Tensor2D, opts: QuantOptions, scratch: BandScratch, sums: MetricSums, ctx?: QuantContext, bandElements = BAND_ELEMENTS,
): number {
  const { rows, cols } = x;
  const base = ctx?.rowOffset ?? 0;
  const per = bandRows(opts, rows, cols, bandElements);
  const needed = per > 0 ? per * cols : rows * cols;
  if (scratch.buf.length < needed) scratch.buf = new Float32Array(needed);
  if (per === 0 || per >= rows) {
    const out = scratch.buf.subarray(0, rows * cols);
    const r = quantize(x, opts, out, ctx);
    accumulateSums(x.data, out, sums);
    return r.saturated;
  }
  const needsAmax = opts.format === 'nvfp4' || opts.granularity.kind === 'tensor';
  const tensorAmax = needsAmax ? (ctx?.tensorAmax ?? finiteAmax(x.data)) : undefined;
  let saturated = 0;
  for (let r0 = 0; r0 < rows; r0 += per) {
    const r1 = Math.min(rows, r0 + per);
    const band: Tensor2D = { data: x.data.subarray(r0 * cols, r1 * cols), rows: r1 - r0, cols, shape: [r1 - r0, cols] };
    const bandCtx: QuantContext = tensorAmax === undefined ? { rowOffset: base + r0 } : { rowOffset: base + r0, tensorAmax };
    const out = scratch.buf.subarray(0, (r1 - r0) * cols);
    saturated += quantize(band, opts, out, bandCtx).saturated;
    accumulateSums(band.data, out, sums);
  }
  return saturated;
}
