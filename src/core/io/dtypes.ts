/**
 * Element decoders: stored bytes → float32, shared by every reader.
 * Each decoded value is the float32 nearest the stored value (RNE), exactly
 * as numpy's `.astype(np.float32)` (or ml_dtypes' for the 8-bit floats).
 * 8- and 16-bit floats go through lookup tables of float32 bit patterns that are
 * copied as int32 (no float conversion per element); nothing allocates per element.
 * 64-bit integers are converted via float64 (exact below 2^53; above that a
 * value may differ from numpy by double rounding).
 */
import { type ByteSource, type ChunkOptions, aligned, readChunked } from './byteSource.ts';
import { ScaledTables, bitsView, scaledPairs, tableBits, unpackBytesWide, unpackNibbles } from './unpack.ts';

export type ElementKind =
  | 'f64' | 'f32' | 'f16' | 'bf16'
  | 'i64' | 'i32' | 'i16' | 'i8' | 'u64' | 'u32' | 'u16' | 'u8' | 'bool'
  | 'f8_e4m3' | 'f8_e5m2' | 'f8_e8m0' | 'f8_e4m3fnuz' | 'f8_e5m2fnuz' | 'f6_e2m3' | 'f6_e3m2' | 'f4_e2m1';

/** storage bits per element */
export const ELEMENT_BITS: Record<ElementKind, number> = {
  f64: 64, f32: 32, f16: 16, bf16: 16, i64: 64, i32: 32, i16: 16, i8: 8, u64: 64, u32: 32, u16: 16, u8: 8, bool: 8,
  f8_e4m3: 8, f8_e5m2: 8, f8_e8m0: 8, f8_e4m3fnuz: 8, f8_e5m2fnuz: 8, f6_e2m3: 6, f6_e3m2: 6, f4_e2m1: 4,
};

/** Bytes in which a whole number of elements of `kind` fit (sub-byte kinds: 1 for F4, 3 for F6). */
export function unitBytes(kind: ElementKind): number {
  const bits = ELEMENT_BITS[kind];
  return bits % 8 === 0 ? bits / 8 : bits === 4 ? 1 : 3;
}

export const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Value table of a small float format with `expBits`/`manBits`:
 *  - 'ieee': all-ones exponent is ±Inf (mantissa 0) or NaN (OCP E5M2, fp16);
 *  - 'fn':   no Inf; only S.1…1.1…1 is NaN (OCP E4M3FN);
 *  - 'fnuz': no Inf, no −0; code 0x80 is the only NaN (E4M3FNUZ, E5M2FNUZ);
 *  - 'finite': every code finite (E2M1, OCP FP6 E2M3/E3M2).
 */
export function minifloatTable(expBits: number, manBits: number, bias: number, mode: 'ieee' | 'fn' | 'fnuz' | 'finite'): Float32Array {
  const n = 1 << (1 + expBits + manBits);
  const signBit = n >> 1;
  const expMax = (1 << expBits) - 1;
  const t = new Float32Array(n);
  for (let c = 0; c < n; c++) {
    const neg = (c & signBit) !== 0;
    const e = (c >> manBits) & expMax;
    const m = c & ((1 << manBits) - 1);
    let v = e === 0 ? m * 2 ** (1 - bias - manBits) : (1 + m / (1 << manBits)) * 2 ** (e - bias);
    if (mode === 'ieee' && e === expMax) v = m ? NaN : Infinity;
    if (mode === 'fn' && e === expMax && m === (1 << manBits) - 1) v = NaN;
    if (mode === 'fnuz' && c === signBit) v = NaN;
    t[c] = neg && !(mode === 'fnuz' && c === signBit) ? -v : v;
  }
  return t;
}

let f16Table: Float32Array | undefined;
let f16Bits: Int32Array | undefined;
/** 65536-entry IEEE binary16 → float32 table (built on first use, 256 KiB). */
export function fp16Table(): Float32Array {
  return (f16Table ??= minifloatTable(5, 10, 15, 'ieee'));
}
const fp16Bits = (): Int32Array => (f16Bits ??= tableBits(fp16Table()));

export const E4M3_TABLE = minifloatTable(4, 3, 7, 'fn');
export const E5M2_TABLE = minifloatTable(5, 2, 15, 'ieee');
export const E4M3FNUZ_TABLE = minifloatTable(4, 3, 8, 'fnuz');
export const E5M2FNUZ_TABLE = minifloatTable(5, 2, 16, 'fnuz');
export const E2M1_TABLE = minifloatTable(2, 1, 1, 'finite');
/** OCP MX v1.0 §5.3.2 FP6: E2M3 (bias 1, max 7.5) and E3M2 (bias 3, max 28), as ml_dtypes float6_*fn */
export const E2M3_TABLE = minifloatTable(2, 3, 1, 'finite');
export const E3M2_TABLE = minifloatTable(3, 2, 3, 'finite');
/** OCP E8M0 scale: 2^(code − 127); code 255 is NaN. */
export const E8M0_TABLE = (() => {
  const t = new Float32Array(256);
  for (let c = 0; c < 256; c++) t[c] = c === 255 ? NaN : 2 ** (c - 127);
  return t;
})();

/** MXFP4 (gpt-oss blocks, OCP MX): e2m1 · 2^(code − 127) per E8M0 scale code; tables shared by every decode */
export const MXFP4_TABLES = new ScaledTables(E2M1_TABLE, (code) => E8M0_TABLE[code]);

const BITS_8BIT: Partial<Record<ElementKind, Int32Array>> = {
  f8_e4m3: tableBits(E4M3_TABLE), f8_e5m2: tableBits(E5M2_TABLE), f8_e8m0: tableBits(E8M0_TABLE),
  f8_e4m3fnuz: tableBits(E4M3FNUZ_TABLE), f8_e5m2fnuz: tableBits(E5M2FNUZ_TABLE),
};
const BITS_6BIT: Partial<Record<ElementKind, Int32Array>> = { f6_e2m3: tableBits(E2M3_TABLE), f6_e3m2: tableBits(E3M2_TABLE) };

let e2m1Pairs: Int32Array | undefined;


/** Bytes needed for `count` elements of `kind` (sub-byte kinds round up). */
export function storageBytes(kind: ElementKind, count: number): number {
  return Math.ceil((count * ELEMENT_BITS[kind]) / 8);
}

/**
 * Decodes `count` elements of `kind` from `src` (at least storageBytes bytes,
 * byte order `littleEndian`) into out[outOffset …]. F4 packs two elements per
 * byte, the even element in the low nibble.
 */
export function decodeElements(kind: ElementKind, src: Uint8Array, count: number, littleEndian: boolean, out: Float32Array, outOffset: number): void {
  const lut = BITS_8BIT[kind];
  if (lut) {
    unpackBytesWide(src, 0, count, lut, bitsView(out, outOffset, count), 0);
    return;
  }
  const lut6 = BITS_6BIT[kind];
  if (lut6) return decodeF6(lut6, src, count, bitsView(out, outOffset, count));
  switch (kind) {
    case 'u8': for (let i = 0; i < count; i++) out[outOffset + i] = src[i]; return;
    case 'bool': for (let i = 0; i < count; i++) out[outOffset + i] = src[i] ? 1 : 0; return;
    case 'i8': for (let i = 0; i < count; i++) out[outOffset + i] = (src[i] << 24) >> 24; return;
    case 'f4_e2m1':
      unpackNibbles(src, 0, count, (e2m1Pairs ??= scaledPairs(E2M1_TABLE, 1)), bitsView(out, outOffset, count), 0);
      return;
  }
  const bytes = ELEMENT_BITS[kind] / 8;
  if (littleEndian === HOST_LITTLE_ENDIAN) {
    const a = aligned(src.subarray(0, count * bytes), bytes);
    const { buffer, byteOffset } = a;
    switch (kind) {
      case 'f32': out.set(new Float32Array(buffer, byteOffset, count), outOffset); return;
      case 'f64': out.set(new Float64Array(buffer, byteOffset, count), outOffset); return;
      case 'i32': out.set(new Int32Array(buffer, byteOffset, count), outOffset); return;
      case 'u32': out.set(new Uint32Array(buffer, byteOffset, count), outOffset); return;
      case 'i16': out.set(new Int16Array(buffer, byteOffset, count), outOffset); return;
      case 'u16': out.set(new Uint16Array(buffer, byteOffset, count), outOffset); return;
      case 'f16': {
        const t = fp16Bits();
        const u = new Uint16Array(buffer, byteOffset, count);
        const o = bitsView(out, outOffset, count);
        for (let i = 0; i < count; i++) o[i] = t[u[i]];
        return;
      }
      case 'bf16': {
        // bf16 is the top half of a float32: two elements per 32-bit load when the bytes are 4-aligned
        const o = bitsView(out, outOffset, count);
        let i = 0;
        if (HOST_LITTLE_ENDIAN && (byteOffset & 3) === 0) {
          const w = new Uint32Array(buffer, byteOffset, count >> 1);
          for (let k = 0; k < w.length; k++) {
            const v = w[k];
            o[2 * k] = v << 16;
            o[2 * k + 1] = v & 0xffff0000;
          }
          i = w.length * 2;
        }
        const u = new Uint16Array(buffer, byteOffset, count);
        for (; i < count; i++) o[i] = u[i] << 16;
        return;
      }
    }
  }
  decodeWithDataView(kind, src, count, littleEndian, out, outOffset);
}

/**
 * FP6 codes packed as a little-endian bit stream: element i occupies bits
 * 6i … 6i + 5 counting from the least significant bit of byte 0, so 4
 * elements fill 3 bytes. This is the F4 rule (element 0 in the low bits)
 * carried to 6 bits; the safetensors format names F6_E2M3/F6_E3M2 but does
 * not spell out the bit order, so this is quantscope's reading.
 */
function decodeF6(lut: Int32Array, src: Uint8Array, count: number, o: Int32Array): void {
  const whole = count >> 2;
  for (let q = 0; q < whole; q++) {
    const b = q * 3;
    const w = src[b] | (src[b + 1] << 8) | (src[b + 2] << 16);
    const i = q * 4;
    o[i] = lut[w & 63];
    o[i + 1] = lut[(w >> 6) & 63];
    o[i + 2] = lut[(w >> 12) & 63];
    o[i + 3] = lut[w >> 18];
  }
  for (let i = whole * 4; i < count; i++) {
    const bit = i * 6;
    const at = bit >> 3;
    const w = src[at] | ((at + 1 < src.length ? src[at + 1] : 0) << 8);
    o[i] = lut[(w >> (bit & 7)) & 63];
  }
}

/** Portable path (byte-swapped data, 64-bit integers). */
function decodeWithDataView(kind: ElementKind, src: Uint8Array, count: number, le: boolean, out: Float32Array, off: number): void {
  const dv = new DataView(src.buffer, src.byteOffset, src.byteLength);
  switch (kind) {
    case 'f64': for (let i = 0; i < count; i++) out[off + i] = dv.getFloat64(i * 8, le); return;
    case 'f32': for (let i = 0; i < count; i++) out[off + i] = dv.getFloat32(i * 4, le); return;
    case 'i32': for (let i = 0; i < count; i++) out[off + i] = dv.getInt32(i * 4, le); return;
    case 'u32': for (let i = 0; i < count; i++) out[off + i] = dv.getUint32(i * 4, le); return;
    case 'i16': for (let i = 0; i < count; i++) out[off + i] = dv.getInt16(i * 2, le); return;
    case 'u16': for (let i = 0; i < count; i++) out[off + i] = dv.getUint16(i * 2, le); return;
    case 'f16': {
      const t = fp16Table();
      for (let i = 0; i < count; i++) out[off + i] = t[dv.getUint16(i * 2, le)];
      return;
    }
    case 'bf16': {
      const o = new Uint32Array(out.buffer, out.byteOffset + off * 4, count);
      for (let i = 0; i < count; i++) o[i] = dv.getUint16(i * 2, le) << 16;
      return;
    }
    case 'i64':
    case 'u64': {
      const signed = kind === 'i64';
      for (let i = 0; i < count; i++) {
        const lo = dv.getUint32(i * 8 + (le ? 0 : 4), le);
        const hi = signed ? dv.getInt32(i * 8 + (le ? 4 : 0), le) : dv.getUint32(i * 8 + (le ? 4 : 0), le);
        out[off + i] = hi * 4294967296 + lo;
      }
      return;
    }
    default:
      throw new Error(`no decoder for ${kind}`); // unreachable: every kind is handled above
  }
}

/**
 * Reads `numel` elements of `kind` stored at [offset, offset + storageBytes)
 * of `src` and decodes them into out[0 …], chunk by chunk with progress.
 */
export async function readPlain(
  src: ByteSource, offset: number, kind: ElementKind, numel: number, littleEndian: boolean,
  out: Float32Array, what: string, opts: ChunkOptions = {},
): Promise<void> {
  const bits = ELEMENT_BITS[kind];
  const unit = unitBytes(kind);
  await readChunked(src, offset, storageBytes(kind, numel), unit, what, (c, at) => {
    const first = (at * 8) / bits;
    decodeElements(kind, c, Math.min((c.length * 8) / bits, numel - first), littleEndian, out, first);
  }, opts);
}
