/**
 * Shared pieces of the block-format quantizers (DOMAIN.md §3 block table):
 * finite block amax, the allocation-free "scale, cast, unscale" kernel for
 * minifloat elements, and result allocation. Arrays are row-major over the
 * 2-D view [rows, cols]; blocks run along the last axis and never cross rows.
 */
import type { Minifloat } from './minifloat.ts';
import { minifloatStochastic, scaledStochasticKernel } from './stochasticKernels.ts';

/**
 * Non-finite (NaN/±Inf) elements seen by the last finiteAmaxBits call: the
 * kernels count |y| > max on the raw bits and subtract these.
 */
export let lastNonFinite = 0;

/** Magnitude bits of the largest finite |x[i]|, i in [start, end) (NaN/±Inf skipped; 0 when none). */
export function finiteAmaxBits(xU: Uint32Array, start: number, end: number): number {
  let m = 0;
  let nonFinite = 0;
  for (let i = start; i < end; i++) {
    const a = xU[i] & 0x7fffffff;
    const bad = (0x7f7fffff - a) >>> 31; // 1 for NaN/±Inf (branch-free: data-dependent branches mispredict)
    nonFinite += bad;
    m = Math.max(m, a & (bad - 1));
  }
  lastNonFinite = nonFinite;
  return m;
}

/** Finite absmax of a whole array as a float32 value (0 when nothing is finite). */
export function finiteAmax(x: Float32Array): number {
  const u = new Uint32Array(x.buffer, x.byteOffset, x.length);
  const f = new Float32Array(1);
  new Uint32Array(f.buffer)[0] = finiteAmaxBits(u, 0, x.length);
  return f[0];
}

export const u32View = (a: Float32Array): Uint32Array => new Uint32Array(a.buffer, a.byteOffset, a.length);

/** Constants of one minifloat element for the block kernels' cast (built once per format). */
export interface ElementMagic {
  /**
   * magic[f] for a float32 exponent field f: 1.5·2^52·q with q the element's
   * spacing in that binade (the subnormal spacing below the normal range, the
   * spacing at max above it, where y has been clamped to ±max). In float64,
   * y + m − m rounds y to a multiple of q, ties to even.
   */
  magic: Float64Array;
  max: number;
  maxBits: number;
}

export function elementMagic(mf: Minifloat): ElementMagic {
  const { manBits, bias, max } = mf.spec;
  const minNormalExp = 1 - bias;
  const emax = Math.floor(Math.log2(max));
  const magic = new Float64Array(256);
  for (let f = 0; f < 256; f++) {
    const e = Math.min(Math.max(f - 127, minNormalExp), emax);
    magic[f] = 1.5 * 2 ** 52 * 2 ** (e - manBits);
  }
  return { magic, max, maxBits: new Uint32Array(new Float32Array([max]).buffer)[0] };
}

/*
 * The RNE element cast of the block kernels (mx.ts, nvfp4.ts) — "the castScaled
 * contract": y = f32(x · 2^−E) or f32(x / S); q = y rounded with
 * y + magic − magic (ties to even) after clamping |y| to max (±Inf saturates,
 * NaN stays NaN, a negative y that rounds to zero gives −0), exactly
 * Minifloat.cast; x̂ = f32(q · scale). Saturated counts finite x with |y| > max.
 */

/**
 * Stochastic twin of the castScaled contract above (counts only finite |y| > max) (DOMAIN.md §4): the element at flat index
 * `flatStart + (i − start)` uses draw mulberry32At(seed, that index). The loop is
 * compiled once per element format (stochasticKernels.ts); hot callers fetch it
 * once with scaledStochasticKernel(minifloatStochastic(mf)) instead.
 */
export function scaledCastStochastic(
  mf: Minifloat, src: Float32Array, dst: Float32Array, start: number, end: number,
  scaleIn: number, divide: boolean, mulOut: number, seed: number, flatStart: number,
): number {
  return scaledStochasticKernel(minifloatStochastic(mf))(src, dst, start, end, scaleIn, divide, mulOut, seed, flatStart);
}

/** Blocks per row and the per-block arrays every block result carries. */
export function blockLayout(rows: number, cols: number, blockSize: number): { blocksPerRow: number; nBlocks: number } {
  const blocksPerRow = Math.ceil(cols / blockSize);
  return { blocksPerRow, nBlocks: rows * blocksPerRow };
}

export function outputBuffer(n: number, out?: Float32Array): Float32Array {
  if (!out) return new Float32Array(n);
  if (out.length !== n) throw new Error(`the output buffer holds ${out.length} values but the tensor has ${n}; pass a buffer of the same length`);
  return out;
}
