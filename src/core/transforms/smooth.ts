/**
 * SmoothQuant (DOMAIN §5, `transform=smooth:ALPHA`) for an activation X [T, C]
 * and a weight W [O, C]:
 *   mx_j = max_t |X[t, j]|, mw_j = max_o |W[o, j]|   (float32, exact; non-finite
 *                                                    elements are skipped)
 *   s_j  = f32( powF32(mx_j, α) / powF32(mw_j, 1 − α) ), s_j = 1 where mx_j or mw_j is 0
 *   X' = f32(X / s), W' = f32(W · s)            (per column j)
 *   X̂ = f32(Q(X') · s), Ŵ = f32(Q(W') / s)      (reconstruction in the original space)
 * `1 − α` is formed in float64 (like Python's `1 - a`) before powF32 rounds it
 * to float32; see pow.ts for the float32-power reading.
 */
import type { Tensor2D } from '../tensor.ts';
import { powF32 } from './pow.ts';
import { checkPair, like, type Quantizer } from './types.ts';

/** max |x[:, j]| over finite elements, per column (float32 values). */
export function columnAbsMax(x: Tensor2D): Float32Array {
  const { data, rows, cols } = x;
  const m = new Float32Array(cols);
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    for (let j = 0; j < cols; j++) {
      const a = Math.abs(data[o + j]);
      if (a > m[j] && a !== Infinity) m[j] = a;
    }
  }
  return m;
}

/** SmoothQuant scales s [C] (float32). */
export function smoothScales(x: Tensor2D, w: Tensor2D, alpha = 0.5): Float32Array {
  checkPair(x, w, `smooth:${alpha}`);
  checkAlpha(alpha, 'smooth');
  return smoothScalesFrom(columnAbsMax(x), columnAbsMax(w), alpha);
}

/** s from the column absmax of X and W (columnAbsMax), for callers that keep those between α values. */
export function smoothScalesFrom(mx: Float32Array, mw: Float32Array, alpha: number): Float32Array {
  checkAlpha(alpha, 'smooth');
  if (mx.length !== mw.length) throw new Error(`smooth:${alpha} needs X and W with the same number of columns (${mx.length} vs ${mw.length})`);
  const s = new Float32Array(mx.length);
  const beta = 1 - alpha;
  for (let j = 0; j < s.length; j++) {
    s[j] = mx[j] === 0 || mw[j] === 0 ? 1 : powF32(mx[j], alpha) / powF32(mw[j], beta);
  }
  return s;
}

/** f32(x[:, j] / s[j]) (op 'div') or f32(x[:, j] · s[j]) (op 'mul'), row-major [rows, s.length]. */
export function scaleColumns(data: Float32Array, s: Float32Array, op: 'div' | 'mul', out = new Float32Array(data.length)): Float32Array {
  const cols = s.length;
  for (let o = 0; o < data.length; o += cols) {
    if (op === 'div') for (let j = 0; j < cols; j++) out[o + j] = data[o + j] / s[j];
    else for (let j = 0; j < cols; j++) out[o + j] = data[o + j] * s[j];
  }
  return out;
}

export interface SmoothResult {
  /** per-channel scales s [C] */
  scales: Float32Array;
  /** X' = f32(X / s) [T, C] */
  xPrime: Float32Array;
  /** W' = f32(W · s) [O, C] */
  wPrime: Float32Array;
}

/** X' and W' of SmoothQuant (no quantization). */
export function smooth(x: Tensor2D, w: Tensor2D, alpha = 0.5): SmoothResult {
  const scales = smoothScales(x, w, alpha);
  return { scales, xPrime: scaleColumns(x.data, scales, 'div'), wPrime: scaleColumns(w.data, scales, 'mul') };
}

export interface SmoothQuantResult extends SmoothResult {
  /** X̂ = f32(Q(X') · s), original space */
  xhat: Float32Array;
  /** Ŵ = f32(Q(W') / s), original space */
  what: Float32Array;
  /** Q(X') and Q(W'): the quantized tensors in the transformed space */
  xqPrime: Float32Array;
  wqPrime: Float32Array;
}

/** Smooth, quantize X' with `quantizeX` and W' with `quantizeW`, and map back. */
export function smoothQuantize(x: Tensor2D, w: Tensor2D, alpha: number, quantizeX: Quantizer, quantizeW: Quantizer): SmoothQuantResult {
  const r = smooth(x, w, alpha);
  const xqPrime = quantizeX(like(r.xPrime, x.rows, x.cols));
  const wqPrime = quantizeW(like(r.wPrime, w.rows, w.cols));
  return {
    ...r,
    xqPrime,
    wqPrime,
    xhat: scaleColumns(xqPrime, r.scales, 'mul'),
    what: scaleColumns(wqPrime, r.scales, 'div'),
  };
}

export function checkAlpha(alpha: number, name: string): void {
  if (!(alpha >= 0 && alpha <= 1)) throw new Error(`${name} needs α between 0 and 1 (e.g. ${name}:0.5), got ${alpha}`);
}
