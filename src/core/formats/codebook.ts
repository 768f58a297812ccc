/**
 * NF4 (QLoRA NormalFloat-4) codebook: the 16 values bitsandbytes uses
 * (bitsandbytes/functional.py get_4bit_type('nf4')), ascending, code k ↔ value k.
 * Stored as float32, exactly as bitsandbytes holds them in a float32 tensor.
 */
export const NF4_CODEBOOK: Float32Array = new Float32Array([
  -1.0,
  -0.6961928009986877,
  -0.5250730514526367,
  -0.39491748809814453,
  -0.28444138169288635,
  -0.18477343022823334,
  -0.09105003625154495,
  0.0,
  0.07958029955625534,
  0.16093020141124725,
  0.24611230194568634,
  0.33791524171829224,
  0.44070982933044434,
  0.5626170039176941,
  0.7229568362236023,
  1.0,
]);

import type { Tensor2D } from '../tensor.ts';
import type { QuantizeResult } from '../quant/types.ts';
import { blockLayout, finiteAmaxBits, outputBuffer, u32View } from './blockCommon.ts';

export const NF4_BLOCK = 64;

/**
 * The 15 decision thresholds between neighbouring codes: the exact midpoints
 * (float64; the mean of two float32 values is exact there).
 */
const NF4_MIDPOINTS = new Float64Array(15);
for (let k = 0; k < 15; k++) NF4_MIDPOINTS[k] = (NF4_CODEBOOK[k] + NF4_CODEBOOK[k + 1]) / 2;

/**
 * Code (0…15) of the codebook value nearest to y (exact distance), a tie going
 * to the lower code; y outside [−1, 1] (±Inf too) takes the end code. y must not be NaN.
 * Binary search over the midpoints: code = number of midpoints strictly below y.
 */
export function nf4Code(y: number): number {
  const m = NF4_MIDPOINTS;
  // branch-free steps (Number(bool)): random data makes the branches unpredictable
  let k = Number(y > m[7]) << 3;
  k += Number(y > m[k + 3]) << 2;
  k += Number(y > m[k + 1]) << 1;
  return k + Number(y > m[k]);
}

const amaxF = new Float32Array(1);
const amaxU = new Uint32Array(amaxF.buffer);

/**
 * NF4 of one block data[start, end) into xhat; returns its scale. A function of its own: inside the
 * row/block loops it ran in on-stack-replaced code that V8 deoptimized at every exit of the inner loop.
 */
function nf4Block(data: Float32Array, xU: Uint32Array, xhat: Float32Array, cb: Float32Array, start: number, end: number): number {
  amaxU[0] = finiteAmaxBits(xU, start, end);
  const s = amaxF[0];
  for (let i = start; i < end; i++) {
    const v = data[i];
    if (v !== v) { xhat[i] = NaN; continue; }
    if (s === 0) { xhat[i] = 0; continue; }
    xhat[i] = cb[nf4Code(Math.fround(v / s))] * s;
  }
  return s;
}

/**
 * NF4 (QLoRA, DOMAIN.md §3): blocks of 64 along the last axis, s = finite amax
 * of the block (float32), q = NF4_CODEBOOK[nf4Code(f32(x / s))], x̂ = f32(q · s).
 * Readings: s == 0 makes the block +0 (code 7 is +0, so a small negative x also
 * gives +0); NaN stays NaN; ±Inf takes code 15 / 0 and is not counted as
 * saturated (finite y never exceeds 1, so `saturated` is 0 for finite input).
 * Rounding is always nearest: a codebook has no stochastic variant here.
 */
export function quantizeNf4(x: Tensor2D, out?: Float32Array): QuantizeResult {
  const { rows, cols, data } = x;
  const xhat = outputBuffer(data.length, out);
  const xU = u32View(data);
  const { blocksPerRow, nBlocks } = blockLayout(rows, cols, NF4_BLOCK);
  const scales = new Float32Array(nBlocks);
  for (let r = 0; r < rows; r++) nf4Row(data, xU, xhat, scales, r * blocksPerRow, r * cols, cols);
  return { xhat, saturated: 0, saturatedPerBlock: new Uint16Array(nBlocks), blocksPerRow, scales };
}

/**
 * The NF4 blocks of one row (from data[rowStart], blocks numbered from b0). A function of its own:
 * as a loop nest in quantizeNf4, V8 ran it in on-stack-replaced code that deoptimized on leaving
 * the loop at every call.
 */
function nf4Row(data: Float32Array, xU: Uint32Array, xhat: Float32Array, scales: Float32Array, b0: number, rowStart: number, cols: number): void {
  const cb = NF4_CODEBOOK;
  for (let c0 = 0, b = b0; c0 < cols; c0 += NF4_BLOCK, b++) {
    const start = rowStart + c0;
    scales[b] = nf4Block(data, xU, xhat, cb, start, Math.min(start + NF4_BLOCK, rowStart + cols));
  }
}
