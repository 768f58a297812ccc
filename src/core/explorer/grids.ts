/**
 * Value grids for the format explorer: every representable finite value of
 * an element format (or of a scale format: E8M0, E4M3 block scale) from
 * valueGrid.ts (the same data as the CLI's `values`), and the bit layout used
 * by the bit editor (codes ⇄ values through the core decoders).
 */
import { getFormat, type FormatId } from '../formats/registry.ts';
import { BF16, FP16, FP4_E2M1, FP6_E2M3, FP6_E3M2, FP8_E4M3, FP8_E5M2, type Minifloat } from '../formats/minifloat.ts';
import { NF4_CODEBOOK } from '../formats/codebook.ts';
import { decodeE8M0 } from '../formats/e8m0.ts';
import { formatValues } from '../formats/valueGrid.ts';

export type { GridId } from '../formats/valueGrid.ts';
import type { GridId } from '../formats/valueGrid.ts';

export type BitLayout =
  /** sign | exponent | mantissa (minifloats; E4M3 scale has no sign in use) */
  | { kind: 'float'; signBits: 0 | 1; expBits: number; manBits: number; bias: number; mf: Minifloat | null }
  /**
   * integer codes, value = n · step for the integer n in [min, max] a code stands for: n = code − offset
   * with an offset (offset binary: GGML Q4_0 stores q = n + 8), else two's complement when min < 0,
   * else unsigned (INT4 asym, whose zero point is applied outside the code)
   */
  | { kind: 'int'; bits: number; min: number; max: number; step: number; offset?: number }
  /** a 4-bit index into a codebook */
  | { kind: 'codebook'; bits: number; values: Float32Array };

export interface GridInfo {
  id: GridId;
  label: string;
  layout: BitLayout;
  /** largest finite value */
  max: number;
  /** smallest positive normal value (floats), else the smallest positive value */
  minNormal: number;
  /** smallest positive subnormal (floats with subnormals), else null */
  minSubnormal: number | null;
}

const MINIFLOAT_OF: Partial<Record<string, Minifloat>> = {
  fp8_e4m3: FP8_E4M3, fp8_e5m2: FP8_E5M2, fp6_e2m3: FP6_E2M3, fp6_e3m2: FP6_E3M2, fp4_e2m1: FP4_E2M1, bf16: BF16, fp16: FP16,
};

/** the element grid behind a format id (block formats: their element) */
function elementOf(id: FormatId): string {
  const spec = getFormat(id);
  return spec.element;
}

export function gridInfo(id: GridId): GridInfo {
  if (id === 'e8m0') {
    return {
      id, label: 'E8M0 scale (MX)', max: 2 ** 127, minNormal: 2 ** -127, minSubnormal: null,
      layout: { kind: 'float', signBits: 0, expBits: 8, manBits: 0, bias: 127, mf: null },
    };
  }
  if (id === 'e4m3_scale') {
    return {
      id, label: 'E4M3 block scale (NVFP4)', max: 448, minNormal: 2 ** -6, minSubnormal: 2 ** -9,
      layout: { kind: 'float', signBits: 0, expBits: 4, manBits: 3, bias: 7, mf: FP8_E4M3 },
    };
  }
  const spec = getFormat(id);
  const el = elementOf(id);
  const mf = MINIFLOAT_OF[el];
  if (mf) {
    const { expBits, manBits, bias, max } = mf.spec;
    const minNormal = 2 ** (1 - bias);
    return {
      id, label: spec.label, max, minNormal, minSubnormal: minNormal * 2 ** -manBits,
      layout: { kind: 'float', signBits: 1, expBits, manBits, bias, mf },
    };
  }
  switch (el) {
    case 'int8': case 'q8_0_int':
      return { id, label: spec.label, max: 127, minNormal: 1, minSubnormal: null, layout: { kind: 'int', bits: 8, min: -127, max: 127, step: 1 } };
    case 'int4':
      return { id, label: spec.label, max: 7, minNormal: 1, minSubnormal: null, layout: { kind: 'int', bits: 4, min: -7, max: 7, step: 1 } };
    case 'int4_asym':
      return { id, label: spec.label, max: 15, minNormal: 1, minSubnormal: null, layout: { kind: 'int', bits: 4, min: 0, max: 15, step: 1 } };
    case 'q4_0_int':
      return { id, label: spec.label, max: 7, minNormal: 1, minSubnormal: null, layout: { kind: 'int', bits: 4, min: -8, max: 7, step: 1, offset: 8 } };
    case 'mxint8_element':
      return { id, label: spec.label, max: 127 / 64, minNormal: 1 / 64, minSubnormal: null, layout: { kind: 'int', bits: 8, min: -127, max: 127, step: 1 / 64 } };
    case 'nf4_code':
      return { id, label: spec.label, max: 1, minNormal: NF4_CODEBOOK[8], minSubnormal: null, layout: { kind: 'codebook', bits: 4, values: NF4_CODEBOOK } };
    default:
      throw new Error(`no value grid for ${id}`);
  }
}

/** Every distinct finite value, ascending, −0 folded into 0 (the CLI's `values` data, valueGrid.ts). */
export function gridValues(id: GridId): Float64Array {
  return formatValues(id);
}

/** The code of a value on the grid (bit editor), or −1 when not representable. */
export function encodeValue(info: GridInfo, v: number): number {
  const L = info.layout;
  if (L.kind === 'int') {
    const q = Math.round(v / L.step);
    if (q < L.min || q > L.max) return -1;
    if (L.offset !== undefined) return q + L.offset;
    return L.min >= 0 ? q : q & ((1 << L.bits) - 1); // two's complement
  }
  if (L.kind === 'codebook') return L.values.indexOf(v);
  if (info.id === 'e8m0') return v > 0 ? Math.round(Math.log2(v)) + 127 : -1;
  return L.mf ? L.mf.encode(v) : -1;
}

/** The integer n a code of an 'int' layout stands for (value = n · step). */
export function intOfCode(L: Extract<BitLayout, { kind: 'int' }>, code: number): number {
  if (L.offset !== undefined) return code - L.offset;
  return L.min < 0 && code & (1 << (L.bits - 1)) ? code - (1 << L.bits) : code;
}

/** The value of a code (NaN for NaN codes or unused codes). */
export function decodeCode(info: GridInfo, code: number): number {
  const L = info.layout;
  if (L.kind === 'int') {
    const n = intOfCode(L, code);
    return n < L.min || n > L.max ? NaN : n * L.step;
  }
  if (L.kind === 'codebook') return L.values[code] ?? NaN;
  if (info.id === 'e8m0') return decodeE8M0(code);
  return L.mf ? L.mf.decode(code) : NaN;
}

export function codeBits(info: GridInfo): number {
  const L = info.layout;
  return L.kind === 'float' ? L.signBits + L.expBits + L.manBits : L.bits;
}

/**
 * The interval of real inputs y that round to values[i] under RNE with
 * saturation: midpoints to the neighbours; the ends extend to ±∞ (saturation).
 * At an exact midpoint the tie goes to the neighbour with the even code.
 */
export function roundingInterval(values: Float64Array, i: number): [number, number] {
  const lo = i === 0 ? -Infinity : (values[i - 1] + values[i]) / 2;
  const hi = i === values.length - 1 ? Infinity : (values[i] + values[i + 1]) / 2;
  return [lo, hi];
}
