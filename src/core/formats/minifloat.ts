/**
 * Small binary floating-point formats (FP4/FP6/FP8, and IEEE bf16/fp16) as
 * casts from float32. Contract (DOMAIN.md §1–2):
 *  - round to nearest, ties to even (RNE), computed on the float32 bits;
 *  - formats without Inf saturate to ±max (finite input never yields NaN/Inf,
 *    and ±Inf input saturates to ±max, as numpy's clip-then-cast does);
 *  - formats with Inf (bf16, fp16: plain IEEE casts) overflow to ±Inf;
 *  - NaN stays NaN; zero keeps its sign.
 * Values are returned as JS numbers that are exactly representable in float32.
 */

export interface MinifloatSpec {
  /** exponent field width in bits */
  expBits: number;
  /** mantissa (fraction) field width in bits */
  manBits: number;
  bias: number;
  /** largest finite value */
  max: number;
  /** true for IEEE-style formats whose overflow goes to ±Inf (bf16, fp16) */
  overflowToInf: boolean;
  /** code used to represent NaN, or -1 when the format has none */
  nanCode: number;
  /** IEEE special codes: an all-ones exponent decodes to ±Inf (mantissa 0) or NaN (E5M2, fp16, bf16) */
  ieeeSpecials?: boolean;
}

const scratchF32 = new Float32Array(1);
const scratchU32 = new Uint32Array(scratchF32.buffer);

export function f32Bits(x: number): number {
  scratchF32[0] = x;
  return scratchU32[0];
}

export function bitsToF32(bits: number): number {
  scratchU32[0] = bits >>> 0;
  return scratchF32[0];
}

export interface Minifloat {
  readonly spec: MinifloatSpec;
  /** RNE + saturate (or overflow to Inf); the result is a float32 value */
  cast(y: number): number;
  /**
   * Cast every element of `src` into `dst` (may alias). Returns nothing; this
   * is the hot loop used by the quantizers.
   */
  castArray(src: Float32Array, dst: Float32Array): void;
  /** smaller/larger representable neighbours of a finite |y| ≤ max, as magnitudes */
  floorMagnitude(absY: number): number;
  /** spacing of representable values at the magnitude `absLo` (a representable value) */
  quantumAt(absLo: number): number;
  /**
   * Stochastic rounding (DOMAIN.md §4): for lo < y < hi (the two neighbouring
   * representable values, signed), return hi when u < (y − lo)/(hi − lo)
   * (computed in float64), else lo; representable y is returned as is; |y| > max
   * saturates like `cast`. `u` is a uniform draw in [0, 1).
   */
  castStochastic(y: number, u: number): number;
  /**
   * castStochastic's tables, indexed by a float32 exponent field f: the grid
   * spacing q in that binade (the subnormal spacing below the normal range)
   * and 1/q, both powers of two. The specialized stochastic kernels
   * (stochasticKernels.ts) inline castStochastic with them. Do not modify.
   */
  readonly quantumOf: Float64Array;
  readonly invQuantumOf: Float64Array;
  /** integer code (sign | exponent | mantissa) of a value that `cast` returned */
  encode(v: number): number;
  decode(code: number): number;
}

export function makeMinifloat(spec: MinifloatSpec): Minifloat {
  const { manBits, bias, max, overflowToInf } = spec;
  const shift = 23 - manBits;
  const roundHalf = (1 << (shift - 1)) - 1;
  const keepMask = ~((1 << shift) - 1) >>> 0;
  const minNormalExp = 1 - bias;
  /** smallest positive subnormal: the spacing of the whole subnormal range */
  const subQuantum = 2 ** (minNormalExp - manBits);
  /** adding then subtracting this in float64 rounds to a multiple of subQuantum (RNE) */
  const subMagic = subQuantum * 2 ** 52;
  const maxBits = f32Bits(max);
  const infBits = overflowToInf ? 0x7f800000 : maxBits;
  const minNormalBits = (minNormalExp + 127) << 23;

  const castBits = (bits: number, value: number): number => {
    const sign = bits & 0x80000000;
    let a = bits & 0x7fffffff;
    if (a >= 0x7f800000) {
      if (a > 0x7f800000) return NaN;
      return sign ? -bitsToF32(infBits) : bitsToF32(infBits);
    }
    if (a >= minNormalBits) {
      a = (a + roundHalf + ((a >>> shift) & 1)) & keepMask;
      if (a > maxBits) a = infBits;
      return bitsToF32((a | sign) >>> 0);
    }
    const r = Math.abs(value) + subMagic - subMagic;
    return sign ? -r : r;
  };

  const cast = (y: number): number => {
    scratchF32[0] = y;
    return castBits(scratchU32[0], scratchF32[0]);
  };

  const castArray = (src: Float32Array, dst: Float32Array): void => {
    const srcU = new Uint32Array(src.buffer, src.byteOffset, src.length);
    const dstU = new Uint32Array(dst.buffer, dst.byteOffset, dst.length);
    const n = src.length;
    for (let i = 0; i < n; i++) {
      const bits = srcU[i];
      const sign = bits & 0x80000000;
      let a = bits & 0x7fffffff;
      if (a >= minNormalBits) {
        if (a >= 0x7f800000) {
          if (a > 0x7f800000) { dst[i] = NaN; continue; }
          dstU[i] = (infBits | sign) >>> 0;
          continue;
        }
        a = (a + roundHalf + ((a >>> shift) & 1)) & keepMask;
        if (a > maxBits) a = infBits;
        dstU[i] = (a | sign) >>> 0;
      } else {
        const r = Math.abs(src[i]) + subMagic - subMagic;
        dst[i] = sign ? -r : r;
      }
    }
  };

  const quantumAt = (absLo: number): number => {
    if (absLo < 2 ** minNormalExp) return subQuantum;
    const e = (f32Bits(absLo) >>> 23) - 127;
    return 2 ** (e - manBits);
  };

  const floorMagnitude = (absY: number): number => {
    const a = f32Bits(absY) & 0x7fffffff;
    if (a >= minNormalBits) return bitsToF32((a & keepMask) >>> 0);
    return Math.floor(absY / subQuantum) * subQuantum;
  };

  // spacing of the grid at a float32 with exponent field f (the subnormal spacing
  // below the normal range) and its inverse: powers of two, so a·(1/q) and
  // floor(·)·q are exact. Tables instead of 2 ** per element (castStochastic is hot).
  const quantumOf = new Float64Array(256);
  const invQuantumOf = new Float64Array(256);
  for (let f = 0; f < 256; f++) {
    const k = Math.max(f - 127, minNormalExp) - manBits;
    quantumOf[f] = 2 ** k;
    invQuantumOf[f] = 2 ** -k;
  }

  const castStochastic = (y: number, u: number): number => {
    scratchF32[0] = y;
    const yf = scratchF32[0];
    const a = Math.abs(yf);
    if (!(a < max)) return castBits(scratchU32[0], yf); // NaN, ±Inf, |y| ≥ max
    // the grid neighbours of |y|: floorMagnitude and quantumAt, from |y|'s binade (the floor stays in it)
    const f = (scratchU32[0] >>> 23) & 0xff;
    const q = quantumOf[f];
    const loMag = Math.floor(a * invQuantumOf[f]) * q;
    if (loMag === a) return yf;
    const hiMag = loMag + q;
    const lo = yf > 0 ? loMag : -hiMag;
    const hi = yf > 0 ? hiMag : -loMag;
    const r = u < (yf - lo) / (hi - lo) ? hi : lo;
    return r === 0 ? yf * 0 : r;
  };

  const manMask = (1 << manBits) - 1;
  const signBit = 1 << (spec.expBits + manBits);

  const encode = (v: number): number => {
    if (Number.isNaN(v)) return spec.nanCode >= 0 ? spec.nanCode : 0;
    const bits = f32Bits(v);
    const sign = bits & 0x80000000 ? signBit : 0;
    const a = Math.abs(v);
    if (a === Infinity) return sign | (((1 << spec.expBits) - 1) << manBits);
    if (a < 2 ** minNormalExp) return sign | Math.round(a / subQuantum);
    const e = ((bits & 0x7fffffff) >>> 23) - 127;
    const man = ((bits & 0x7fffff) >>> shift) & manMask;
    return sign | ((e + bias) << manBits) | man;
  };

  const decode = (code: number): number => {
    const sign = code & signBit ? -1 : 1;
    const expField = (code >>> manBits) & ((1 << spec.expBits) - 1);
    const man = code & manMask;
    if (spec.nanCode >= 0 && (code & (signBit - 1)) === (spec.nanCode & (signBit - 1))) return NaN;
    if (spec.ieeeSpecials && expField === (1 << spec.expBits) - 1) return man ? NaN : sign * Infinity;
    if (expField === 0) return sign * man * subQuantum;
    return sign * (1 + man / (1 << manBits)) * 2 ** (expField - bias);
  };

  return { spec, cast, castArray, castStochastic, quantumOf, invQuantumOf, floorMagnitude, quantumAt, encode, decode };
}

/** OCP 8-bit E4M3FN: bias 7, no Inf, NaN = S.1111.111, max 448, min subnormal 2^-9. */
export const FP8_E4M3 = makeMinifloat({ expBits: 4, manBits: 3, bias: 7, max: 448, overflowToInf: false, nanCode: 0x7f });
/** OCP 8-bit E5M2: IEEE-like, bias 15, max 57344, min subnormal 2^-16 (saturating cast). */
export const FP8_E5M2 = makeMinifloat({ expBits: 5, manBits: 2, bias: 15, max: 57344, overflowToInf: false, nanCode: 0x7e, ieeeSpecials: true });
/** OCP MX FP6 E2M3: bias 1, max 7.5, min subnormal 0.125, no Inf/NaN. */
export const FP6_E2M3 = makeMinifloat({ expBits: 2, manBits: 3, bias: 1, max: 7.5, overflowToInf: false, nanCode: -1 });
/** OCP MX FP6 E3M2: bias 3, max 28, min subnormal 0.0625, no Inf/NaN. */
export const FP6_E3M2 = makeMinifloat({ expBits: 3, manBits: 2, bias: 3, max: 28, overflowToInf: false, nanCode: -1 });
/** OCP MX FP4 E2M1: ±{0, 0.5, 1, 1.5, 2, 3, 4, 6}, no Inf/NaN. */
export const FP4_E2M1 = makeMinifloat({ expBits: 2, manBits: 1, bias: 1, max: 6, overflowToInf: false, nanCode: -1 });
/** IEEE binary16: overflow to ±Inf. */
export const FP16 = makeMinifloat({ expBits: 5, manBits: 10, bias: 15, max: 65504, overflowToInf: true, nanCode: 0x7e00, ieeeSpecials: true });
/** bfloat16: float32 with the low 16 mantissa bits rounded away (RNE); overflow to ±Inf. */
export const BF16 = makeMinifloat({ expBits: 8, manBits: 7, bias: 127, max: bitsToF32(0x7f7f0000), overflowToInf: true, nanCode: 0x7fc0, ieeeSpecials: true });
