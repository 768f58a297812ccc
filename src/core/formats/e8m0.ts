/**
 * E8M0 shared scales of the OCP Microscaling formats (OCP MX v1.0 §5.4.1:
 * an 8-bit exponent, bias 127, no sign or mantissa; 0xFF is NaN) and the two
 * rules quantscope offers to choose a block's exponent E (DOMAIN.md §3):
 *  - floor (OCP MX v1.0 §6.3, default): E = floor(log2(amax)) − emax;
 *  - ceil: E = ceil(log2(f32(amax / max))), the smallest power of two that does not clip.
 * Both take log2 exactly from the float32 bits (subnormals included) and clamp
 * E to [−127, 127]; amax == 0 gives E = −127.
 */

export const E8M0_BIAS = 127;
export const E8M0_NAN = 0xff;
export const SCALE_EXP_MIN = -127;
export const SCALE_EXP_MAX = 127;

/** floor(log2(v)) of a positive finite float32 given by its magnitude bits (subnormals too). */
export function floorLog2Bits(absBits: number): number {
  if (absBits >= 0x00800000) return (absBits >>> 23) - 127;
  return 31 - Math.clz32(absBits) - 149;
}

/** ceil(log2(v)) of a positive finite float32 given by its magnitude bits. */
export function ceilLog2Bits(absBits: number): number {
  const e = floorLog2Bits(absBits);
  if (absBits >= 0x00800000) return absBits & 0x7fffff ? e + 1 : e;
  return absBits & (absBits - 1) ? e + 1 : e;
}

const clampExp = (e: number): number => (e < SCALE_EXP_MIN ? SCALE_EXP_MIN : e > SCALE_EXP_MAX ? SCALE_EXP_MAX : e);

/** OCP floor rule: E from the finite block amax (as float32 magnitude bits) and the element's emax. */
export function scaleExpFloor(amaxBits: number, emax: number): number {
  if (amaxBits === 0) return SCALE_EXP_MIN;
  return clampExp(floorLog2Bits(amaxBits) - emax);
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Non-clipping ceil rule: E = ceil(log2(f32(amax / elementMax))); f32(amax/max) == 0 gives −127. */
export function scaleExpCeil(amax: number, elementMax: number): number {
  f32[0] = amax / elementMax; // one division, one rounding to float32
  const bits = u32[0] & 0x7fffffff;
  if (bits === 0) return SCALE_EXP_MIN;
  return clampExp(ceilLog2Bits(bits));
}

/** POW2_TABLE[E + 127] = 2^E for E in [−127, 127] (float64, exact); avoids Math.pow per block. */
export const POW2_TABLE: Float64Array = (() => {
  const t = new Float64Array(255);
  for (let e = -127; e <= 127; e++) t[e + 127] = 2 ** e;
  return t;
})();

/** 2^E for E in [−127, 127] (exact; 2^−127 is a float32 subnormal, also exact). */
export function pow2(e: number): number {
  return POW2_TABLE[e + 127];
}

/** E8M0 byte of a block exponent E in [−127, 127]. */
export function encodeE8M0(scaleExp: number): number {
  return scaleExp + E8M0_BIAS;
}

/** The value 2^(byte − 127) of an E8M0 byte, NaN for 0xFF (OCP MX v1.0 §5.4.1). */
export function decodeE8M0(byte: number): number {
  return byte === E8M0_NAN ? NaN : 2 ** (byte - E8M0_BIAS);
}
