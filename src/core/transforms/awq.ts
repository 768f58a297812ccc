/**
 * AWQ, weight-only (DOMAIN §5, `transform=awq[:ALPHA]`), for X [T, C], W [O, C]:
 *   a_j = f32(mean_t |X[t, j]|)         (sum in float64 over finite elements, one rounding)
 *   s_j = max(powF32(a_j, α), f32(1e-4))
 *   s   = f32(s / f32(sqrt(f32(max(s) · min(s)))))   (numpy float32 ops, in that order)
 *   W' = f32(W · s), X' = f32(X / s); only W' is quantized: Ŷ = X' · Q(W')ᵀ,
 *   Ŵ = f32(Q(W') / s) in the original space.
 * The matmul error is MSE(Ŷ, Y) with Y = X·Wᵀ (both float32 outputs of
 * matmulXWt, difference and mean in float64).
 * `awq` alone searches α over {i/20 : i = 0…20} and keeps the smallest MSE
 * (the first α on ties).
 */
import type { Tensor2D } from '../tensor.ts';
import { matmulXWt } from '../linalg/matmul.ts';
import { subProgress, throwIfAborted, type LongRunOptions } from '../linalg/progress.ts';
import { powF32 } from './pow.ts';
import { checkAlpha, scaleColumns } from './smooth.ts';
import { checkPair, like, type Quantizer } from './types.ts';

export const AWQ_ALPHAS: readonly number[] = Array.from({ length: 21 }, (_, i) => i / 20);

/** a_j = mean |X[:, j]| (float32, finite elements only). */
export function meanAbsColumns(x: Tensor2D): Float32Array {
  const { data, rows, cols } = x;
  const sum = new Float64Array(cols);
  const cnt = new Uint32Array(cols);
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    for (let j = 0; j < cols; j++) {
      const a = Math.abs(data[o + j]);
      if (a !== Infinity && a === a) { sum[j] += a; cnt[j]++; }
    }
  }
  const out = new Float32Array(cols);
  for (let j = 0; j < cols; j++) out[j] = cnt[j] ? sum[j] / cnt[j] : 0;
  return out;
}

const FLOOR = Math.fround(1e-4);

/** AWQ scales s [C] from the channel means a (float32) and α. */
export function awqScalesFromMeans(a: Float32Array, alpha: number): Float32Array {
  checkAlpha(alpha, 'awq');
  const s = new Float32Array(a.length);
  let mx = -Infinity, mn = Infinity;
  for (let j = 0; j < a.length; j++) {
    const v = Math.max(powF32(a[j], alpha), FLOOR);
    s[j] = v;
    if (v > mx) mx = v;
    if (v < mn) mn = v;
  }
  const norm = Math.fround(Math.sqrt(Math.fround(mx * mn)));
  for (let j = 0; j < s.length; j++) s[j] = s[j] / norm;
  return s;
}

export interface AwqResult {
  alpha: number;
  /** s [C] */
  scales: Float32Array;
  /** W' = f32(W · s) */
  wPrime: Float32Array;
  /** Q(W') */
  wqPrime: Float32Array;
  /** X' = f32(X / s) (unquantized) */
  xPrime: Float32Array;
  /** Ŵ = f32(Q(W') / s), original space */
  what: Float32Array;
  /** Ŷ = X' · Q(W')ᵀ [T, O] */
  yhat: Float32Array;
  /** MSE(Ŷ, X·Wᵀ) */
  mse: number;
}

/** AWQ at a fixed α. `y` = X·Wᵀ may be passed in to save one matmul. */
export function awqApply(
  x: Tensor2D, w: Tensor2D, alpha: number, quantizeW: Quantizer,
  opts: LongRunOptions & { y?: Float32Array; means?: Float32Array } = {},
): AwqResult {
  checkPair(x, w, `awq:${alpha}`);
  const y = opts.y ?? matmulXWt(x, w, subProgress(opts, 0, 0.5));
  const scales = awqScalesFromMeans(opts.means ?? meanAbsColumns(x), alpha);
  const wPrime = scaleColumns(w.data, scales, 'mul');
  const xPrime = scaleColumns(x.data, scales, 'div');
  throwIfAborted(opts.signal);
  const wqPrime = quantizeW(like(wPrime, w.rows, w.cols));
  const yhat = matmulXWt(like(xPrime, x.rows, x.cols), like(wqPrime, w.rows, w.cols), subProgress(opts, opts.y ? 0 : 0.5, opts.y ? 1 : 0.5));
  return { alpha, scales, wPrime, wqPrime, xPrime, what: scaleColumns(wqPrime, scales, 'div'), yhat, mse: mseF32(y, yhat) };
}

export interface AwqSearchResult {
  alphas: number[];
  /** matmul MSE per α, same order as `alphas` */
  mse: Float64Array;
  /** the α with the smallest MSE (first on ties) */
  bestAlpha: number;
  /** the full result at bestAlpha */
  best: AwqResult;
}

/** Search α (default {0, 0.05, …, 1}) for the smallest matmul MSE. */
export function awqSearch(
  x: Tensor2D, w: Tensor2D, quantizeW: Quantizer,
  opts: LongRunOptions & { alphas?: readonly number[] } = {},
): AwqSearchResult {
  checkPair(x, w, 'awq');
  const alphas = [...(opts.alphas ?? AWQ_ALPHAS)];
  if (alphas.length === 0) throw new Error('awq search needs at least one α between 0 and 1');
  const steps = alphas.length + 1;
  const y = matmulXWt(x, w, subProgress(opts, 0, 1 / steps));
  const means = meanAbsColumns(x);
  const mse = new Float64Array(alphas.length);
  let best: AwqResult | null = null;
  for (let k = 0; k < alphas.length; k++) {
    const r = awqApply(x, w, alphas[k], quantizeW, { ...subProgress(opts, (k + 1) / steps, 1 / steps), y, means });
    mse[k] = r.mse;
    if (!best || r.mse < best.mse) best = r;
  }
  return { alphas, mse, bestAlpha: best!.alpha, best: best! };
}

/** mean((b − a)²) in float64 over pairs where both are finite. */
export function mseF32(a: Float32Array, b: Float32Array): number {
  let s = 0, n = 0;
  for (let i = 0; i < a.length; i++) {
    const d = b[i] - a[i];
    if (Number.isFinite(d)) { s += d * d; n++; }
  }
  return n ? s / n : 0;
}
