/**
 * SVDQuant (DOMAIN §5, `transform=svdquant:RANK[:ALPHA]`) for X [T, C], W [O, C]:
 *   1. smooth (smooth.ts, α default 0.5): s, X' = f32(X / s), W' = f32(W · s)
 *   2. the top-RANK singular triplets of W' (topSingular) → an fp16 branch L
 *      (lowRank.ts: factors fp16(σu), fp16(v); L = f32(Σ a_k b_kᵀ))
 *   3. R = f32(W' − L); Ŵ' = f32(L + Q_W(R)); X̂' = Q_X(X')
 *   4. Ŷ = X̂' · Ŵ'ᵀ (computed in the smoothed space, as the kernels do; it
 *      equals X̂Ŵᵀ up to float32 rounding) versus Y = X·Wᵀ.
 * Original-space tensors: X̂ = f32(X̂' · s), Ŵ = f32(Ŵ' / s).
 * The error-vs-rank curve reuses one decomposition at the largest rank asked
 * for (the branches are nested). Extra storage: RANK · (O + C) · 2 bytes.
 */
import type { Tensor2D } from '../tensor.ts';
import { matmulXWt } from '../linalg/matmul.ts';
import { topSingular } from '../linalg/topSingular.ts';
import { errorStats, type ErrorStats } from '../linalg/errorStats.ts';
import { subProgress, throwIfAborted, type LongRunOptions } from '../linalg/progress.ts';
import { addRankOne, lowRankBytes, lowRankFp16, type LowRankFp16 } from './lowRank.ts';
import { scaleColumns, smooth } from './smooth.ts';
import { checkPair, like, type Quantizer } from './types.ts';

export interface SvdQuantOptions extends LongRunOptions {
  /** smoothing α (default 0.5) */
  alpha?: number;
  /** ranks of the error-vs-rank curve (default 0, 1, 2, 4, … below RANK, and RANK) */
  curveRanks?: readonly number[];
  /** topSingular: power iterations, sketch seed */
  iters?: number;
  seed?: number;
}

export interface RankPoint {
  rank: number;
  /** Ŷ versus Y = X·Wᵀ */
  matmul: ErrorStats;
  /** Ŵ versus W (original space) */
  weight: ErrorStats;
}

export interface SvdQuantResult {
  rank: number;
  alpha: number;
  scales: Float32Array;
  /** top singular values of W' (as many as the largest curve rank), descending */
  singularValues: Float64Array;
  /** ‖W'‖_F² (float64), for the energy fraction Σσ²/‖W'‖² */
  wPrimeFrobSq: number;
  lowRank: LowRankFp16;
  /** X̂, Ŵ in the original space; Ŷ [T, O] */
  xhat: Float32Array;
  what: Float32Array;
  yhat: Float32Array;
  matmul: ErrorStats;
  weight: ErrorStats;
  /** one point per curve rank, ascending */
  curve: RankPoint[];
  /** RANK · (O + C) · 2 */
  extraBytes: number;
}

export function defaultCurveRanks(rank: number): number[] {
  const out = [0];
  for (let r = 1; r < rank; r *= 2) out.push(r);
  if (rank > 0) out.push(rank);
  return out;
}

export function svdQuant(
  x: Tensor2D, w: Tensor2D, rank: number, quantizeX: Quantizer, quantizeW: Quantizer, opts: SvdQuantOptions = {},
): SvdQuantResult {
  checkPair(x, w, `svdquant:${rank}`);
  const maxRank = Math.min(w.rows, w.cols);
  if (!Number.isInteger(rank) || rank < 0 || rank > maxRank) {
    throw new Error(`svdquant:${rank} needs a rank from 0 to min(out, in) = ${maxRank}`);
  }
  const alpha = opts.alpha ?? 0.5;
  const ranks = [...new Set([...(opts.curveRanks ?? defaultCurveRanks(rank)), rank])]
    .filter((r) => Number.isInteger(r) && r >= 0 && r <= maxRank)
    .sort((a, b) => a - b);
  const topRank = ranks[ranks.length - 1];
  const { O, C } = { O: w.rows, C: w.cols };

  const y = matmulXWt(x, w, subProgress(opts, 0, 0.1));
  const sm = smooth(x, w, alpha);
  const wp = like(sm.wPrime, O, C);
  const xqPrime = quantizeX(like(sm.xPrime, x.rows, C));
  throwIfAborted(opts.signal);
  const svd = topRank > 0
    ? topSingular(wp, topRank, { iters: opts.iters, seed: opts.seed, ...subProgress(opts, 0.1, 0.4) })
    : { u: new Float64Array(0), s: new Float64Array(0), v: new Float64Array(0), m: O, n: C, p: 0 };
  const lowRank = lowRankFp16(svd, topRank);
  let frob = 0;
  for (let i = 0; i < sm.wPrime.length; i++) frob += sm.wPrime[i] * sm.wPrime[i];

  const acc = new Float64Array(O * C);
  const lDense = new Float32Array(O * C);
  const resid = new Float32Array(O * C);
  const curve: RankPoint[] = [];
  let main: { what: Float32Array; yhat: Float32Array; point: RankPoint } | null = null;
  let have = 0;
  for (let p = 0; p < ranks.length; p++) {
    const r = ranks[p];
    for (; have < Math.min(r, lowRank.rank); have++) addRankOne(lowRank, have, acc);
    for (let i = 0; i < acc.length; i++) {
      lDense[i] = acc[i];
      resid[i] = sm.wPrime[i] - lDense[i];
    }
    const rq = quantizeW(like(resid, O, C));
    const whatPrime = new Float32Array(O * C);
    for (let i = 0; i < whatPrime.length; i++) whatPrime[i] = lDense[i] + rq[i];
    const yhat = matmulXWt(like(xqPrime, x.rows, C), like(whatPrime, O, C), subProgress(opts, 0.5 + (0.5 * p) / ranks.length, 0.5 / ranks.length));
    const what = scaleColumns(whatPrime, sm.scales, 'div');
    const point: RankPoint = { rank: r, matmul: errorStats(y, yhat), weight: errorStats(w.data, what) };
    curve.push(point);
    if (r === rank) main = { what, yhat, point };
  }
  opts.onProgress?.(1);
  return {
    rank, alpha, scales: sm.scales,
    singularValues: svd.s, wPrimeFrobSq: frob, lowRank,
    xhat: scaleColumns(xqPrime, sm.scales, 'mul'),
    what: main!.what, yhat: main!.yhat,
    matmul: main!.point.matmul, weight: main!.point.weight,
    curve, extraBytes: lowRankBytes(rank, O, C),
  };
}
