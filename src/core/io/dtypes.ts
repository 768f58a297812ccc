/**
 * Element decoders: stored bytes → float32, shared by every reader.
 * Each decoded value is the float32 nearest the stored value (RNE), exactly
 * as numpy's `.astype(np.float32)` (or ml_dtypes' for the 8-bit floats).
 * 8- and 16-bit floats go through lookup tables; nothing allocates per element.
 * 64-bit integers are converted via float64 (exact below 2^53; above that a
 * value may differ from numpy by double rounding).
 */
import { type ByteSource, type ChunkOptions, aligned, readChunked } from './byteSource.ts';

export type ElementKind =
  | 'f64' | 'f32' | 'f16' | 'bf16'
  | 'i64' | 'i32' | 'i16' | 'i8' | 'u64' | 'u32' | 'u16' | 'u8' | 'bool'
  | 'f8_e4m3' | 'f8_e5m2' | 'f8_e8m0' | 'f8_e4m3fnuz' | 'f8_e5m2fnuz' | 'f4_e2m1';

/** storage bits per element */
export const ELEMENT_BITS: Record<ElementKind, number> = {
  f64: 64, f32: 32, f16: 16, bf16: 16, i64: 64, i32: 32, i16: 16, i8: 8, u64: 64, u32: 32, u16: 16, u8: 8, bool: 8,
  f8_e4m3: 8, f8_e5m2: 8, f8_e8m0: 8, f8_e4m3fnuz: 8, f8_e5m2fnuz: 8, f4_e2m1: 4,
};

export const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Value table of a small float format with `expBits`/`manBits`:
 *  - 'ieee': all-ones exponent is ±Inf (mantissa 0) or NaN (OCP E5M2, fp16);
 *  - 'fn':   no Inf; only S.1…1.1…1 is NaN (OCP E4M3FN);
 *  - 'fnuz': no Inf, no −0; code 0x80 is the only NaN (E4M3FNUZ, E5M2FNUZ);
 *  - 'finite': every code finite (E2M1).
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
/** 65536-entry IEEE binary16 → float32 table (built on first use, 256 KiB). */
export function fp16Table(): Float32Array {
  return (f16Table ??= minifloatTable(5, 10, 15, 'ieee'));
}

export const E4M3_TABLE = minifloatTable(4, 3, 7, 'fn');
export const E5M2_TABLE = minifloatTable(5, 2, 15, 'ieee');
export const E4M3FNUZ_TABLE = minifloatTable(4, 3, 8, 'fnuz');
export const E5M2FNUZ_TABLE = minifloatTable(5, 2, 16, 'fnuz');
export const E2M1_TABLE = minifloatTable(2, 1, 1, 'finite');
/** OCP E8M0 scale: 2^(code − 127); code 255 is NaN. */
export const E8M0_TABLE = (() => {
  const t = new Float32Array(256);
  for (let c = 0; c < 256; c++) t[c] = c === 255 ? NaN : 2 ** (c - 127);
  return t;
})();

const TABLE_8BIT: Partial<Record<ElementKind, Float32Array>> = {
  f8_e4m3: E4M3_TABLE, f8_e5m2: E5M2_TABLE, f8_e8m0: E8M0_TABLE, f8_e4m3fnuz: E4M3FNUZ_TABLE, f8_e5m2fnuz: E5M2FNUZ_TABLE,
};

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
  const lut = TABLE_8BIT[kind];
  if (lut) {
    for (let i = 0; i < count; i++) out[outOffset + i] = lut[src[i]];
    return;
  }
  switch (kind) {
    case 'u8': for (let i = 0; i < count; i++) out[outOffset + i] = src[i]; return;
    case 'bool': for (let i = 0; i < count; i++) out[outOffset + i] = src[i] ? 1 : 0; return;
    case 'i8': for (let i = 0; i < count; i++) out[outOffset + i] = (src[i] << 24) >> 24; return;
    case 'f4_e2m1': {
      for (let i = 0; i + 1 < count; i += 2) {
        const b = src[i >> 1];
        out[outOffset + i] = E2M1_TABLE[b & 15];
        out[outOffset + i + 1] = E2M1_TABLE[b >> 4];
      }
      if (count & 1) out[outOffset + count - 1] = E2M1_TABLE[src[count >> 1] & 15];
      return;
    }
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
        const t = fp16Table();
        const u = new Uint16Array(buffer, byteOffset, count);
        for (let i = 0; i < count; i++) out[outOffset + i] = t[u[i]];
        return;
      }
      case 'bf16': {
        const u = new Uint16Array(buffer, byteOffset, count);
        const o = new Uint32Array(out.buffer, out.byteOffset + outOffset * 4, count);
        for (let i = 0; i < count; i++) o[i] = u[i] << 16;
        return;
      }
    }
  }
  decodeWithDataView(kind, src, count, littleEndian, out, outOffset);
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
  const unit = Math.max(1, bits / 8);
  await readChunked(src, offset, storageBytes(kind, numel), unit, what, (c, at) => {
    const first = (at * 8) / bits;
    decodeElements(kind, c, Math.min((c.length * 8) / bits, numel - first), littleEndian, out, first);
  }, opts);
}
