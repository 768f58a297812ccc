/**
 * Y = X · Wᵀ for X [T, C] and W [O, C] (both row-major float32; DOMAIN §1
 * layouts: activations [tokens, channels], weights [out, in]), accumulated in
 * float64 and rounded once to float32 per output element. Y is [T, O].
 *
 * Because both operands are row-major along C, every output is a dot product
 * of two contiguous rows. Loop order (cache blocking):
 *   row panels of RB rows of X (converted to float64 once, ≤ RB·C·8 bytes)
 *     → chunks of KC channels → quads of W rows → 4×4 register tile of X rows.
 * The partial sums of each KC chunk are added into a float64 accumulator, so
 * the summation order is: within a chunk left to right, then chunk by chunk.
 * Any float64 order agrees with numpy's `(X.astype(f64) @ W.astype(f64).T)
 * .astype(f32)` except when the float64 result lies within rounding noise of
 * a float32 rounding boundary (about 2^-29 of outputs).
 *
 * Throughput ≈ 1.5–2 GMAC/s single-threaded (scalar JS, V8); the WebAssembly
 * SIMD kernel (rowProductsSimd.ts matmulRowsSimd) does the rows in fours where
 * it runs, in the same order (same bits). Callers with several workers can
 * split the rows with `rowStart`/`rowEnd`.
 */
import type { Tensor2D } from '../tensor.ts';
import { throwIfAborted, type LongRunOptions } from './progress.ts';
import { matmulRowsSimd } from './rowProductsSimd.ts';

const RB = 32;
const KC = 512;

export interface MatmulOptions extends LongRunOptions {
  /** first row of X to compute (default 0) */
  rowStart?: number;
  /** one past the last row of X to compute (default X.rows) */
  rowEnd?: number;
  /** output [rowEnd − rowStart, O] row-major; allocated when absent */
  out?: Float32Array;
}

/** Y = X·Wᵀ as float32 [T, O] (float64 accumulation). */
export function matmulXWt(x: Tensor2D, w: Tensor2D, opts: MatmulOptions = {}): Float32Array {
  if (x.cols !== w.cols) {
    throw new Error(
      `the activation has ${x.cols} channels but the weight has ${w.cols} input features; X [tokens, C] and W [out, C] must share the last axis`,
    );
  }
  const C = x.cols;
  const O = w.rows;
  const r0 = opts.rowStart ?? 0;
  const r1 = opts.rowEnd ?? x.rows;
  const out = opts.out ?? new Float32Array((r1 - r0) * O);
  const X = x.data;
  const W = w.data;
  // the kernel of rowProductsSimd.ts takes the rows in fours, with this function's bits
  const simdRows = matmulRowsSimd(X, W, C, O, r0, r1, KC, out, opts);
  const xp = new Float64Array(RB * C);
  const acc = new Float64Array(RB * O);
  for (let p0 = r0 + simdRows; p0 < r1; p0 += RB) {
    throwIfAborted(opts.signal);
    const nr = Math.min(RB, r1 - p0);
    xp.set(X.subarray(p0 * C, p0 * C + nr * C)); // float32 → float64, exact
    acc.fill(0, 0, nr * O);
    for (let c0 = 0; c0 < C; c0 += KC) {
      accumulateBlock(xp, W, acc, nr, C, O, c0, Math.min(C, c0 + KC));
    }
    out.set(acc.subarray(0, nr * O), (p0 - r0) * O); // float64 → float32, round to nearest as an assignment does
    opts.onProgress?.((p0 + nr - r0) / (r1 - r0));
  }
  return out;
}

/**
 * acc[i·O + o] += Σ_{c0 ≤ c < c1} xp[i·C + c] · W[o·C + c] for rows i < nr of the packed block xp
 * (float64) and every output o, in tiles of 4 rows × 4 outputs. Each tile's k loop is a function
 * of its own: nested in one function, V8 ran the loops in on-stack-replaced code that it
 * deoptimized at every exit of an inner loop (~250–900 deopts per 4096² matmul in Chromium).
 */
function accumulateBlock(xp: Float64Array, W: Float32Array, acc: Float64Array, nr: number, C: number, O: number, c0: number, c1: number): void {
  let o = 0;
  for (; o + 3 < O; o += 4) {
    let i = 0;
    for (; i + 3 < nr; i += 4) tile4x4(xp, W, acc, i * C, o * C, C, i * O + o, O, c0, c1);
    for (; i < nr; i++) tile1x4(xp, W, acc, i * C, o * C, C, i * O + o, c0, c1);
  }
  for (; o < O; o++) {
    for (let i = 0; i < nr; i++) acc[i * O + o] += dot(xp, W, i * C, o * C, c0, c1);
  }
}

/** acc[y + r·O + k] += Σ_c xp[xa + r·C + c] · W[w0 + k·C + c] for r, k < 4 (rows of xp, outputs of W). */
function tile4x4(xp: Float64Array, W: Float32Array, acc: Float64Array, xa: number, w0: number, C: number, y: number, O: number, c0: number, c1: number): void {
  const w1 = w0 + C, w2 = w1 + C, w3 = w2 + C;
  const xb = xa + C, xc = xb + C, xd = xc + C;
  let a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
  let e0 = 0, e1 = 0, e2 = 0, e3 = 0, d0 = 0, d1 = 0, d2 = 0, d3 = 0;
  for (let c = c0; c < c1; c++) {
    const v0 = W[w0 + c], v1 = W[w1 + c], v2 = W[w2 + c], v3 = W[w3 + c];
    let t = xp[xa + c];
    a0 += t * v0; a1 += t * v1; a2 += t * v2; a3 += t * v3;
    t = xp[xb + c];
    b0 += t * v0; b1 += t * v1; b2 += t * v2; b3 += t * v3;
    t = xp[xc + c];
    e0 += t * v0; e1 += t * v1; e2 += t * v2; e3 += t * v3;
    t = xp[xd + c];
    d0 += t * v0; d1 += t * v1; d2 += t * v2; d3 += t * v3;
  }
  acc[y] += a0; acc[y + 1] += a1; acc[y + 2] += a2; acc[y + 3] += a3; y += O;
  acc[y] += b0; acc[y + 1] += b1; acc[y + 2] += b2; acc[y + 3] += b3; y += O;
  acc[y] += e0; acc[y + 1] += e1; acc[y + 2] += e2; acc[y + 3] += e3; y += O;
  acc[y] += d0; acc[y + 1] += d1; acc[y + 2] += d2; acc[y + 3] += d3;
}

/** acc[y + k] += Σ_c xp[xa + c] · W[w0 + k·C + c] for k < 4. */
function tile1x4(xp: Float64Array, W: Float32Array, acc: Float64Array, xa: number, w0: number, C: number, y: number, c0: number, c1: number): void {
  const w1 = w0 + C, w2 = w1 + C, w3 = w2 + C;
  let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
  for (let c = c0; c < c1; c++) {
    const t = xp[xa + c];
    a0 += t * W[w0 + c]; a1 += t * W[w1 + c]; a2 += t * W[w2 + c]; a3 += t * W[w3 + c];
  }
  acc[y] += a0; acc[y + 1] += a1; acc[y + 2] += a2; acc[y + 3] += a3;
}

/** Σ_{c0 ≤ c < c1} xp[xa + c] · W[w0 + c] (float64) */
function dot(xp: Float64Array, W: Float32Array, xa: number, w0: number, c0: number, c1: number): number {
  let a = 0;
  for (let c = c0; c < c1; c++) a += xp[xa + c] * W[w0 + c];
  return a;
}
