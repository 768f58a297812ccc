/**
 * The quantized value of ONE element under several formats (the heatmap hover
 * readout, issue 5), with the same bits as quantizePrepared on the whole
 * tensor, without quantizing the whole tensor when that is not needed.
 *
 * Element [row, col] of the 2-D view [rows, cols]. Per format:
 *   qPrime = Q(X')[row, col]   the quantized transformed value (X' = X for `none`)
 *   xhat   = x̂[row, col]       mapped back to the original space (what the metrics measure)
 *
 * How: when quantize(X') can be split by rows (canSplitByRows; block formats
 * always), only the band of rows holding `row` is quantized (one row; R rows
 * for block:RxC), with ctx.rowOffset (stochastic draws) and ctx.tensorAmax =
 * finite max |X'| (tensor granularity, NVFP4's tensor scale). Otherwise
 * (column granularity, tensor granularity with clip or int4_asym) the whole X'
 * is quantized; `WholeQuantCache` keeps a few of those between calls. The
 * transforms act along rows (smooth: per column scale; Hadamard: blocks of G
 * columns of one row), so mapping one row back gives that row of x̂.
 * Outlier split (outliers=Q) is not applied here: the readout is the plain format.
 */
import type { FormatId } from '../formats/registry.ts';
import { finiteAmax } from '../formats/blockCommon.ts';
import { bandRows } from '../model/bandedMeasure.ts';
import type { QuantOptions } from '../quant/options.ts';
import { quantize } from '../quant/quantize.ts';
import { like } from '../transforms/types.ts';
import { toOriginal, type TransformPrep } from './transformPrep.ts';

export interface ElementFormatValue {
  format: FormatId;
  /** Q(X')[row, col] (equal to xhat when the transform is `none`) */
  qPrime: number;
  /** x̂[row, col] in the original space */
  xhat: number;
  /** set instead of the values when the options cannot apply to this format (e.g. pow2-row with tensor) */
  error?: string;
}

export interface ElementProbe {
  row: number;
  col: number;
  /** X[row, col] */
  x: number;
  /** X'[row, col] (the transformed value; equal to x for `none`) */
  xPrime: number;
  perFormat: ElementFormatValue[];
}

/** Whole-tensor Q(X') kept between calls for options that cannot be split by rows, bounded by element count. */
export class WholeQuantCache {
  private entries: { key: string; src: Float32Array; qPrime: Float32Array }[] = [];
  constructor(private readonly maxElements = 1 << 25) {}
  get(key: string, src: Float32Array): Float32Array | undefined {
    const i = this.entries.findIndex((e) => e.key === key && e.src === src);
    if (i < 0) return undefined;
    const [e] = this.entries.splice(i, 1);
    this.entries.push(e);
    return e.qPrime;
  }
  set(key: string, src: Float32Array, qPrime: Float32Array): void {
    this.entries.push({ key, src, qPrime });
    let total = this.entries.reduce((n, e) => n + e.qPrime.length, 0);
    while (this.entries.length > 1 && total > this.maxElements) total -= this.entries.shift()!.qPrime.length;
  }
}

/** Rows [r0, r1) of the band that quantizes like the whole tensor, or null when only the whole tensor does. */
export function quantBand(opts: QuantOptions, row: number, rows: number): [number, number] | null {
  const per = bandRows(opts, rows, 1, 1); // the smallest row-local band (bandedMeasure.ts)
  if (per === 0) return null;
  const r0 = Math.floor(row / per) * per;
  return [r0, Math.min(rows, r0 + per)];
}

export interface ProbeOptions {
  /** which tensor of the prep: X (default) or the weight W of a pair (W', Ŵ = Q(W') mapped back) */
  side?: 'x' | 'w';
  /** finite max |X'| (|W'| for side 'w') when the caller knows it (else computed: one pass) */
  tensorAmaxPrime?: number;
  cache?: WholeQuantCache;
}

/**
 * x̂ of X[row, col] under each format with the shared options `quant`, through
 * the prepared transform. `row`, `col` must lie inside the tensor.
 */
export function probeElement(
  prep: TransformPrep, row: number, col: number, formats: readonly FormatId[], quant: Omit<QuantOptions, 'format'>, o: ProbeOptions = {},
): ElementProbe {
  const side = o.side ?? 'x';
  const orig = side === 'x' ? prep.x : prep.w;
  const src = side === 'x' ? prep.xPrime : prep.wPrime;
  if (!orig || !src) throw new Error('this transform has no weight side');
  const { rows, cols } = src;
  if (!(Number.isInteger(row) && Number.isInteger(col) && row >= 0 && row < rows && col >= 0 && col < cols)) {
    throw new Error(`element [${row}, ${col}] is outside the tensor [${rows}, ${cols}]`);
  }
  let amax = o.tensorAmaxPrime;
  const perFormat: ElementFormatValue[] = [];
  for (const format of formats) {
    const opts: QuantOptions = { ...quant, format };
    try {
      const band = quantBand(opts, row, rows);
      let qRow: Float32Array;
      if (band) {
        const [r0, r1] = band;
        if (amax === undefined) amax = finiteAmax(src.data);
        const x = like(src.data.subarray(r0 * cols, r1 * cols), r1 - r0, cols);
        const q = quantize(x, opts, undefined, { rowOffset: r0, tensorAmax: amax });
        qRow = q.xhat.subarray((row - r0) * cols, (row - r0 + 1) * cols);
      } else {
        const key = JSON.stringify(opts);
        let whole = o.cache?.get(key, src.data);
        if (!whole) {
          whole = quantize(src, opts).xhat;
          o.cache?.set(key, src.data, whole);
        }
        qRow = whole.subarray(row * cols, (row + 1) * cols);
      }
      const back = toOriginal(prep, side, qRow.slice());
      perFormat.push({ format, qPrime: qRow[col], xhat: back[col] });
    } catch (e) {
      perFormat.push({ format, qPrime: NaN, xhat: NaN, error: e instanceof Error ? e.message : String(e) });
    }
  }
  const k = row * cols + col;
  return { row, col, x: orig.data[k], xPrime: src.data[k], perFormat };
}
