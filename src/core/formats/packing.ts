/**
 * Packed (storage) encodings of the block formats and their decoders.
 * decodeBlocks(encodeBlocks(x)) equals quantizeBlockFormat(x).xhat bit for bit
 * for finite x, with two documented exceptions: codes cannot hold NaN (a NaN
 * element is stored as the +0 code of its format, except FP8 elements, which
 * have a NaN code), and MXINT8's int8 code has no −0 (it decodes as +0).
 *
 * Layout, per row, block by block (blocks never cross rows; a row's short last
 * block is padded with the code of +0 up to the full block):
 *  - 4-bit codes (MXFP4, NVFP4, NF4): two per byte, the LOW nibble holds the
 *    even element (as gpt-oss MXFP4 `_blocks`); E2M1 codes are s·ee·m.
 *  - Q4_0: GGML's block_q4_0 layout: byte j holds element j (low nibble) and
 *    element j + 16 (high nibble); codes are q = 0…15 (value q − 8).
 *  - 6-bit and 8-bit codes: one per byte (FP6 in the low 6 bits; FP8 as
 *    OCP E4M3/E5M2 bytes; MXINT8 and Q8_0 as two's-complement int8).
 * Scales: MX → Uint8Array E8M0 bytes (E + 127, OCP MX v1.0 §5.4.1); NVFP4 →
 * Uint8Array E4M3 bytes plus `tensorScale` (float32 g); NF4 → Float32Array
 * absmax; Q8_0/Q4_0 → Uint16Array fp16 bit patterns of d.
 */
import type { Tensor2D } from '../tensor.ts';
import type { QuantContext } from '../quant/types.ts';
import type { QuantOptions } from '../quant/options.ts';
import { BLOCK_FORMAT_IDS, type BlockFormatId } from './registry.ts';
import { FP16, FP4_E2M1, FP8_E4M3, type Minifloat } from './minifloat.ts';
import { MX_BLOCK, MX_ELEMENTS, isMxFormat } from './mx.ts';
import { decodeE8M0, encodeE8M0, scaleExpCeil, scaleExpFloor } from './e8m0.ts';
import { NVFP4_BLOCK, nvfp4BlockScale, nvfp4TensorScale } from './nvfp4.ts';
import { NF4_BLOCK, NF4_CODEBOOK, nf4Code } from './codebook.ts';
import { GGML_BLOCK, ggmlInverse, q4_0Code, q4_0Max, q8_0Code, q8_0Scale } from './ggml.ts';
import { finiteAmax, finiteAmaxBits, u32View } from './blockCommon.ts';
import { castInt, castIntStochastic } from './int.ts';
import { drawToUnit, mulberry32At } from '../rng.ts';
import { MXFP4_TABLES } from '../io/dtypes.ts';
import {
  Q4_0_VALUES, ScaledTables, bitsView, scaleInto, scratchTable, unpackBytes, unpackFp4Blocks, unpackNibbles, unpackNibbles16,
  unpackQ8, unpackSplitNibbles,
} from '../io/unpack.ts';

export interface PackedBlocks {
  format: BlockFormatId;
  rows: number;
  cols: number;
  blockSize: number;
  blocksPerRow: number;
  /** bits of one element code (4, 6 or 8) */
  codeBits: number;
  /** bytes per (padded) block in `codes` */
  bytesPerBlock: number;
  codes: Uint8Array;
  /** one scale per block, row-major [rows, blocksPerRow] (see the module comment) */
  scales: Uint8Array | Uint16Array | Float32Array;
  /** NVFP4 only: the float32 per-tensor scale g */
  tensorScale?: number;
}

export type PackOptions = Pick<QuantOptions, 'scaleRule' | 'rounding' | 'seed'>;

/** Value of an OCP FP8 E4M3 byte (NaN for 0x7F/0xFF). */
export const decodeE4M3 = (byte: number): number => FP8_E4M3.decode(byte);
/** Value of an FP4 E2M1 nibble (s·ee·m). */
export const decodeE2M1 = (nibble: number): number => FP4_E2M1.decode(nibble & 0xf);
/** Value of IEEE fp16 bits. */
export const decodeFp16 = (bits: number): number => FP16.decode(bits & 0xffff);
export { decodeE8M0 };

const blockSizeOf = (f: BlockFormatId): number => (f === 'nvfp4' ? NVFP4_BLOCK : f === 'nf4' ? NF4_BLOCK : isMxFormat(f) ? MX_BLOCK : GGML_BLOCK);
const codeBitsOf = (f: BlockFormatId): number =>
  f === 'mxfp4' || f === 'nvfp4' || f === 'nf4' || f === 'q4_0' ? 4 : f === 'mxfp6_e2m3' || f === 'mxfp6_e3m2' ? 6 : 8;

/** Position of element j of a block in a 4-bit layout, as byteIndex · 8 + bitShift. */
function nibbleAt(format: BlockFormatId, blockBase: number, j: number): number {
  if (format === 'q4_0') return (blockBase + (j & 15)) * 8 + (j < 16 ? 0 : 4);
  return (blockBase + (j >> 1)) * 8 + (j & 1) * 4;
}

/** Element code of value q (already on the element grid); NaN → the +0 code unless the format has one. */
function mfCode(mf: Minifloat, q: number): number {
  return q !== q && mf.spec.nanCode < 0 ? 0 : mf.encode(q);
}

/** Encode x into the packed layout of `format` (same arithmetic as quantizeBlockFormat). */
export function encodeBlocks(x: Tensor2D, format: BlockFormatId, opts: PackOptions, ctx?: QuantContext): PackedBlocks {
  if (!(BLOCK_FORMAT_IDS as readonly string[]).includes(format)) {
    throw new Error(`"${format}" is not a block format; valid block formats: ${BLOCK_FORMAT_IDS.join(', ')}`);
  }
  const { rows, cols, data } = x;
  const blockSize = blockSizeOf(format);
  const codeBits = codeBitsOf(format);
  const bytesPerBlock = codeBits === 4 ? blockSize / 2 : blockSize;
  const blocksPerRow = Math.ceil(cols / blockSize);
  const nBlocks = rows * blocksPerRow;
  const codes = new Uint8Array(nBlocks * bytesPerBlock);
  const xU = u32View(data);
  const stochastic = opts.rounding === 'stochastic';
  const rowOffset = ctx?.rowOffset ?? 0;
  const draw = (r: number, c: number): number => drawToUnit(mulberry32At(opts.seed, (rowOffset + r) * cols + c));
  const g = format === 'nvfp4' ? nvfp4TensorScale(ctx?.tensorAmax ?? finiteAmax(data)) : 0;
  const scales = format === 'nf4' ? new Float32Array(nBlocks)
    : format === 'q8_0' || format === 'q4_0' ? new Uint16Array(nBlocks) : new Uint8Array(nBlocks);
  const f32 = new Float32Array(1);
  const f32U = new Uint32Array(f32.buffer);
  let b = 0;
  for (let r = 0; r < rows; r++) {
    for (let c0 = 0; c0 < cols; c0 += blockSize, b++) {
      const start = r * cols + c0;
      const end = Math.min(start + blockSize, r * cols + cols);
      const base = b * bytesPerBlock;
      f32U[0] = finiteAmaxBits(xU, start, end);
      const amax = f32[0];
      // code(j) for element j of this block, by format
      let code: (v: number, c: number) => number;
      if (isMxFormat(format)) {
        const el = MX_ELEMENTS[format];
        const e = opts.scaleRule === 'ceil' ? scaleExpCeil(amax, el.max) : scaleExpFloor(f32U[0], el.emax);
        scales[b] = encodeE8M0(e);
        const inv = 2 ** -e;
        const mf = el.mf;
        if (mf) {
          code = (v, c) => { const y = Math.fround(v * inv); return mfCode(mf, stochastic ? mf.castStochastic(y, draw(r, c)) : mf.cast(y)); };
        } else {
          code = (v, c) => {
            const t = Math.fround(v * inv) * 64;
            const q = stochastic ? castIntStochastic(t, draw(r, c), 127) : castInt(t, 127);
            return q !== q ? 0 : q & 0xff;
          };
        }
      } else if (format === 'nvfp4') {
        const s = g === 0 ? 0 : nvfp4BlockScale(amax, g);
        const S = Math.fround(s * g);
        scales[b] = FP8_E4M3.encode(s);
        code = (v, c) => {
          if (S === 0) return v < 0 || Object.is(v, -0) ? 8 : 0;
          const y = Math.fround(v / S);
          return mfCode(FP4_E2M1, stochastic ? FP4_E2M1.castStochastic(y, draw(r, c)) : FP4_E2M1.cast(y));
        };
      } else if (format === 'nf4') {
        scales[b] = amax;
        code = (v) => (amax === 0 || v !== v ? 7 : nf4Code(Math.fround(v / amax)));
      } else if (format === 'q8_0') {
        const d = q8_0Scale(amax);
        const id = ggmlInverse(d);
        scales[b] = FP16.encode(FP16.cast(d));
        code = (v) => { const q = q8_0Code(v, id); return q !== q ? 0 : q & 0xff; };
      } else {
        const d = Math.fround(q4_0Max(data, xU, start, end) / -8);
        const id = ggmlInverse(d);
        scales[b] = FP16.encode(FP16.cast(d));
        code = (v) => { const q = q4_0Code(v, id); return q !== q ? 8 : q; };
      }
      for (let j = 0; j < blockSize; j++) {
        const inRow = start + j < end;
        const v = inRow ? data[start + j] : 0;
        const k = code(v, c0 + j);
        if (codeBits === 4) {
          const pos = nibbleAt(format, base, j);
          codes[pos >> 3] |= (k & 0xf) << (pos & 7);
        } else {
          codes[base + j] = k;
        }
      }
    }
  }
  return { format, rows, cols, blockSize, blocksPerRow, codeBits, bytesPerBlock, codes, scales, tensorScale: format === 'nvfp4' ? g : undefined };
}

/** Value of every code of an MX element format (one per byte; 64 for FP6, 256 for FP8 and MXINT8). */
function mxCodeValues(format: BlockFormatId): Float64Array {
  const mf = MX_ELEMENTS[format as keyof typeof MX_ELEMENTS].mf;
  const n = codeBitsOf(format) === 6 ? 64 : codeBitsOf(format) === 4 ? 16 : 256;
  const v = new Float64Array(n);
  for (let k = 0; k < n; k++) v[k] = mf ? mf.decode(k) : ((k << 24) >> 24) / 64;
  return v;
}

/**
 * x̂ (row-major [rows, cols]) from a packed encoding; written into `out` when
 * given. The unpacking is io/unpack.ts's, the same kernels the file readers
 * use: x̂ = f32(value(code) · scale), through a table per scale code.
 */
export function decodeBlocks(p: PackedBlocks, out?: Float32Array): Float32Array {
  const { format, rows, cols, blockSize, blocksPerRow, bytesPerBlock, codes, scales } = p;
  const xhat = out ?? new Float32Array(rows * cols);
  const o32 = bitsView(xhat, 0, xhat.length);
  const scratch = scratchTable();
  // MX: values × E8M0 scale; NVFP4: e2m1 × f32(e4m3 · g); tables per scale code
  const tables = isMxFormat(format) ? new ScaledTables(mxCodeValues(format), decodeE8M0)
    : format === 'nvfp4' ? new ScaledTables(E2M1_VALUES, (code) => Math.fround(decodeE4M3(code) * (p.tensorScale ?? 0)))
      : null;
  for (let r = 0; r < rows; r++) {
    for (let bj = 0; bj < blocksPerRow; bj++) {
      const b = r * blocksPerRow + bj;
      const base = b * bytesPerBlock;
      const c0 = bj * blockSize;
      const n = Math.min(blockSize, cols - c0);
      const o = r * cols + c0;
      if (tables) {
        if (p.codeBits === 4) unpackNibbles(codes, base, n, tables.pairs(scales[b]), o32, o);
        else unpackBytes(codes, base, n, tables.codes(scales[b]), o32, o, p.codeBits === 6 ? 63 : 255);
      } else if (format === 'nf4') {
        unpackNibbles16(codes, base, n, scaleInto(NF4_CODEBOOK, scales[b], scratch), o32, o);
      } else if (format === 'q8_0') {
        unpackQ8(codes, base, n, decodeFp16(scales[b]), xhat, o);
      } else {
        unpackSplitNibbles(codes, base, n, scaleInto(Q4_0_VALUES, decodeFp16(scales[b]), scratch), o32, o);
      }
    }
  }
  return xhat;
}

const E2M1_VALUES = Float64Array.from({ length: 16 }, (_, k) => FP4_E2M1.decode(k));

/**
 * gpt-oss style MXFP4 tensors: `blocks` = uint8 pairs of E2M1 nibbles (low
 * nibble = even element), 16 bytes per block of 32; `scales` = one E8M0 byte
 * per block (bias 127; 0xFF = NaN). Returns the float32 values, 32 per scale,
 * in block order: x = f32(e2m1(code) · 2^(scale − 127)). Same kernel as the
 * safetensors reader (io/unpack.ts unpackFp4Blocks).
 */
export function mxfp4DecodePacked(blocks: Uint8Array, scales: Uint8Array, out?: Float32Array): Float32Array {
  const n = scales.length;
  if (blocks.length !== n * 16) {
    throw new Error(`MXFP4 blocks hold ${blocks.length} bytes but ${n} scales need ${n * 16} (16 bytes per block of 32)`);
  }
  const xhat = out ?? new Float32Array(n * 32);
  unpackFp4Blocks(blocks, 0, scales, 0, n, MXFP4_TABLES, xhat, 0);
  return xhat;
}
