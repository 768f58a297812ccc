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
  blockLayout, elementMagic, finiteAmax, finiteAmaxBits, outputBuffer, u32View,
} from './blockCommon.ts';
import { specialize } from '../specialize.ts';
import { minifloatStochastic, scaledStochasticKernel } from './stochasticKernels.ts';
import { nvfp4RneSimd, nvfp4ScalesSimd } from './nvfp4Simd.ts';
import { stochasticRunsSimd, stochasticSimdAvailable } from './stochasticSimd.ts';

export const NVFP4_BLOCK = 16;
/** 448 · 6: E4M3 max times E2M1 max */
export const NVFP4_TENSOR_DIVISOR = 2688;

const FP4 = elementMagic(FP4_E2M1);
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
  if (!stochastic) {
    // whole blocks per row: the blocks are consecutive runs of 16, which the SIMD kernel takes
    if (cols % NVFP4_BLOCK === 0) {
      const sat = nvfp4RneSimd(data, xhat, g, scales, saturatedPerBlock);
      if (sat >= 0) return { xhat, saturated: sat, saturatedPerBlock, blocksPerRow, scales, tensorScale: g };
    }
    const kernel = rowKernel();
    for (let r = 0, b = 0; r < rows; r++, b += blocksPerRow) {
      saturated += kernel(data, xU, xhat, outU, r * cols, cols, b, g, scales, saturatedPerBlock);
    }
    return { xhat, saturated, saturatedPerBlock, blocksPerRow, scales, tensorScale: g };
  }
  if (cols % NVFP4_BLOCK === 0 && stochasticSimdAvailable()) {
    const n = rows * cols;
    saturated = stochasticSimdBlocks(data.subarray(0, n), xhat.subarray(0, n), g, seed, rowOffset * cols, scales, saturatedPerBlock);
    return { xhat, saturated, saturatedPerBlock, blocksPerRow, scales, tensorScale: g };
  }
  const castKernel = scaledStochasticKernel(minifloatStochastic(FP4_E2M1)); // blockCommon.ts's scaledCastStochastic
  let b = 0;
  for (let r = 0; r < rows; r++) {
    const rowStart = r * cols;
    for (let c0 = 0; c0 < cols; c0 += NVFP4_BLOCK, b++) {
      const start = rowStart + c0;
      const end = Math.min(start + NVFP4_BLOCK, rowStart + cols);
      amaxU[0] = finiteAmaxBits(xU, start, end);
      const S = g === 0 ? 0 : Math.fround(nvfp4BlockScale(amaxF[0], g) * g);
      scales[b] = S;
      if (S === 0) {
        fillSignedZeros(data, xhat, start, end);
        continue;
      }
      const sat = castKernel(data, xhat, start, end, S, true, S, seed, (rowOffset + r) * cols + c0);
      saturatedPerBlock[b] = sat;
      saturated += sat;
    }
  }
  return { xhat, saturated, saturatedPerBlock, blocksPerRow, scales, tensorScale: g };
}

/**
 * Stochastic NVFP4 of whole blocks (data.length a multiple of 16) in
 * WebAssembly SIMD, the same bits as the block loop of quantizeNvfp4: the
 * RNE kernel's block scales, then every cast with the stochastic kernel
 * (y = f32(x / S), x̂ = f32(cast(y) · S), draws at flat indices from
 * drawStart). Zero blocks (S = 0) are cast too and then set to ±0 by the sign
 * of x, saved first since xhat may alias data; the kernel counts none of
 * their elements as saturated (y is ±Inf or NaN). Returns the saturated count.
 */
function stochasticSimdBlocks(
  data: Float32Array, xhat: Float32Array, g: number, seed: number, drawStart: number,
  scales: Float32Array, saturatedPerBlock: Uint16Array,
): number {
  const nBlocks = data.length / NVFP4_BLOCK;
  if (!nvfp4ScalesSimd(data, g, scales)) {
    const xU = u32View(data);
    for (let b = 0; b < nBlocks; b++) {
      amaxU[0] = finiteAmaxBits(xU, b * NVFP4_BLOCK, (b + 1) * NVFP4_BLOCK);
      scales[b] = g === 0 ? 0 : Math.fround(nvfp4BlockScale(amaxF[0], g) * g);
    }
  }
  const zeroBlocks: number[] = [];
  for (let b = 0; b < nBlocks; b++) if (scales[b] === 0) zeroBlocks.push(b);
  const zeroX = new Float32Array(zeroBlocks.length * NVFP4_BLOCK);
  zeroBlocks.forEach((b, k) => zeroX.set(data.subarray(b * NVFP4_BLOCK, (b + 1) * NVFP4_BLOCK), k * NVFP4_BLOCK));
  const saturated = stochasticRunsSimd(minifloatStochastic(FP4_E2M1), {
    src: data, dst: xhat, start: 0, nRuns: nBlocks, width: NVFP4_BLOCK, sIn: scales, mulOut: scales, sAt: 0,
    divide: true, seed, drawStart, satOnY: true, satPerRun: saturatedPerBlock, rewrites: zeroBlocks.length > 0,
  });
  zeroBlocks.forEach((b, k) => fillSignedZeros(
    zeroX.subarray(k * NVFP4_BLOCK, (k + 1) * NVFP4_BLOCK), xhat.subarray(b * NVFP4_BLOCK, (b + 1) * NVFP4_BLOCK), 0, NVFP4_BLOCK,
  ));
  return saturated;
}

/**
 * RNE quantization of one row of NVFP4 blocks given the tensor scale g: per
 * block the finite amax, s = e4m3(f32(f32(amax / 6) / g)) (RNE, saturating at
 * 448), S = f32(s · g), then y = f32(x / S) (a true division), e2m1(y)·S with
 * the castScaled contract (blockCommon.ts); a block with S = 0 gives signed
 * zeros. Fills scales and saturated counts (finite |y| > 6); returns the row's count.
 */
type NvRowKernel = (
  x: Float32Array, xU: Uint32Array, out: Float32Array, outU: Uint32Array, rowStart: number, cols: number,
  b: number, g: number, scales: Float32Array, saturatedPerBlock: Uint16Array,
) => number;

let nvRowKernel: NvRowKernel | undefined;
function rowKernel(): NvRowKernel {
  nvRowKernel ??= specialize(nvRowTemplate, FP4.magic, FP4.maxBits, E4M3.magic, NVFP4_BLOCK);
  return nvRowKernel;
}

const E4M3 = elementMagic(FP8_E4M3);

/** Self-contained template for specialize() (specialize.ts). */
function nvRowTemplate(fp4Magic: Float64Array, fp4MaxBits: number, e4m3Magic: Float64Array, blockSize: number): NvRowKernel {
  const f = new Float32Array(1);
  const u = new Uint32Array(f.buffer);
  const sign = new Float64Array([1, -1]);
  return (x, xU, out, outU, rowStart, cols, b, g, scales, saturatedPerBlock) => {
    const rowEnd = rowStart + cols;
    let satRow = 0;
    for (let start = rowStart; start < rowEnd; start += blockSize, b++) {
      const end = Math.min(start + blockSize, rowEnd);
      // finite amax as in finiteAmaxBits (blockCommon.ts), repeated: templates are self-contained
      let amaxBits = 0;
      let nonFinite = 0;
      for (let i = start; i < end; i++) {
        const a = xU[i] & 0x7fffffff;
        const bad = (0x7f7fffff - a) >>> 31; // 1 for NaN/±Inf
        nonFinite += bad;
        amaxBits = Math.max(amaxBits, a & (bad - 1));
      }
      let S = 0;
      if (g !== 0) {
        u[0] = amaxBits;
        f[0] = Math.fround(f[0] / 6) / g; // v = f32(f32(amax / 6) / g) ≥ 0
        const v = Math.min(f[0], 448);
        const m = e4m3Magic[(u[0] >>> 23) & 0xff];
        S = Math.fround((v + m - m) * g);
      }
      scales[b] = S;
      if (S === 0) {
        for (let i = start; i < end; i++) {
          const v = x[i];
          out[i] = v === v ? (xU[i] >>> 31 ? -0 : 0) : NaN;
        }
        continue;
      }
      let sat = 0;
      for (let i = start; i < end; i++) {
        out[i] = x[i] / S; // the store rounds y to float32
        const y = out[i];
        const bits = outU[i];
        sat += (fp4MaxBits - (bits & 0x7fffffff)) >>> 31; // |y| > 6, non-finite y included
        const m = fp4Magic[(bits >>> 23) & 0xff];
        const a = Math.min(Math.abs(y), 6); // NaN stays NaN
        out[i] = (a + m - m) * sign[bits >>> 31] * S;
      }
      sat -= nonFinite;
      saturatedPerBlock[b] = sat;
      satRow += sat;
    }
    return satRow;
  };
}
