/**
 * LoRC, low-rank compensation (ZeroQuant-V2/FP; DOMAIN §5) for a weight W and
 * its quantized Ŵ (both [O, C]):
 *   E = f32(W − Ŵ); top-R singular triplets of E (one decomposition, R ≤ 64 by
 *   default) kept as an fp16 branch (lowRank.ts); for r = 0…R:
 *   Ŵ'_r = f32(Ŵ + L_r) with L_r = f32(Σ_{k<r} a_k b_kᵀ) (nested, float64 sums)
 *   and its error versus W. Extra storage of rank r: r · (O + C) · 2 bytes.
 */
import type { Tensor2D } from '../tensor.ts';
import { topSingular } from '../linalg/topSingular.ts';
import { errorStats, type ErrorStats } from '../linalg/errorStats.ts';
import { subProgress, throwIfAborted, type LongRunOptions } from '../linalg/progress.ts';
import { addRankOne, lowRankBytes, lowRankFp16, type LowRankFp16 } from './lowRank.ts';
import { like } from './types.ts';

export interface LorcOptions extends LongRunOptions {
  /** largest rank of the curve (default 64, capped at min(O, C)) */
  maxRank?: number;
  iters?: number;
  seed?: number;
}

export interface LorcResult {
  /** 0, 1, …, R */
  ranks: number[];
  /** Ŵ'_r versus W for each rank (index = r) */
  weight: ErrorStats[];
  /** extra bytes for each rank (index = r) */
  extraBytes: number[];
  /** top-R singular values of E, descending */
  singularValues: Float64Array;
  lowRank: LowRankFp16;
}

export function lorc(w: Tensor2D, what: Float32Array, opts: LorcOptions = {}): LorcResult {
  if (what.length !== w.data.length) {
    throw new Error(`LoRC needs Ŵ with the weight's ${w.data.length} elements, got ${what.length}`);
  }
  const O = w.rows, C = w.cols;
  const R = Math.max(0, Math.min(opts.maxRank ?? 64, O, C));
  const e = new Float32Array(O * C);
  for (let i = 0; i < e.length; i++) e[i] = w.data[i] - what[i];
  const svd = R > 0
    ? topSingular(like(e, O, C), R, { iters: opts.iters, seed: opts.seed, ...subProgress(opts, 0, 0.6) })
    : { u: new Float64Array(0), s: new Float64Array(0), v: new Float64Array(0), m: O, n: C, p: 0 };
  const lowRank = lowRankFp16(svd, R);
  const acc = new Float64Array(O * C);
  const cur = new Float32Array(O * C);
  const ranks: number[] = [];
  const weight: ErrorStats[] = [];
  const extraBytes: number[] = [];
  for (let r = 0; r <= lowRank.rank; r++) {
    throwIfAborted(opts.signal);
    if (r > 0) addRankOne(lowRank, r - 1, acc);
    for (let i = 0; i < cur.length; i++) cur[i] = what[i] + Math.fround(acc[i]);
    ranks.push(r);
    weight.push(errorStats(w.data, cur));
    extraBytes.push(lowRankBytes(r, O, C));
    opts.onProgress?.(0.6 + (0.4 * (r + 1)) / (lowRank.rank + 1));
  }
  return { ranks, weight, extraBytes, singularValues: svd.s, lowRank };
}

/** Ŵ'_r = f32(Ŵ + L_r) for one rank r ≤ lowRank.rank. */
export function lorcApply(what: Float32Array, lowRank: LowRankFp16, r: number): Float32Array {
  const acc = new Float64Array(what.length);
  for (let k = 0; k < Math.min(r, lowRank.rank); k++) addRankOne(lowRank, k, acc);
  const out = new Float32Array(what.length);
  for (let i = 0; i < out.length; i++) out[i] = what[i] + Math.fround(acc[i]);
  return out;
}
