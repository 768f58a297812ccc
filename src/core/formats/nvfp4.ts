/**
 * NVFP4 (DOMAIN.md §3): FP4 E2M1 elements in blocks of 16 along the last axis,
 * an FP8 E4M3 scale per block and one float32 scale per tensor.
 *   g = f32(amax_tensor / 2688)                       (2688 = 448 · 6)
 *   s = e4m3(f32(f32(amax_block / 6) / g)),  S = f32(s · g)
 *   S == 0: the block is zeros;  else q = e2m1(f32(x / S)),  x̂ = f32(q · S).
 * Readings of the contract:
 *  - amax_tensor and amax_block are over FINITE elements; amax_tensor comes from
 *    ctx.tensorAmax when x is a row slice.
 *  - g == 0 (an all-zero tensor, or amax_tensor < 2688 · 2^−150 so the division
 *    underflows): every block is zeros; g is reported as 0.
 *  - the E4M3 cast of the block scale is RNE and saturates at 448 (no NaN).
 *  - in a zero block x̂ = ±0 with the sign of x (q = e2m1(±0)), ±Inf gives ±0,
 *    NaN stays NaN; no element of a zero block counts as saturated.
 *  - otherwise NaN stays NaN and ±Inf saturates to ±6 · S; `saturated` counts finite
 *    y with |y| > 6.
 */
import type { Tensor2D } from '../tensor.ts';
import type { QuantizeResult, QuantContext } from '../quant/types.ts';
import type { Rounding } from '../quant/options.ts';
import { FP4_E2M1, FP8_E4M3 } from './minifloat.ts';
import {
  blockLayout, elementMagic, finiteAmax, finiteAmaxBits, lastNonFinite, outputBuffer, scaledCastStochastic, u32View,
} from './blockCommon.ts';

export const NVFP4_BLOCK = 16;
/** 448 · 6: E4M3 max times E2M1 max */
export const NVFP4_TENSOR_DIVISOR = 2688;

const FP4 = elementMagic(FP4_E2M1);
const FP4_MAX_BITS = FP4.maxBits;
const amaxF = new Float32Array(1);
const amaxU = new Uint32Array(amaxF.buffer);

/** g = f32(amaxTensor / 2688) */
export function nvfp4TensorScale(amaxTensor: number): number {
  return Math.fround(amaxTensor / NVFP4_TENSOR_DIVISOR);
}

/** The E4M3 block scale s (a value) for a finite block amax and tensor scale g > 0. */
export function nvfp4BlockScale(amaxBlock: number, g: number): number {
  return FP8_E4M3.cast(Math.fround(Math.fround(amaxBlock / 6) / g));
}

/** Zero block: ±0 by the sign of x, NaN stays NaN. */
export function fillSignedZeros(src: Float32Array, dst: Float32Array, start: number, end: number): void {
  for (let i = start; i < end; i++) {
    const v = src[i];
    dst[i] = v === v ? (v < 0 || Object.is(v, -0) ? -0 : 0) : NaN;
  }
}

/**
 * castScaled (blockCommon.ts) with y = f32(x / S), a true division (not a
 * reciprocal multiply); same contract, counts include non-finite y.
 */
function fp4Block(src: Float32Array, dst: Float32Array, dstU: Uint32Array, start: number, end: number, S: number): number {
  const magic = FP4.magic;
  let sat = 0;
  for (let i = start; i < end; i++) {
    dst[i] = src[i] / S;
    const y = dst[i];
    const bits = dstU[i];
    sat += (FP4_MAX_BITS - (bits & 0x7fffffff)) >>> 31;
    const m = magic[(bits >>> 23) & 0xff];
    const yc = Math.min(Math.max(y, -6), 6);
    dst[i] = (yc + m - m) * S;
    dstU[i] |= bits & 0x80000000;
  }
  return sat;
}

export function quantizeNvfp4(
  x: Tensor2D, rounding: Rounding, seed: number, out?: Float32Array, ctx?: QuantContext,
): QuantizeResult {
  const { rows, cols, data } = x;
  const xhat = outputBuffer(data.length, out);
  const xU = u32View(data);
  const outU = u32View(xhat);
  const { blocksPerRow, nBlocks } = blockLayout(rows, cols, NVFP4_BLOCK);
  const saturatedPerBlock = new Uint16Array(nBlocks);
  const scales = new Float32Array(nBlocks);
  const g = nvfp4TensorScale(ctx?.tensorAmax ?? finiteAmax(data));
  const stochastic = rounding === 'stochastic';
  const rowOffset = ctx?.rowOffset ?? 0;
  let saturated = 0;
  let b = 0;
  for (let r = 0; r < rows; r++) {
    const rowStart = r * cols;
    for (let c0 = 0; c0 < cols; c0 += NVFP4_BLOCK, b++) {
      const start = rowStart + c0;
      const end = Math.min(start + NVFP4_BLOCK, rowStart + cols);
      amaxU[0] = finiteAmaxBits(xU, start, end);
      const nonFinite = lastNonFinite;
      const S = g === 0 ? 0 : Math.fround(nvfp4BlockScale(amaxF[0], g) * g);
      scales[b] = S;
      if (S === 0) {
        fillSignedZeros(data, xhat, start, end);
        continue;
      }
      const sat = stochastic
        ? scaledCastStochastic(FP4_E2M1, data, xhat, start, end, S, true, S, seed, (rowOffset + r) * cols + c0)
        : fp4Block(data, xhat, outU, start, end, S) - nonFinite;
      saturatedPerBlock[b] = sat;
      saturated += sat;
    }
  }
  return { xhat, saturated, saturatedPerBlock, blocksPerRow, scales, tensorScale: g };
}
