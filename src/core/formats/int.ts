/**
 * Symmetric integer element formats (DOMAIN.md §2): q = clamp(RNE(y), −qmax, qmax).
 * RNE is numpy's rint: ties go to the even integer and the sign of zero is kept
 * (rint(−0.3) = −0), so x̂ = q·scale keeps the sign of a small negative input.
 * NaN stays NaN; ±Inf saturates to ±qmax.
 */

/** 1.5·2^52: adding and subtracting it rounds any |y| < 2^51 to an integer, ties to even */
const RNE_MAGIC = 6755399441055744;

/** Round half to even, keeping the sign of zero; exact for every float32 input. */
export function rintF(y: number): number {
  if (!(Math.abs(y) < 2 ** 51)) return y; // NaN, ±Inf and huge values are already integers
  const r = y + RNE_MAGIC - RNE_MAGIC;
  return r === 0 ? y * 0 : r;
}

export function castInt(y: number, qmax: number): number {
  const r = rintF(y);
  return r > qmax ? qmax : r < -qmax ? -qmax : r;
}

/** Round half away from zero (C's roundf, as GGML's q8_0 uses). */
export function roundHalfAway(y: number): number {
  const r = Math.floor(Math.abs(y) + 0.5);
  return y < 0 ? -r : r;
}

/**
 * Stochastic rounding to an integer in [−qmax, qmax] (DOMAIN.md §4): for
 * lo = floor(y) < y < hi = lo + 1 return hi when u < y − lo, else lo; integer y
 * is returned as is; |y| ≥ qmax saturates. NaN stays NaN. Sign of zero kept.
 */
export function castIntStochastic(y: number, u: number, qmax: number): number {
  if (!(Math.abs(y) < qmax)) return castInt(y, qmax);
  const lo = Math.floor(y);
  if (lo === y) return y;
  const r = u < y - lo ? lo + 1 : lo;
  return r === 0 ? y * 0 : r;
}
