/**
 * The transform half of runPipeline (DOMAIN §5), split so a caller can
 * transform once and quantize many times (one prep, then one quantize per
 * compared format / granularity / W-A combination) without the pair matmul
 * that runPipeline always adds. Same core functions, same order, same bits as
 * runPipeline's X and W sides (test/core/pipeline/transformPrep.test.ts):
 *
 *   transform        X' (quantized)     back to the original space
 *   none             X                  Q(X)
 *   smooth:α         f32(X / s)         f32(Q(X') · s)      W' = f32(W · s), Ŵ = f32(Q(W') / s)
 *   hadamard:G       X·H                Q(X')·Hᵀ            W' = W·H,       Ŵ = Q(W')·Hᵀ
 *
 * AWQ and SVDQuant are not prep-able (their scales depend on the quantizer):
 * call runPipeline for them.
 */
import type { Tensor2D } from '../tensor.ts';
import type { FormatId } from '../formats/registry.ts';
import type { QuantOptions } from '../quant/options.ts';
import type { QuantizeResult } from '../quant/types.ts';
import { quantize } from '../quant/quantize.ts';
import { formatTransform, transformNeedsPair, type Transform } from '../transforms/parse.ts';
import { scaleColumns, smoothScales } from '../transforms/smooth.ts';
import { checkHadamardBlock, hadamardForward, hadamardInverse, hadamardSpec, type HadamardSpec } from '../transforms/hadamard.ts';
import { quantizeWithOutliers, type OutlierSplit } from '../transforms/outliers.ts';
import { checkPair, like } from '../transforms/types.ts';

export interface TransformPrep {
  /** canonical transform text (formatTransform) */
  name: string;
  transform: Transform;
  x: Tensor2D;
  w?: Tensor2D;
  /** X': the tensor that gets quantized (x itself for `none`) */
  xPrime: Tensor2D;
  /** W' for a pair */
  wPrime?: Tensor2D;
  /** SmoothQuant scales s [C] */
  smoothScales?: Float32Array;
  hadamard?: HadamardSpec;
}

/** Kinds prepareTransform handles. */
export function isPrepable(t: Transform): boolean {
  return t.kind === 'none' || t.kind === 'smooth' || t.kind === 'hadamard' || t.kind === 'random-hadamard';
}

/**
 * Transforms X (and W). `seed` is the rounding seed (random-hadamard signs
 * come from it, as in runPipeline). Throws runPipeline's error when a pair
 * transform has no W, and the core's error for an invalid Hadamard G.
 */
export function prepareTransform(x: Tensor2D, w: Tensor2D | undefined, t: Transform, seed: number): TransformPrep {
  const scales = checkPrepable(x, w, t);
  return prepFromXPrime(x, w, t, seed, transformRows(x, t, seed, scales), scales);
}

/**
 * Checks X (and W) for `t` as prepareTransform does and returns the SmoothQuant scales s
 * (smoothScales(X, W, α)) for smooth, else undefined. Throws the same errors as prepareTransform.
 */
export function checkPrepable(x: Tensor2D, w: Tensor2D | undefined, t: Transform): Float32Array | undefined {
  const name = formatTransform(t);
  if (transformNeedsPair(t) && !w) {
    throw new Error(`transform ${name} needs an activation X and a weight W; give the weight too (CLI: --weight FILE)`);
  }
  if (w) checkPair(x, w, 'the pair X·Wᵀ');
  switch (t.kind) {
    case 'none':
      return undefined;
    case 'smooth':
      return smoothScales(x, w!, t.alpha);
    case 'hadamard':
    case 'random-hadamard':
      checkHadamardBlock(t.kind, t.block, x.cols);
      return undefined;
    default:
      throw new Error(`transform ${name} is not a prepared transform; run it through runPipeline`);
  }
}

/**
 * X' for a block of whole rows of X (`rows` may be a row slice: the prepared transforms act
 * along rows, so X' of a slice is that slice of X'): f32(X / s) for smooth (s from checkPrepable),
 * (X·D)·blockdiag(H/√G) for Hadamard, X itself for none. Written into `out` when given.
 */
export function transformRows(rows: Tensor2D, t: Transform, seed: number, scales: Float32Array | undefined, out?: Float32Array<ArrayBuffer>): Float32Array {
  switch (t.kind) {
    case 'none':
      if (out) {
        out.set(rows.data);
        return out;
      }
      return rows.data;
    case 'smooth':
      if (!scales || scales.length !== rows.cols) throw new Error('smooth needs its scales s, one per column');
      return scaleColumns(rows.data, scales, 'div', out);
    case 'hadamard':
    case 'random-hadamard':
      return hadamardForward(rows, hadamardSpec(t.block, rows.cols, t.kind === 'random-hadamard', seed), out);
    default:
      throw new Error(`transform ${formatTransform(t)} is not a prepared transform; run it through runPipeline`);
  }
}

/** per prep with a lazily made W': the banded way of making it (wPrimeInBands) */
const bandedW = new WeakMap<TransformPrep, (bandRows: number) => Generator<void, void>>();

/**
 * Makes W' of a prep `bandRows` rows at a time, yielding between bands (a worker takes other requests
 * there), instead of all at once on first read; the same bits. Nothing to do when W' is made already,
 * the transform leaves W as it is, or there is no W.
 */
export function* wPrimeInBands(prep: TransformPrep, bandRows: number): Generator<void, void> {
  const make = bandedW.get(prep);
  if (make) yield* make(Math.max(1, Math.floor(bandRows)));
}

/**
 * The prep of X (and W) given X' (all rows, from transformRows) and for smooth its scales.
 * W' is made on first use (the X heatmaps and X metrics never need it).
 */
export function prepFromXPrime(
  x: Tensor2D, w: Tensor2D | undefined, t: Transform, seed: number, xPrime: Float32Array, scales: Float32Array | undefined,
): TransformPrep {
  const name = formatTransform(t);
  if (t.kind === 'none') return { name, transform: t, x, w, xPrime: x, wPrime: w };
  const prep: TransformPrep = { name, transform: t, x, w, xPrime: like(xPrime, x.rows, x.cols) };
  if (t.kind === 'smooth') prep.smoothScales = scales;
  if (t.kind === 'hadamard' || t.kind === 'random-hadamard') prep.hadamard = hadamardSpec(t.block, x.cols, t.kind === 'random-hadamard', seed);
  if (w) {
    // W' = f32(W · s) for smooth, W·H for Hadamard: computed once, when first read (or by wPrimeInBands)
    let made: Tensor2D | undefined;
    const cols = w.cols;
    /** W' of rows [r0, r1) into out (those rows' part of W'): the transform acts row by row */
    const rowsInto = (r0: number, r1: number, out: Float32Array<ArrayBuffer>) => {
      const rowsOfW = like(w.data.subarray(r0 * cols, r1 * cols), r1 - r0, cols);
      if (t.kind === 'smooth') scaleColumns(rowsOfW.data, scales!, 'mul', out);
      else hadamardForward(rowsOfW, prep.hadamard!, out);
    };
    Object.defineProperty(prep, 'wPrime', {
      enumerable: true,
      configurable: true,
      get: () => {
        if (!made) {
          const buf = new Float32Array(w.data.length);
          rowsInto(0, w.rows, buf);
          made = like(buf, w.rows, w.cols);
        }
        return made;
      },
    });
    bandedW.set(prep, function* (bandRows: number) {
      if (made) return;
      const buf = new Float32Array(w.data.length);
      for (let r0 = 0; r0 < w.rows && !made; r0 += bandRows) {
        const r1 = Math.min(w.rows, r0 + bandRows);
        rowsInto(r0, r1, buf.subarray(r0 * cols, r1 * cols));
        if (r1 < w.rows) yield;
      }
      made ??= like(buf, w.rows, w.cols); // a whole read in between made it already: that one stays
    });
  }
  return prep;
}

/**
 * Maps a reconstruction of X' (side 'x') or W' (side 'w') back to the original space: all rows, or any
 * whole rows of it (both transforms act row by row).
 */
export function toOriginal(prep: TransformPrep, side: 'x' | 'w', qPrime: Float32Array): Float32Array {
  const cols = (side === 'x' ? prep.x : prep.w!).cols;
  switch (prep.transform.kind) {
    case 'smooth':
      return scaleColumns(qPrime, prep.smoothScales!, side === 'x' ? 'mul' : 'div');
    case 'hadamard':
    case 'random-hadamard':
      return hadamardInverse(like(qPrime, qPrime.length / cols, cols), prep.hadamard!);
    default:
      return qPrime;
  }
}

export interface PreparedQuant {
  /** reconstruction in the original space */
  xhat: Float32Array;
  /** the quantizer's result on X' (saturation counts, per-block counts in the transformed space) */
  q: Pick<QuantizeResult, 'saturated' | 'saturatedPerBlock' | 'blocksPerRow'>;
  /** outliers=Q: the split that was kept in bf16 */
  outliers?: Pick<OutlierSplit, 'keptFraction' | 'addedBitsPerElement' | 'threshold'>;
}

/**
 * Quantizes X' (or W') with `format` and maps back, exactly as runPipeline's
 * quantizer does (outliers=Q splits X' before quantizing it).
 */
export function quantizePrepared(
  prep: TransformPrep, side: 'x' | 'w', format: FormatId, quant: Omit<QuantOptions, 'format'>, outliers?: number,
): PreparedQuant {
  const tp = side === 'x' ? prep.xPrime : prep.wPrime;
  if (!tp) throw new Error('this transform has no weight side');
  let last: QuantizeResult | undefined;
  const base = (t: Tensor2D): Float32Array => {
    last = quantize(t, { ...quant, format });
    return last.xhat;
  };
  let qPrime: Float32Array;
  let split: OutlierSplit | undefined;
  if (outliers === undefined) qPrime = base(tp);
  else ({ xhat: qPrime, split } = quantizeWithOutliers(tp, outliers, base));
  const q = last!;
  return {
    xhat: toOriginal(prep, side, qPrime),
    q: { saturated: q.saturated, saturatedPerBlock: q.saturatedPerBlock, blocksPerRow: q.blocksPerRow },
    ...(split ? { outliers: { keptFraction: split.keptFraction, addedBitsPerElement: split.addedBitsPerElement, threshold: split.threshold } } : {}),
  };
}
