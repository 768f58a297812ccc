/**
 * One entry point for casting float32 values to an element format by id
 * (DOMAIN.md §2): RNE then saturate to ±max (bf16/fp16: IEEE overflow to ±Inf),
 * NaN stays NaN, zero keeps its sign, ±Inf saturates (±Inf for bf16/fp16).
 * Stochastic variants follow DOMAIN.md §4: the draw for element i of a bulk call
 * is mulberry32At(seed, firstIndex + i), u = draw / 2^32.
 *
 * `int4_asym` is not a cast of its own (its zero point belongs to the group);
 * the scalar pipeline handles it (src/core/quant/scalarQuantize.ts).
 */
import { FP8_E4M3, FP8_E5M2, FP6_E2M3, FP6_E3M2, FP4_E2M1, FP16, BF16, type Minifloat } from './minifloat.ts';
import { castInt, castIntStochastic } from './int.ts';
import { intStochastic, minifloatStochastic, scaledStochasticKernel } from './stochasticKernels.ts';
import type { ElementFormatId } from './registry.ts';

export type CastElementId = Exclude<ElementFormatId, 'int4_asym'>;
export type MinifloatId = Exclude<CastElementId, 'int8' | 'int4'>;

export const MINIFLOATS: Readonly<Record<MinifloatId, Minifloat>> = {
  fp8_e4m3: FP8_E4M3,
  fp8_e5m2: FP8_E5M2,
  fp6_e2m3: FP6_E2M3,
  fp6_e3m2: FP6_E3M2,
  fp4_e2m1: FP4_E2M1,
  bf16: BF16,
  fp16: FP16,
};

/** qmax of the symmetric integer formats: q ∈ [−qmax, qmax] */
export const INT_QMAX = { int8: 127, int4: 7 } as const;

export function isIntId(id: string): id is 'int8' | 'int4' {
  return id === 'int8' || id === 'int4';
}

export function isMinifloatId(id: string): id is MinifloatId {
  return Object.prototype.hasOwnProperty.call(MINIFLOATS, id);
}

/** Largest finite magnitude of the element format (qmax for ints). */
export function elementMax(id: CastElementId): number {
  return isIntId(id) ? INT_QMAX[id] : MINIFLOATS[id].spec.max;
}

/** Cast one value (RNE + saturate). */
export function castElement(id: CastElementId, y: number): number {
  return isIntId(id) ? castInt(y, INT_QMAX[id]) : MINIFLOATS[id].cast(y);
}

/** Stochastic cast of one value with a uniform draw u ∈ [0, 1) (DOMAIN §4). */
export function castElementStochastic(id: CastElementId, y: number, u: number): number {
  return isIntId(id) ? castIntStochastic(y, u, INT_QMAX[id]) : MINIFLOATS[id].castStochastic(y, u);
}

/** 1.5·2^52: (y + M) − M rounds |y| < 2^51 to an integer, ties to even */
const RNE_MAGIC = 6755399441055744;

/**
 * dst[i] = clamp(RNE(src[i]), −qmax, qmax) as numpy's clip(rint(y)) gives it:
 * the sign of zero is kept, NaN stays NaN, ±Inf saturates. src and dst may alias.
 * Clamping before rounding is the same as after it (qmax is an integer) and
 * keeps the magic-number rounding in its exact range.
 */
export function castIntArray(src: Float32Array, dst: Float32Array, qmax: number): void {
  const n = src.length;
  for (let i = 0; i < n; i++) {
    let y = src[i];
    if (y > qmax) y = qmax;
    else if (y < -qmax) y = -qmax;
    const r = y + RNE_MAGIC - RNE_MAGIC;
    dst[i] = r === 0 ? y * 0 : r;
  }
}

/** dst[i] = cast(src[i]) for every i (RNE + saturate); src and dst may alias. */
export function castElementArray(id: CastElementId, src: Float32Array, dst: Float32Array): void {
  if (dst.length < src.length) throw new Error(`output has ${dst.length} elements but the input has ${src.length}`);
  if (isIntId(id)) castIntArray(src, dst, INT_QMAX[id]);
  else MINIFLOATS[id].castArray(src, dst.length === src.length ? dst : dst.subarray(0, src.length));
}

/**
 * Stochastic bulk cast: dst[i] = castStochastic(src[i], u_i) with
 * u_i = mulberry32At(seed, firstIndex + i) / 2^32. src and dst may alias.
 */
export function castElementArrayStochastic(
  id: CastElementId, src: Float32Array, dst: Float32Array, seed: number, firstIndex: number,
): void {
  const n = src.length;
  if (dst.length < n) throw new Error(`output has ${dst.length} elements but the input has ${n}`);
  // y = f32(src[i] · 1) = src[i], cast · 1 = cast: the scaled kernel with unit scales (stochasticKernels.ts)
  const el = isIntId(id) ? intStochastic(INT_QMAX[id]) : minifloatStochastic(MINIFLOATS[id]);
  scaledStochasticKernel(el)(src, dst, 0, n, 1, false, 1, seed, firstIndex);
}
