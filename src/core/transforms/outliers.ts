/**
 * Outlier split (DOMAIN §5, `outliers=Q`; LLM.int8 / FP4-training recipe):
 *   t = the Q-quantile of |x| over finite elements (quantile.ts: numpy linear,
 *       float64, rounded once to float32)
 *   kept = { i : |x_i| > t }  (strictly above; ±Inf counts as above; NaN never)
 *   kept values are cast to bf16 and stored as a sparse side tensor
 *   (flat row-major indices + values); the dense rest has them replaced by +0
 *   and is what gets quantized. Reconstruction: x̂ = Q(dense), then x̂_i =
 *   bf16(x_i) at every kept index (the kept value replaces, not adds to, Q(0)).
 * Storage cost of the side tensor: 16 bits (bf16 value) + 32 bits (index) per
 * kept element; `addedBitsPerElement` spreads it over all elements.
 */
import type { Tensor2D } from '../tensor.ts';
import { BF16 } from '../formats/minifloat.ts';
import { absQuantileF32 } from './quantile.ts';
import { like, type Quantizer } from './types.ts';

export const OUTLIER_VALUE_BITS = 16;
export const OUTLIER_INDEX_BITS = 32;

export interface OutlierSplit {
  /** |x| threshold t (float32); elements strictly above it are kept */
  threshold: number;
  /** flat row-major indices of the kept elements, ascending */
  indices: Uint32Array;
  /** bf16 values (as float32 numbers) of the kept elements */
  values: Float32Array;
  /** x with kept elements replaced by +0, [rows, cols] */
  dense: Tensor2D;
  /** kept / numel */
  keptFraction: number;
  /** (16 + 32) · kept / numel: bits per element the side tensor adds */
  addedBitsPerElement: number;
}

/** Parse `outliers=Q`: 0 < Q < 1. */
export function parseOutlierQuantile(text: string): number {
  const q = Number(text);
  if (!/^[0-9.eE+-]+$/.test(text) || !(q > 0 && q < 1)) {
    throw new Error(`outliers must be a quantile Q with 0 < Q < 1 (e.g. 0.999), got "${text}"`);
  }
  return q;
}

export function splitOutliers(x: Tensor2D, q: number): OutlierSplit {
  if (!(q > 0 && q < 1)) throw new Error(`outliers must be a quantile Q with 0 < Q < 1 (e.g. 0.999), got ${q}`);
  const src = x.data;
  const t = absQuantileF32(src, q);
  let kept = 0;
  for (let i = 0; i < src.length; i++) if (Math.abs(src[i]) > t) kept++;
  const indices = new Uint32Array(kept);
  const values = new Float32Array(kept);
  const dense = new Float32Array(src);
  for (let i = 0, k = 0; i < src.length; i++) {
    if (Math.abs(src[i]) > t) {
      indices[k] = i;
      values[k++] = src[i];
      dense[i] = 0;
    }
  }
  BF16.castArray(values, values);
  const n = src.length || 1;
  return {
    threshold: t,
    indices,
    values,
    dense: { data: dense, rows: x.rows, cols: x.cols, shape: [...x.shape] },
    keptFraction: kept / n,
    addedBitsPerElement: ((OUTLIER_VALUE_BITS + OUTLIER_INDEX_BITS) * kept) / n,
  };
}

/** Write the kept bf16 values into x̂ (in place) and return it. */
export function mergeOutliers(xhat: Float32Array, split: Pick<OutlierSplit, 'indices' | 'values'>): Float32Array {
  const { indices, values } = split;
  for (let k = 0; k < indices.length; k++) xhat[indices[k]] = values[k];
  return xhat;
}

/** Split, quantize the dense rest, merge: x̂ in the original space. */
export function quantizeWithOutliers(x: Tensor2D, q: number, quantize: Quantizer): { xhat: Float32Array; split: OutlierSplit } {
  const split = splitOutliers(x, q);
  const xhat = mergeOutliers(quantize(like(split.dense.data, x.rows, x.cols)), split);
  return { xhat, split };
}
