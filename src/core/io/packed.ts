/**
 * Packed quantized checkpoints in safetensors, decoded with their scales.
 *
 *  - gpt-oss MXFP4 (OCP MX v1.0 §5.3 element/scale, gpt-oss weights layout):
 *      X_blocks U8 [..., nb, 16]: 32 E2M1 codes per block, byte k holds element
 *      2k in the low nibble and 2k+1 in the high nibble;
 *      X_scales U8 [..., nb]: E8M0 exponents, scale = 2^(code − 127) (255 = NaN).
 *      Logical X [..., nb·32] = f32(e2m1 · scale).
 *  - compressed-tensors NVFP4 ("nvfp4-pack-quantized"):
 *      P.weight_packed U8 [..., cols/2] (E2M1 codes, low nibble = even element),
 *      P.weight_scale F8_E4M3 [..., ceil(cols/16)], P.weight_global_scale F32 [1].
 *      The stored global scale is the encode-side factor 448·6/amax, so
 *      decoding divides by it, in compressed-tensors' order:
 *      P.weight = f32(e2m1 · f32(f32(weight_scale) / weight_global_scale)).
 *  - DeepSeek-V3 FP8 block scaling:
 *      X F8_E4M3 [O, I] + X_scale_inv F32 [ceil(O/128), ceil(I/128)];
 *      X = f32(fp8 · scale_inv of its 128×128 tile) (edge tiles are smaller).
 */
import { type ChunkOptions, readChunked, readExact } from './byteSource.ts';
import { E2M1_TABLE, E4M3_TABLE, E5M2_TABLE, MXFP4_TABLES, decodeElements } from './dtypes.ts';
import { ScaledTables, bitsView, countE2M1AtMax, scaledCodes, unpackBytes, unpackFp4Blocks, unpackNibbles } from './unpack.ts';
import type { StEntry } from './safetensors.ts';
import type { PackedLayout, PackedStats } from './types.ts';

export interface PackedGroup {
  name: string;
  shape: number[];
  numel: number;
  dtype: string;
  layout: PackedLayout;
  /** stored parts: main codes first, then scales (then the global scale) */
  parts: StEntry[];
}

const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);
const last = (s: readonly number[]) => s[s.length - 1];

/** Finds the packed tensors among `byName` (all shards together). */
export function findPackedGroups(byName: Map<string, StEntry>): PackedGroup[] {
  const groups: PackedGroup[] = [];
  for (const [name, e] of byName) {
    if (name.endsWith('_blocks') && e.dtype === 'U8' && e.shape.length >= 2 && last(e.shape) === 16) {
      const base = name.slice(0, -'_blocks'.length);
      const s = byName.get(base + '_scales');
      if (s && s.dtype === 'U8' && same(s.shape, e.shape.slice(0, -1)) && !byName.has(base)) {
        const shape = [...e.shape.slice(0, -2), e.shape[e.shape.length - 2] * 32];
        groups.push({
          name: base, shape, numel: e.numel * 2, dtype: 'mxfp4-packed', parts: [e, s],
          layout: { kind: 'mxfp4', elementFormat: 'fp4_e2m1', blockSize: 32, scaleFormat: 'e8m0', parts: [e.name, s.name],
            rule: 'x = e2m1(code) · 2^(scale − 127), 32 elements per E8M0 scale (gpt-oss MXFP4)' },
        });
      }
    }
    if (name.endsWith('weight_packed') && e.dtype === 'U8' && e.shape.length >= 1) {
      const p = name.slice(0, -'weight_packed'.length);
      const s = byName.get(p + 'weight_scale');
      const g = byName.get(p + 'weight_global_scale');
      const cols = last(e.shape) * 2;
      if (s && g && s.dtype === 'F8_E4M3' && g.dtype === 'F32' && g.numel === 1 && !byName.has(p + 'weight')
        && same(s.shape, [...e.shape.slice(0, -1), Math.ceil(cols / 16)])) {
        groups.push({
          name: p + 'weight', shape: [...e.shape.slice(0, -1), cols], numel: e.numel * 2, dtype: 'nvfp4-packed', parts: [e, s, g],
          layout: { kind: 'nvfp4', elementFormat: 'fp4_e2m1', blockSize: 16, scaleFormat: 'e4m3-f32', parts: [e.name, s.name, g.name],
            rule: 'x = e2m1(code) · (e4m3 scale / global scale), 16 elements per scale (compressed-tensors NVFP4)' },
        });
      }
    }
    if ((e.dtype === 'F8_E4M3' || e.dtype === 'F8_E5M2') && e.shape.length === 2) {
      const s = byName.get(name + '_scale_inv');
      if (s && s.dtype === 'F32' && same(s.shape, [Math.ceil(e.shape[0] / 128), Math.ceil(e.shape[1] / 128)])) {
        const el = e.dtype === 'F8_E5M2' ? 'fp8_e5m2' : 'fp8_e4m3';
        groups.push({
          name, shape: [...e.shape], numel: e.numel, dtype: e.dtype, parts: [e, s],
          layout: { kind: 'fp8-block', elementFormat: el, blockSize: [128, 128], scaleFormat: 'f32', parts: [e.name, s.name],
            rule: `x = ${el}(code) · scale_inv of its 128×128 tile (DeepSeek-V3 block scaling)` },
        });
      }
    }
  }
  return groups;
}

function finish(kind: PackedStats['kind'], atMax: number, numel: number, hist?: Uint32Array): PackedStats {
  const st: PackedStats = { kind, atMaxCount: atMax, atMaxFraction: numel ? atMax / numel : 0 };
  if (hist) {
    st.scaleExpHistogram = {};
    hist.forEach((n, c) => { if (n) st.scaleExpHistogram![c === 255 ? 'nan' : String(c - 127)] = n; });
  }
  return st;
}

/**
 * Decodes `g` into `out` (length g.numel) chunk by chunk as its bytes arrive
 * and returns its packed statistics, from the same single read.
 */
export async function decodePacked(g: PackedGroup, out: Float32Array, opts: ChunkOptions): Promise<PackedStats> {
  const total = g.parts.reduce((a, p) => a + p.byteSize, 0);
  const [main, scalePart] = g.parts;
  const progress: [number, number] = [0, total];
  const small = async (e: StEntry): Promise<Uint8Array> => {
    const b = await readExact(e.src, e.offset, e.byteSize, `tensor "${e.name}"`);
    progress[0] += e.byteSize;
    opts.onProgress?.(progress[0], total);
    return b;
  };
  const o32 = bitsView(out, 0, out.length);
  let atMax = 0;
  if (g.layout.kind === 'mxfp4') {
    const scales = await small(scalePart);
    const hist = new Uint32Array(256);
    for (let i = 0; i < scales.length; i++) hist[scales[i]]++;
    await readChunked(main.src, main.offset, main.byteSize, 16, `tensor "${main.name}"`, (c, at) => {
      atMax += unpackFp4Blocks(c, 0, scales, at >> 4, c.length >> 4, MXFP4_TABLES, out, at * 2);
    }, opts, progress);
    return finish('mxfp4', atMax, g.numel, hist);
  }
  if (g.layout.kind === 'nvfp4') {
    const sBytes = await small(scalePart);
    const gBytes = await small(g.parts[2]);
    const global = new Float32Array(1);
    decodeElements('f32', gBytes, 1, true, global, 0);
    // block scale f32(f32(e4m3) / global), then f32(e2m1 · block scale)
    const tables = new ScaledTables(E2M1_TABLE, (code) => Math.fround(E4M3_TABLE[code] / global[0]));
    const rowBytes = last(main.shape);
    const cols = rowBytes * 2;
    const perRow = Math.ceil(cols / 16);
    await readChunked(main.src, main.offset, main.byteSize, Math.max(rowBytes, 1), `tensor "${main.name}"`, (c, at) => {
      for (let r0 = 0; r0 < c.length; r0 += rowBytes) {
        const sBase = ((at + r0) / rowBytes) * perRow;
        const oRow = (at + r0) * 2;
        for (let k = 0; k < perRow; k++) {
          unpackNibbles(c, r0 + 8 * k, Math.min(16, cols - 16 * k), tables.pairs(sBytes[sBase + k]), o32, oRow + 16 * k);
        }
      }
      atMax += countE2M1AtMax(c, 0, c.length);
    }, opts, progress);
    return finish('nvfp4', atMax, g.numel);
  }
  // fp8-block
  const sb = await small(scalePart);
  const sinv = new Float32Array(scalePart.numel);
  decodeElements('f32', sb, scalePart.numel, true, sinv, 0);
  const [, cols] = main.shape;
  const tilesPerRow = Math.ceil(cols / 128);
  const lut = main.dtype === 'F8_E5M2' ? E5M2_TABLE : E4M3_TABLE;
  const maxCode = main.dtype === 'F8_E5M2' ? 0x7b : 0x7e;
  // tables of the 128-row band being decoded: f32(fp8 · scale_inv) for each tile of the band
  let band = -1;
  const tables: Int32Array[] = [];
  await readChunked(main.src, main.offset, main.byteSize, Math.max(cols, 1), `tensor "${main.name}"`, (c, at) => {
    for (let r0 = 0; r0 < c.length; r0 += cols) {
      const row = (at + r0) / cols;
      if (row >> 7 !== band) {
        band = row >> 7;
        for (let t = 0; t < tilesPerRow; t++) tables[t] = scaledCodes(lut, sinv[band * tilesPerRow + t]);
      }
      for (let t = 0; t < tilesPerRow; t++) unpackBytes(c, r0 + 128 * t, Math.min(128, cols - 128 * t), tables[t], o32, at + r0 + 128 * t);
    }
    for (let i = 0; i < c.length; i++) if ((c[i] & 0x7f) === maxCode) atMax++;
  }, opts, progress);
  return finish('fp8-block', atMax, g.numel);
}
