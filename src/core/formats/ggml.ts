/**
 * GGML Q8_0 and Q4_0 (llama.cpp ggml-quants.c, as gguf-py's gguf/quants.py
 * reproduces it bit for bit; DOMAIN.md §3). Blocks of 32 along the last axis;
 * blocks never cross rows and a row's last block may be shorter (GGML itself
 * needs cols % 32 == 0; the formulas below are applied to the shorter block).
 *
 * Q8_0: d = f32(amax / 127), id = d ? f32(1 / d) : 0 (also 0 when 1/d overflows),
 *       q = roundHalfAway(f32(x · id)) as an int8 (no −0), x̂ = f32(fp16(d) · q).
 * Q4_0: m = the first element of largest |x| (sign kept), d = f32(m / −8),
 *       id as above, q = clamp(trunc(f32(f32(x · id) + 8.5)), 0, 15),
 *       x̂ = f32((q − 8) · fp16(d)).
 * Readings:
 *  - amax and m are over FINITE elements; NaN stays NaN; ±Inf takes the end
 *    code (Q8_0 ±127, Q4_0 0 or 15) and is not counted as saturated.
 *  - `saturated` (DOMAIN §6: |y| > max before the cast): for Q8_0 the finite
 *    elements with |f32(x · id)| > 127 (rounding of id can push the block max a
 *    hair above 127; its code is still ±127); for Q4_0 the elements whose code
 *    had to be clamped, trunc(y + 8.5) > 15 (opposite in sign to m and
 *    |x| ≥ 15/16 |m|: +8 is not a code).
 *  - rounding is always as GGML does it (no stochastic variant).
 *  - fp16(d) overflows to ±Inf when |d| > 65519.99 (Q8_0 amax ≳ 8.3e6, Q4_0
 *    |m| ≳ 5.2e5), exactly as in GGML: x̂ is then ±Inf, or NaN where the code is 0.
 */
import type { Tensor2D } from '../tensor.ts';
import type { QuantizeResult } from '../quant/types.ts';
import { FP16 } from './minifloat.ts';
import { blockLayout, finiteAmaxBits, outputBuffer, u32View } from './blockCommon.ts';
import { q4_0BlocksSimd, q4_0SimdAvailable } from './q4_0Simd.ts';

export const GGML_BLOCK = 32;

const amaxF = new Float32Array(1);
const amaxU = new Uint32Array(amaxF.buffer);

/** id = f32(1 / d), or 0 when d == 0 or 1/d overflows float32 (gguf-py / ggml behaviour). */
export function ggmlInverse(d: number): number {
  if (d === 0) return 0;
  const id = Math.fround(1 / d);
  return id === Infinity || id === -Infinity ? 0 : id;
}

/** Q8_0 block scale d = f32(amax / 127) for a finite amax. */
export const q8_0Scale = (amax: number): number => Math.fround(amax / 127);

/** Q8_0 integer code (−127…127, never −0) of x with inverse scale id; NaN for NaN x. */
export function q8_0Code(x: number, id: number): number {
  const y = Math.fround(x * id);
  if (y !== y) return x !== x ? NaN : 0; // x·id = ±Inf·0: an infinite x in a zero-scale block
  const a = Math.floor(Math.abs(y) + 0.5); // round half away from zero (|y| + 0.5 is exact in float64)
  const q = a > 127 ? 127 : a;
  return y < 0 ? -q || 0 : q;
}

/** Q4_0 code 0…15 of x with inverse scale id; NaN for NaN x. */
export function q4_0Code(x: number, id: number): number {
  const t = Math.fround(Math.fround(x * id) + 8.5);
  if (t !== t) return x !== x ? NaN : 8;
  const q = Math.trunc(t);
  return q > 15 ? 15 : q < 0 ? 0 : q;
}

/** Q4_0: the first finite element of largest |x| in [start, end), sign kept (0 when none). */
export function q4_0Max(data: Float32Array, xU: Uint32Array, start: number, end: number): number {
  let best = 0;
  let at = -1;
  for (let i = start; i < end; i++) {
    const a = xU[i] & 0x7fffffff;
    if (a < 0x7f800000 && (at < 0 || a > best)) { best = a; at = i; }
  }
  return at < 0 ? 0 : data[at];
}

// The per-block bodies are functions of their own: inside the row/block loops they ran in
// on-stack-replaced code that V8 deoptimized at every exit of the inner loop (hundreds of
// deopts per 4096² tensor in Chromium).

/** One GGML block quantizer: data[start, end) into xhat, its fp16 scale into scales[b]; returns the saturated count. */
type GgmlBlock = (data: Float32Array, xU: Uint32Array, xhat: Float32Array, scales: Float32Array, b: number, start: number, end: number) => number;

/** Q8_0 of one block (GgmlBlock). */
const q8_0Block: GgmlBlock = (data, xU, xhat, scales, b, start, end) => {
  amaxU[0] = finiteAmaxBits(xU, start, end);
  const d = q8_0Scale(amaxF[0]);
  const id = ggmlInverse(d);
  const dh = FP16.cast(d);
  scales[b] = dh;
  let sat = 0;
  for (let i = start; i < end; i++) {
    const v = data[i];
    if (Math.abs(Math.fround(v * id)) > 127 && Number.isFinite(v)) sat++;
    xhat[i] = dh * q8_0Code(v, id);
  }
  return sat;
};

/** Q4_0 of one block (GgmlBlock). */
const q4_0Block: GgmlBlock = (data, xU, xhat, scales, b, start, end) => {
  const d = Math.fround(q4_0Max(data, xU, start, end) / -8);
  const id = ggmlInverse(d);
  const dh = FP16.cast(d);
  scales[b] = dh;
  let sat = 0;
  for (let i = start; i < end; i++) {
    const v = data[i];
    const y = Math.fround(v * id);
    let t = Math.trunc(Math.fround(y + 8.5));
    if (t > 15) { if (t !== Infinity) sat++; t = 15; } else if (t < 0) t = 0;
    else if (t !== t) { xhat[i] = v !== v ? NaN : 0 * dh; continue; }
    xhat[i] = (t - 8) * dh;
  }
  return sat;
};

/** Every block of GGML_BLOCK along each row (the last of a row may be shorter) through `block`. */
function quantizeGgml(x: Tensor2D, out: Float32Array | undefined, block: GgmlBlock): QuantizeResult {
  const { rows, cols, data } = x;
  const xhat = outputBuffer(data.length, out);
  const xU = u32View(data);
  const { blocksPerRow, nBlocks } = blockLayout(rows, cols, GGML_BLOCK);
  const scales = new Float32Array(nBlocks);
  const saturatedPerBlock = new Uint16Array(nBlocks);
  let saturated = 0;
  for (let r = 0; r < rows; r++) saturated += ggmlRow(data, xU, xhat, scales, saturatedPerBlock, r * blocksPerRow, r * cols, cols, block);
  return { xhat, saturated, saturatedPerBlock, blocksPerRow, scales };
}

/**
 * The blocks of one row (from data[rowStart], blocks numbered from b0) through `block`; returns the
 * row's saturated count. A function of its own: as one loop nest in quantizeGgml, V8 ran it in
 * on-stack-replaced code that deoptimized on leaving the loop at every call (~15 ns an element).
 */
function ggmlRow(
  data: Float32Array, xU: Uint32Array, xhat: Float32Array, scales: Float32Array, satPerBlock: Uint16Array,
  b0: number, rowStart: number, cols: number, block: GgmlBlock,
): number {
  let saturated = 0;
  for (let c0 = 0, b = b0; c0 < cols; c0 += GGML_BLOCK, b++) {
    const start = rowStart + c0;
    const sat = block(data, xU, xhat, scales, b, start, Math.min(start + GGML_BLOCK, rowStart + cols));
    satPerBlock[b] = sat;
    saturated += sat;
  }
  return saturated;
}

export function quantizeQ8_0(x: Tensor2D, out?: Float32Array): QuantizeResult {
  return quantizeGgml(x, out, q8_0Block);
}

/** A Q4_0 block's [id, fp16 d] from its first largest element m (q4_0Block's scales, for the SIMD kernel). */
function q4_0Scales(m: number): readonly [number, number] {
  const d = Math.fround(m / -8);
  return [ggmlInverse(d), FP16.cast(d)];
}

export function quantizeQ4_0(x: Tensor2D, out?: Float32Array): QuantizeResult {
  // rows of whole blocks: the SIMD kernel (q4_0.wat, the same bits), ~3x the block loop below (bench --quick)
  if (x.cols % GGML_BLOCK === 0 && q4_0SimdAvailable()) {
    const xhat = outputBuffer(x.data.length, out);
    const { blocksPerRow, nBlocks } = blockLayout(x.rows, x.cols, GGML_BLOCK);
    const scales = new Float32Array(nBlocks);
    const saturatedPerBlock = new Uint16Array(nBlocks);
    const saturated = q4_0BlocksSimd(x.data, xhat, scales, saturatedPerBlock, q4_0Scales);
    if (saturated >= 0) return { xhat, saturated, saturatedPerBlock, blocksPerRow, scales };
  }
  return quantizeGgml(x, out, q4_0Block);
}
