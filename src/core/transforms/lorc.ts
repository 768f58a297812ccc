/**
 * LoRC, low-rank compensation (ZeroQuant-V2/FP; DOMAIN §5) for a weight W and
 * its quantized Ŵ (both [O, C]):
 *   E = f32(W − Ŵ); top-R singular triplets of E (one decomposition, R ≤ 64 by
 *   default) kept as an fp16 branch (lowRank.ts: factors a_k, b_k); for
 *   r = 0…R the corrected weight Ŵ'_r = Ŵ + L_r with L_r = Σ_{k<r} a_k b_kᵀ and
 *   its error versus W. Extra storage of rank r: r · (O + C) · 2 bytes.
 *
 * The curve is computed without forming any Ŵ'_r:
 *   ‖E − L_r‖² = ‖E‖² − 2 Σ_{k<r} a_kᵀ E b_k + Σ_{k,l<r} (a_k·a_l)(b_k·b_l),
 * float64 sums; E·b_k is one more product of the kind the decomposition makes
 * (so it splits across workers the same way), for all ranks at once (was one
 * dense pass per rank). It leaves out the float32 roundings of E and of Ŵ'_r
 * (each ≤ 2^-24 relative per element; lorcApply gives that float32 weight).
 * Pairs where W or Ŵ is NaN/±Inf are left out of the error (as errorStats
 * does) and are zero in E.
 */
import type { Tensor2D } from '../tensor.ts';
import { localRowPart, mulRowsByAt, partsMulAt, topSingular, topSingularRowParts, type RowPart } from '../linalg/topSingular.ts';
import type { Svd } from '../linalg/jacobi.ts';
import type { ErrorStats } from '../linalg/errorStats.ts';
import { subProgress, throwIfAborted, type LongRunOptions } from '../linalg/progress.ts';
import { addRankOne, lowRankBytes, lowRankFp16, type LowRankFp16 } from './lowRank.ts';
import { like } from './types.ts';

export interface LorcOptions extends LongRunOptions {
  /** largest rank of the curve (default 64, capped at min(O, C)) */
  maxRank?: number;
  /** power iterations of the randomized SVD (default LORC_ITERS) */
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

/** Share of the progress bar taken by the decomposition (10 of the 11 products at LORC_ITERS = 4; the curve's E·b is the rest). */
const SVD_SHARE = 0.9;

export function lorc(w: Tensor2D, what: Float32Array, opts: LorcOptions = {}): LorcResult {
  const em = errorMatrix(w, what, opts);
  const svd = em.R > 0 ? topSingular(em.e, em.R, svdOptions(opts)) : emptySvd(w);
  const lowRank = lowRankFp16(svd, em.R);
  throwIfAborted(opts.signal);
  return curve(w, em, svd, lowRank, mulRowsByAt(em.e, factorRows(lowRank), lowRank.rank, opts), opts);
}

/**
 * lorc with E's products split across row blocks (e.g. one per worker;
 * topSingularRowParts). `split` is called only when the randomized path runs
 * (small weights take the exact SVD and one block here).
 */
export async function lorcRowParts(
  w: Tensor2D, what: Float32Array, split: (e: Tensor2D) => Promise<RowPart[]>, opts: LorcOptions = {},
): Promise<LorcResult> {
  const em = errorMatrix(w, what, opts);
  const { e, R } = em;
  let parts: RowPart[] | null = null;
  const svd = R > 0
    ? await topSingularRowParts(async () => (parts = await split(e)), e.rows, e.cols, R, { ...svdOptions(opts), exactRows: () => e })
    : emptySvd(w);
  const lowRank = lowRankFp16(svd, R);
  throwIfAborted(opts.signal);
  const eb = await partsMulAt(parts ?? [localRowPart(e, 0, e.rows, opts)], factorRows(lowRank), lowRank.rank, e.rows);
  return curve(w, em, svd, lowRank, eb, opts);
}

interface ErrorMatrix {
  /** E = f32(W − Ŵ), zero where W or Ŵ is NaN/±Inf */
  e: Tensor2D;
  /** flat indices of those left-out pairs */
  bad: number[];
  /** the curve's largest rank */
  R: number;
  /** Σ W² and Σ (W − Ŵ)² (float64) and their count, over the finite pairs */
  sumRefSq: number;
  sumErrSq: number;
  count: number;
}

/** E and the rank-0 sums in one pass over W and Ŵ. */
function errorMatrix(w: Tensor2D, what: Float32Array, opts: LorcOptions): ErrorMatrix {
  if (what.length !== w.data.length) {
    throw new Error(`LoRC needs Ŵ with the weight's ${w.data.length} elements, got ${what.length}`);
  }
  const O = w.rows, C = w.cols;
  const e = new Float32Array(O * C);
  const x = w.data;
  let sumRefSq = 0, sumErrSq = 0, count = 0;
  for (let i = 0; i < e.length; i++) {
    const d = x[i] - what[i];
    if (d - d !== 0) continue; // NaN/±Inf on either side
    e[i] = d;
    sumRefSq += x[i] * x[i];
    sumErrSq += d * d;
    count++;
  }
  const bad: number[] = [];
  for (let i = 0, left = e.length - count; left > 0 && i < e.length; i++) {
    if (!Number.isFinite(x[i] - what[i])) { bad.push(i); left--; }
  }
  return { e: like(e, O, C), bad, R: Math.max(0, Math.min(opts.maxRank ?? 64, O, C)), sumRefSq, sumErrSq, count };
}

/**
 * Power iterations of LoRC's randomized SVD. A quantization error has a flat
 * spectrum, so each iteration still moves the rank-64 error a little: on the
 * 2048² weight sample (MXFP4, INT4, per row) the rank-64 relative error with
 * 4 iterations is within 0.4% of 10 iterations' (6: 0.15%), for 11 products
 * of E instead of 15 (the curve's E·b included).
 */
export const LORC_ITERS = 4;

function svdOptions(opts: LorcOptions) {
  return { iters: opts.iters ?? LORC_ITERS, seed: opts.seed, ...subProgress(opts, 0, SVD_SHARE) };
}

function emptySvd(w: Tensor2D): Svd {
  return { u: new Float64Array(0), s: new Float64Array(0), v: new Float64Array(0), m: w.rows, n: w.cols, p: 0 };
}

/** The fp16 right factors b_k as float64 rows [rank, cols], the products' input. */
function factorRows(lr: LowRankFp16): Float64Array {
  return Float64Array.from(lr.b);
}

/** The error of Ŵ + L_r for r = 0…R, given eb = E·b_k for every k ([rank, rows]). */
function curve(w: Tensor2D, em: ErrorMatrix, svd: Svd, lowRank: LowRankFp16, eb: Float64Array, opts: LorcOptions): LorcResult {
  const { sumRefSq, count, bad } = em;
  const se = residualSquares(em.sumErrSq, eb, lowRank, bad);
  const ranks: number[] = [];
  const weight: ErrorStats[] = [];
  const extraBytes: number[] = [];
  for (let r = 0; r <= lowRank.rank; r++) {
    ranks.push(r);
    weight.push(stats(se[r], sumRefSq, count, bad.length));
    extraBytes.push(lowRankBytes(r, w.rows, w.cols));
  }
  opts.onProgress?.(1);
  return { ranks, weight, extraBytes, singularValues: svd.s, lowRank };
}

function stats(se: number, sumRefSq: number, n: number, nonfinite: number): ErrorStats {
  return {
    mse: n ? se / n : 0,
    sqnrDb: se === 0 ? Infinity : 10 * Math.log10(sumRefSq / se),
    relErr: sumRefSq === 0 ? (se === 0 ? 0 : Infinity) : Math.sqrt(se / sumRefSq),
    nonfinite,
  };
}

/**
 * se[r] = Σ over finite pairs of (E − L_r)², r = 0…rank (see the header), from
 * se[0] = ‖W − Ŵ‖², c_k = a_kᵀ (E b_k), the factors' Gram matrices for ‖L_r‖², and
 * L_r itself only at the left-out pairs (whose squares ‖L_r‖² includes).
 */
function residualSquares(se0: number, eb: Float64Array, lr: LowRankFp16, bad: number[]): Float64Array {
  const { rows, cols, rank: R, a, b } = lr;
  const c = new Float64Array(R);
  for (let k = 0; k < R; k++) {
    let s = 0;
    for (let i = 0, o = k * rows; i < rows; i++) s += a[o + i] * eb[o + i];
    c[k] = s;
  }
  const ga = gram(a, R, rows), gb = gram(b, R, cols);
  const lBad = new Float64Array(bad.length);
  const se = new Float64Array(R + 1);
  let cross = 0, lsq = 0, badSq = 0;
  se[0] = se0;
  for (let r = 1; r <= R; r++) {
    const k = r - 1;
    cross += c[k];
    let add = ga[k * R + k] * gb[k * R + k];
    for (let l = 0; l < k; l++) add += 2 * ga[k * R + l] * gb[k * R + l];
    lsq += add;
    badSq = 0;
    for (let t = 0; t < bad.length; t++) {
      const i = Math.floor(bad[t] / cols), j = bad[t] - i * cols;
      lBad[t] += a[k * rows + i] * b[k * cols + j];
      badSq += lBad[t] * lBad[t];
    }
    se[r] = Math.max(0, se0 - 2 * cross + lsq - badSq);
  }
  return se;
}

/** G[k, l] = x_k · x_l for the R rows (length len) of x, float64. */
function gram(x: Float32Array, R: number, len: number): Float64Array {
  const g = new Float64Array(R * R);
  for (let k = 0; k < R; k++) {
    for (let l = 0; l <= k; l++) {
      let s = 0;
      for (let j = 0, ko = k * len, lo = l * len; j < len; j++) s += x[ko + j] * x[lo + j];
      g[k * R + l] = s;
      g[l * R + k] = s;
    }
  }
  return g;
}

/** Ŵ'_r = f32(Ŵ + L_r) for one rank r ≤ lowRank.rank (L_r summed in float64). */
export function lorcApply(what: Float32Array, lowRank: LowRankFp16, r: number): Float32Array {
  const acc = new Float64Array(what.length);
  for (let k = 0; k < Math.min(r, lowRank.rank); k++) addRankOne(lowRank, k, acc);
  const out = new Float32Array(what.length);
  for (let i = 0; i < out.length; i++) out[i] = what[i] + Math.fround(acc[i]);
  return out;
}
