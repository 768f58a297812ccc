/**
 * ggml tensor types (ggml.h `enum ggml_type`; block sizes and bytes per block
 * as in gguf-py GGML_QUANT_SIZES) and the block decoders quantscope has.
 * Decoded exactly as gguf-py's `gguf.quants.dequantize` (float32 arithmetic):
 *   Q8_0  block 34 B: fp16 d, int8 q[32];           x_j = f32(q_j · d)
 *   Q4_0  block 18 B: fp16 d, u8 qs[16];            x_j = f32((qs[j] & 15) − 8) · d),
 *                                                   x_{j+16} = f32(((qs[j] >> 4) − 8) · d)
 *   MXFP4 block 17 B: e8m0 e, u8 qs[16];            x_j = f32(k[qs[j] & 15] · h(e)),
 *                                                   x_{j+16} = f32(k[qs[j] >> 4] · h(e)),
 *         k = E2M1 values doubled {0,1,2,3,4,6,8,12, 0,−1,…,−12}, h(e) = 2^(e−128)
 *         (ggml_e8m0_to_fp32_half; e = 0, 1 give 2^−128, 2^−127).
 */
import { type ElementKind, fp16Table } from './dtypes.ts';
import { Q4_0_VALUES, ScaledTables, bitsView, countE2M1AtMax, scaleInto, scratchTable, unpackQ8, unpackSplitNibbles } from './unpack.ts';
import type { PackedStats } from './types.ts';

export interface GgmlType {
  name: string;
  blockSize: number;
  typeSize: number;
  /** plain element kind (block size 1) */
  kind?: ElementKind;
  /** a block decoder exists */
  block?: 'q8_0' | 'q4_0' | 'mxfp4';
}

export const GGML_TYPES: Record<number, GgmlType> = {
  0: { name: 'F32', blockSize: 1, typeSize: 4, kind: 'f32' },
  1: { name: 'F16', blockSize: 1, typeSize: 2, kind: 'f16' },
  2: { name: 'Q4_0', blockSize: 32, typeSize: 18, block: 'q4_0' },
  3: { name: 'Q4_1', blockSize: 32, typeSize: 20 },
  6: { name: 'Q5_0', blockSize: 32, typeSize: 22 },
  7: { name: 'Q5_1', blockSize: 32, typeSize: 24 },
  8: { name: 'Q8_0', blockSize: 32, typeSize: 34, block: 'q8_0' },
  9: { name: 'Q8_1', blockSize: 32, typeSize: 40 },
  10: { name: 'Q2_K', blockSize: 256, typeSize: 84 },
  11: { name: 'Q3_K', blockSize: 256, typeSize: 110 },
  12: { name: 'Q4_K', blockSize: 256, typeSize: 144 },
  13: { name: 'Q5_K', blockSize: 256, typeSize: 176 },
  14: { name: 'Q6_K', blockSize: 256, typeSize: 210 },
  15: { name: 'Q8_K', blockSize: 256, typeSize: 292 },
  16: { name: 'IQ2_XXS', blockSize: 256, typeSize: 66 },
  17: { name: 'IQ2_XS', blockSize: 256, typeSize: 74 },
  18: { name: 'IQ3_XXS', blockSize: 256, typeSize: 98 },
  19: { name: 'IQ1_S', blockSize: 256, typeSize: 50 },
  20: { name: 'IQ4_NL', blockSize: 32, typeSize: 18 },
  21: { name: 'IQ3_S', blockSize: 256, typeSize: 110 },
  22: { name: 'IQ2_S', blockSize: 256, typeSize: 82 },
  23: { name: 'IQ4_XS', blockSize: 256, typeSize: 136 },
  24: { name: 'I8', blockSize: 1, typeSize: 1, kind: 'i8' },
  25: { name: 'I16', blockSize: 1, typeSize: 2, kind: 'i16' },
  26: { name: 'I32', blockSize: 1, typeSize: 4, kind: 'i32' },
  27: { name: 'I64', blockSize: 1, typeSize: 8, kind: 'i64' },
  28: { name: 'F64', blockSize: 1, typeSize: 8, kind: 'f64' },
  29: { name: 'IQ1_M', blockSize: 256, typeSize: 56 },
  30: { name: 'BF16', blockSize: 1, typeSize: 2, kind: 'bf16' },
  34: { name: 'TQ1_0', blockSize: 256, typeSize: 54 },
  35: { name: 'TQ2_0', blockSize: 256, typeSize: 66 },
  39: { name: 'MXFP4', blockSize: 32, typeSize: 17, block: 'mxfp4' },
  40: { name: 'NVFP4', blockSize: 64, typeSize: 36 },
  41: { name: 'Q1_0', blockSize: 128, typeSize: 18 },
};

const MXFP4_K = new Float32Array([0, 1, 2, 3, 4, 6, 8, 12, 0, -1, -2, -3, -4, -6, -8, -12]);
const E8M0_HALF = (() => {
  const t = new Float32Array(256);
  for (let e = 0; e < 256; e++) t[e] = e < 2 ? 2 ** (-128 + e) : 2 ** (e - 128);
  return t;
})();
/** ggml MXFP4: f32(k[code] · h(e)) per E8M0 byte e */
const GGML_MXFP4_TABLES = new ScaledTables(MXFP4_K, (e) => E8M0_HALF[e]);

/** Running statistics of a block decode. */
export interface BlockStats { atMax: number; hist?: Uint32Array }

/**
 * Decodes whole blocks in `c` (a multiple of typeSize bytes) into out from
 * element `first`. Updates `st` (elements at the element format's max:
 * |q| = 127 for Q8_0, code 0 (= −8) for Q4_0, |e2m1| = 6 for MXFP4).
 */
export function decodeBlocks(kind: 'q8_0' | 'q4_0' | 'mxfp4', c: Uint8Array, out: Float32Array, first: number, st: BlockStats): void {
  const h = fp16Table();
  const o32 = bitsView(out, 0, out.length);
  let o = first;
  if (kind === 'q8_0') {
    for (let b = 0; b < c.length; b += 34, o += 32) st.atMax += unpackQ8(c, b + 2, 32, h[c[b] | (c[b + 1] << 8)], out, o);
  } else if (kind === 'q4_0') {
    const scratch = scratchTable();
    for (let b = 0; b < c.length; b += 18, o += 32) {
      unpackSplitNibbles(c, b + 2, 32, scaleInto(Q4_0_VALUES, h[c[b] | (c[b + 1] << 8)], scratch), o32, o);
      for (let j = b + 2; j < b + 18; j++) st.atMax += +((c[j] & 15) === 0) + +((c[j] >> 4) === 0);
    }
  } else {
    const hist = (st.hist ??= new Uint32Array(256));
    for (let b = 0; b < c.length; b += 17, o += 32) {
      hist[c[b]]++;
      unpackSplitNibbles(c, b + 1, 32, GGML_MXFP4_TABLES.codes(c[b]), o32, o);
      st.atMax += countE2M1AtMax(c, b + 1, 16);
    }
  }
}

export function blockStats(kind: 'q8_0' | 'q4_0' | 'mxfp4', st: BlockStats, numel: number): PackedStats {
  const r: PackedStats = { kind: kind === 'mxfp4' ? 'gguf-mxfp4' : kind, atMaxCount: st.atMax, atMaxFraction: numel ? st.atMax / numel : 0 };
  if (st.hist) {
    r.scaleExpHistogram = {};
    st.hist.forEach((n, e) => { if (n) r.scaleExpHistogram![String(e - 127)] = n; });
  }
  return r;
}
