/**
 * Unpacking kernels for stored element codes → float32, the one
 * implementation behind the file readers (safetensors F8/F4/F6, gpt-oss
 * MXFP4, compressed-tensors NVFP4, FP8 block scaling, GGUF Q8_0/Q4_0/MXFP4)
 * and formats/packing.ts (decodeBlocks, mxfp4DecodePacked).
 *
 * Every decoded value is f32(value(code) · scale), written as the float32 bit
 * pattern of a lookup table built once per scale code: a byte costs one or
 * two int32 loads and stores, with no float conversion and no allocation per
 * element. Tables are built lazily (most tensors use a few dozen scale codes).
 * Outputs are int32 views (`bitsView`) of the destination Float32Array.
 */

/** The float32 bit patterns of a value table, as int32 (copying these never converts a float). */
export const tableBits = (t: Float32Array): Int32Array => new Int32Array(t.buffer, t.byteOffset, t.length);

/** int32 view of out[outOffset, outOffset + count) (a Float32Array is always 4-byte aligned). */
export const bitsView = (out: Float32Array, outOffset: number, count: number): Int32Array =>
  new Int32Array(out.buffer, out.byteOffset + outOffset * 4, count);

/** Word loads read four codes at once when the host is little-endian (every current one) and the bytes are 4-aligned. */
const LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const wordsAt = (src: Uint8Array, at: number): boolean => LE && ((src.byteOffset + at) & 3) === 0;

/** byte b → [bits of f32(values[b & 15] · scale), bits of f32(values[b >> 4] · scale)] */
function pairBits(values: Float32Array | Float64Array, scale: number): Int32Array {
  const t = new Float32Array(512);
  for (let b = 0; b < 256; b++) {
    t[2 * b] = values[b & 15] * scale;
    t[2 * b + 1] = values[b >> 4] * scale;
  }
  return tableBits(t);
}

/** code k → bits of f32(values[k] · scale) */
function codeBits(values: Float32Array | Float64Array, scale: number): Int32Array {
  const t = new Float32Array(values.length);
  for (let k = 0; k < values.length; k++) t[k] = values[k] * scale;
  return tableBits(t);
}

/**
 * Lookup tables of `values` (the element format's value per code) times
 * scale(scaleCode), one per scale code in [0, 256), built on first use.
 * `pairs(code)` is for two 4-bit codes per byte (low nibble first), `codes(code)`
 * for one code per byte.
 */
export class ScaledTables {
  private readonly pairTables: (Int32Array | undefined)[] = [];
  /** pairs64 results by scale code, as far as built (undefined: not yet) */
  readonly pair64Tables: (Float64Array | null | undefined)[] = [];
  private readonly codeTables: (Int32Array | undefined)[] = [];
  constructor(private readonly values: Float32Array | Float64Array, private readonly scaleOf: (scaleCode: number) => number) {}
  pairs(scaleCode: number): Int32Array {
    return (this.pairTables[scaleCode] ??= pairBits(this.values, this.scaleOf(scaleCode)));
  }
  /**
   * The pair table as one float64 per byte (both float32 results in one
   * 8-byte copy, little-endian hosts), or null when some pair's bits would
   * read as a float64 NaN, whose payload a copy need not keep.
   */
  pairs64(scaleCode: number): Float64Array | null {
    let t = this.pair64Tables[scaleCode];
    if (t === undefined) {
      const p = this.pairs(scaleCode);
      let safe = LE;
      for (let b = 1; b < 512; b += 2) if ((p[b] & 0x7ff00000) === 0x7ff00000) safe = false;
      t = this.pair64Tables[scaleCode] = safe ? new Float64Array(p.buffer, p.byteOffset, 256) : null;
    }
    return t;
  }
  codes(scaleCode: number): Int32Array {
    return (this.codeTables[scaleCode] ??= codeBits(this.values, this.scaleOf(scaleCode)));
  }
}

/** Tables for one scale that is not a code (plain F4: scale 1; an FP8 tile's scale_inv). */
export const scaledPairs = pairBits;
export const scaledCodes = codeBits;

/**
 * `n` elements from 4-bit codes at src[at …] (two per byte, low nibble = even
 * element) through a pair table into o[oAt …]. An odd `n` uses only the low
 * nibble of the last byte.
 */
export function unpackNibbles(src: Uint8Array, at: number, n: number, pairs: Int32Array, o: Int32Array, oAt: number): void {
  const bytes = n >> 1;
  let k = oAt;
  let i = at;
  const end = at + bytes;
  if (bytes >= 256 && wordsAt(src, at)) {
    // four bytes per load (a view costs an allocation, so only for long runs)
    const words = new Uint32Array(src.buffer, src.byteOffset + at, bytes >> 2);
    for (let w = 0; w < words.length; w++) {
      const v = words[w];
      let b = (v & 255) << 1;
      o[k] = pairs[b]; o[k + 1] = pairs[b + 1];
      b = ((v >> 8) & 255) << 1;
      o[k + 2] = pairs[b]; o[k + 3] = pairs[b + 1];
      b = ((v >> 16) & 255) << 1;
      o[k + 4] = pairs[b]; o[k + 5] = pairs[b + 1];
      b = (v >>> 24) << 1;
      o[k + 6] = pairs[b]; o[k + 7] = pairs[b + 1];
      k += 8;
    }
    i += words.length * 4;
  }
  for (; i < end; i++, k += 2) {
    const b = src[i] << 1;
    o[k] = pairs[b];
    o[k + 1] = pairs[b + 1];
  }
  if (n & 1) o[k] = pairs[src[end] << 1];
}

/** `n` elements from one code per byte at src[at …] (masked to `mask`) through a code table into o[oAt …]. */
export function unpackBytes(src: Uint8Array, at: number, n: number, table: Int32Array, o: Int32Array, oAt: number, mask = 255): void {
  let i = 0;
  if (mask === 255 && n >= 256 && wordsAt(src, at)) {
    const words = new Uint32Array(src.buffer, src.byteOffset + at, n >> 2);
    for (let w = 0; w < words.length; w++) {
      const v = words[w];
      const k = oAt + 4 * w;
      o[k] = table[v & 255];
      o[k + 1] = table[(v >> 8) & 255];
      o[k + 2] = table[(v >> 16) & 255];
      o[k + 3] = table[v >>> 24];
    }
    i = words.length * 4;
  }
  for (; i < n; i++) o[oAt + i] = table[src[at + i] & mask];
}

const codePairTables = new WeakMap<Int32Array, Float64Array | null>();

/**
 * The 256-entry code table `table` as a 65536-entry pair table: entry h (two
 * codes, h & 255 the first element, h >> 8 the second) holds both float32
 * results as one float64 (little-endian), 512 KiB; null when some pair would
 * read as a float64 NaN (as in ScaledTables.pairs64). Built once per table.
 */
function codePairs64(table: Int32Array): Float64Array | null {
  let t = codePairTables.get(table);
  if (t === undefined) {
    let safe = LE && table.length === 256;
    for (let c = 0; safe && c < 256; c++) if ((table[c] & 0x7ff00000) === 0x7ff00000) safe = false;
    if (safe) {
      const bits = new Int32Array(131072);
      for (let h = 0; h < 65536; h++) {
        bits[2 * h] = table[h & 255];
        bits[2 * h + 1] = table[h >> 8];
      }
      t = new Float64Array(bits.buffer);
    } else t = null;
    codePairTables.set(table, t);
  }
  return t;
}

/**
 * unpackBytes for a code table that outlives the call (a format's fixed
 * table): long runs copy two elements per 8-byte load/store through
 * codePairs64(table) when src[at] is 2-aligned and o[oAt] 8-aligned.
 */
export function unpackBytesWide(src: Uint8Array, at: number, n: number, table: Int32Array, o: Int32Array, oAt: number): void {
  const pairs = n >= 4096 && ((src.byteOffset + at) & 1) === 0 && ((o.byteOffset + oAt * 4) & 7) === 0 ? codePairs64(table) : null;
  if (!pairs) return unpackBytes(src, at, n, table, o, oAt);
  const half = n >> 1;
  const u = new Uint16Array(src.buffer, src.byteOffset + at, half);
  const o64 = new Float64Array(o.buffer, o.byteOffset + oAt * 4, half);
  for (let i = 0; i < half; i++) o64[i] = pairs[u[i]];
  if (n & 1) o[oAt + n - 1] = table[src[at + n - 1]];
}

/** Writes bits of f32(values[k] · scale) into `table` (a reusable scratch, one entry per code). */
export function scaleInto(values: Float32Array | Float64Array, scale: number, table: ScratchTable): Int32Array {
  for (let k = 0; k < values.length; k++) table.f32[k] = values[k] * scale;
  return table.bits;
}

/** A reusable 256-entry table (float32 and its int32 bits), so per-block scales allocate nothing. */
export interface ScratchTable { f32: Float32Array; bits: Int32Array }
export function scratchTable(): ScratchTable {
  const f32 = new Float32Array(256);
  return { f32, bits: tableBits(f32) };
}

/** `n` elements from 4-bit codes, two per byte, low nibble = even element, through a 16-entry code table. */
export function unpackNibbles16(src: Uint8Array, at: number, n: number, table: Int32Array, o: Int32Array, oAt: number): void {
  const bytes = n >> 1;
  for (let i = 0; i < bytes; i++) {
    const b = src[at + i];
    o[oAt + 2 * i] = table[b & 15];
    o[oAt + 2 * i + 1] = table[b >> 4];
  }
  if (n & 1) o[oAt + n - 1] = table[src[at + bytes] & 15];
}

/**
 * GGML's 4-bit block layout (block_q4_0, block_mxfp4): byte j holds element j
 * in its low nibble and element j + 16 in its high nibble. Writes the first
 * `n` of the block's 32 elements through a 16-entry code table.
 */
export function unpackSplitNibbles(src: Uint8Array, at: number, n: number, table: Int32Array, o: Int32Array, oAt: number): void {
  if (n === 32) {
    for (let j = 0; j < 16; j++) {
      const v = src[at + j];
      o[oAt + j] = table[v & 15];
      o[oAt + j + 16] = table[v >> 4];
    }
    return;
  }
  for (let j = 0; j < 16; j++) {
    const v = src[at + j];
    if (j < n) o[oAt + j] = table[v & 15];
    if (j + 16 < n) o[oAt + j + 16] = table[v >> 4];
  }
}

/** GGML Q8_0 elements: out[o + j] = f32(int8(src[at + j]) · d), j < n. Returns how many have |q| ≥ 127. */
export function unpackQ8(src: Uint8Array, at: number, n: number, d: number, out: Float32Array, o: number): number {
  let atMax = 0;
  for (let j = 0; j < n; j++) {
    const q = (src[at + j] << 24) >> 24;
    out[o + j] = q * d;
    if (q === 127 || q <= -127) atMax++;
  }
  return atMax;
}

/** Q4_0 code values q − 8, q = 0 … 15 */
export const Q4_0_VALUES = new Float32Array(16).map((_, q) => q - 8);

/** nibbles of a byte whose E2M1 magnitude code is 7 (±6, the format's max) */
export const E2M1_AT_MAX = (() => {
  const t = new Uint8Array(256);
  for (let b = 0; b < 256; b++) t[b] = +((b & 7) === 7) + +(((b >> 4) & 7) === 7);
  return t;
})();

/** Sum of E2M1_AT_MAX over src[at, at + n). */
export function countE2M1AtMax(src: Uint8Array, at: number, n: number): number {
  let c = 0;
  for (let i = at; i < at + n; i++) c += E2M1_AT_MAX[src[i]];
  return c;
}

/**
 * Count of the 8 nibbles of word v whose low three bits are all set (E2M1
 * magnitude code 7 = ±6): the flags land on bits 0, 4, …, 28 and one multiply
 * sums them into the top nibble.
 */
const atMaxNibbles = (v: number): number => Math.imul(v & (v >>> 1) & (v >>> 2) & 0x11111111, 0x11111111) >>> 28;

/**
 * gpt-oss / OCP MX FP4 blocks with separate scales: block b = 16 bytes of
 * codes at codes[codesAt + 16b …] and scale code scales[scalesAt + b];
 * writes 32 elements per block to out[oAt + 32b …] through `tables` (values ×
 * scale per scale code). Returns how many codes have E2M1 magnitude 6.
 */
export function unpackFp4Blocks(
  codes: Uint8Array, codesAt: number, scales: Uint8Array, scalesAt: number, nBlocks: number,
  tables: ScaledTables, out: Float32Array, oAt: number,
): number {
  const o = bitsView(out, 0, out.length);
  if (!wordsAt(codes, codesAt)) {
    for (let b = 0; b < nBlocks; b++) unpackNibbles(codes, codesAt + 16 * b, 32, tables.pairs(scales[scalesAt + b]), o, oAt + 32 * b);
    return countE2M1AtMax(codes, codesAt, 16 * nBlocks);
  }
  const words = new Uint32Array(codes.buffer, codes.byteOffset + codesAt, nBlocks * 4);
  const o64 = ((out.byteOffset + oAt * 4) & 7) === 0 ? new Float64Array(out.buffer, out.byteOffset + oAt * 4, nBlocks * 16) : null;
  const p64 = tables.pair64Tables;
  let atMax = 0;
  for (let b = 0; b < nBlocks; b++) {
    const s = scales[scalesAt + b];
    let t64 = o64 ? p64[s] : null;
    if (t64 === undefined) t64 = tables.pairs64(s);
    if (o64 && t64) {
      // one 8-byte copy per code byte: block b = words 4b … 4b + 3 → o64[16b …]
      const w = 4 * b, k = 16 * b;
      const v0 = words[w], v1 = words[w + 1], v2 = words[w + 2], v3 = words[w + 3];
      o64[k] = t64[v0 & 255]; o64[k + 1] = t64[(v0 >>> 8) & 255]; o64[k + 2] = t64[(v0 >>> 16) & 255]; o64[k + 3] = t64[v0 >>> 24];
      o64[k + 4] = t64[v1 & 255]; o64[k + 5] = t64[(v1 >>> 8) & 255]; o64[k + 6] = t64[(v1 >>> 16) & 255]; o64[k + 7] = t64[v1 >>> 24];
      o64[k + 8] = t64[v2 & 255]; o64[k + 9] = t64[(v2 >>> 8) & 255]; o64[k + 10] = t64[(v2 >>> 16) & 255]; o64[k + 11] = t64[v2 >>> 24];
      o64[k + 12] = t64[v3 & 255]; o64[k + 13] = t64[(v3 >>> 8) & 255]; o64[k + 14] = t64[(v3 >>> 16) & 255]; o64[k + 15] = t64[v3 >>> 24];
      atMax += atMaxNibbles(v0) + atMaxNibbles(v1) + atMaxNibbles(v2) + atMaxNibbles(v3);
      continue;
    }
    const t = tables.pairs(s);
    for (let w = 4 * b, k = oAt + 32 * b; w < 4 * b + 4; w++, k += 8) {
      const v = words[w];
      let x = (v & 255) << 1;
      o[k] = t[x]; o[k + 1] = t[x + 1];
      x = ((v >> 8) & 255) << 1;
      o[k + 2] = t[x]; o[k + 3] = t[x + 1];
      x = ((v >> 16) & 255) << 1;
      o[k + 4] = t[x]; o[k + 5] = t[x + 1];
      x = (v >>> 24) << 1;
      o[k + 6] = t[x]; o[k + 7] = t[x + 1];
      atMax += atMaxNibbles(v);
    }
  }
  return atMax;
}
