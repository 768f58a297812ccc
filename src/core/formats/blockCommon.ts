/**
 * Shared pieces of the block-format quantizers (DOMAIN.md §3 block table):
 * finite block amax, the allocation-free "scale, cast, unscale" kernel for
 * minifloat elements, and result allocation. Arrays are row-major over the
 * 2-D view [rows, cols]; blocks run along the last axis and never cross rows.
 */
import type { Minifloat } from './minifloat.ts';
import { mulberry32At, drawToUnit } from '../rng.ts';

/** Magnitude bits of the largest finite |x[i]|, i in [start, end) (NaN/±Inf skipped; 0 when none). */
export function finiteAmaxBits(xU: Uint32Array, start: number, end: number): number {
  let m = 0;
  for (let i = start; i < end; i++) {
    const a = xU[i] & 0x7fffffff;
    if (a > m && a < 0x7f800000) m = a;
  }
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

/**
 * dst[i] = f32(cast(y) · mulOut) with y = f32(src[i] · scaleIn) (or f32(src[i] / scaleIn)
 * when `divide`), for i in [start, end); src may alias dst. The cast is RNE with
 * saturation to ±max (±Inf saturates too, NaN stays NaN), exactly Minifloat.cast.
 * Returns how many finite y had |y| > max (DOMAIN.md §6 "saturated").
 */
export type ScaledCast = (
  src: Float32Array, dst: Float32Array, dstU: Uint32Array,
  start: number, end: number, scaleIn: number, divide: boolean, mulOut: number,
) => number;

export function makeScaledCast(mf: Minifloat): ScaledCast {
  const { manBits, bias, max } = mf.spec;
  const shift = 23 - manBits;
  const roundHalf = (1 << (shift - 1)) - 1;
  const keepMask = ~((1 << shift) - 1) >>> 0;
  const minNormalBits = (1 - bias + 127) << 23;
  const subMagic = 2 ** (1 - bias - manBits) * 2 ** 52;
  const f = new Float32Array([max]);
  const maxBits = new Uint32Array(f.buffer)[0];
  return (src, dst, dstU, start, end, scaleIn, divide, mulOut) => {
    let sat = 0;
    for (let i = start; i < end; i++) {
      dst[i] = divide ? src[i] / scaleIn : src[i] * scaleIn; // the store rounds y to float32
      const bits = dstU[i];
      const sign = bits & 0x80000000;
      let a = bits & 0x7fffffff;
      if (a >= minNormalBits) {
        if (a > maxBits) {
          if (a > 0x7f800000) continue; // NaN stays NaN
          if (a < 0x7f800000) sat++;
          a = maxBits;
        } else {
          a = (a + roundHalf + ((a >>> shift) & 1)) & keepMask;
        }
        dstU[i] = (a | sign) >>> 0;
      } else {
        const r = Math.abs(dst[i]) + subMagic - subMagic; // RNE onto the subnormal grid
        dst[i] = sign ? -r : r;
      }
      dst[i] = dst[i] * mulOut;
    }
    return sat;
  };
}

/**
 * Stochastic twin of ScaledCast (DOMAIN.md §4): the element at flat index
 * `flatStart + (i − start)` uses draw mulberry32At(seed, that index).
 */
export function scaledCastStochastic(
  mf: Minifloat, src: Float32Array, dst: Float32Array, start: number, end: number,
  scaleIn: number, divide: boolean, mulOut: number, seed: number, flatStart: number,
): number {
  const max = mf.spec.max;
  let sat = 0;
  for (let i = start; i < end; i++) {
    const y = Math.fround(divide ? src[i] / scaleIn : src[i] * scaleIn);
    if (Math.abs(y) > max && Math.abs(y) < Infinity) sat++;
    const u = drawToUnit(mulberry32At(seed, flatStart + (i - start)));
    dst[i] = mf.castStochastic(y, u) * mulOut;
  }
  return sat;
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
