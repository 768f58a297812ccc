/**
 * The table/word/8-byte fast paths of the readers (io/unpack.ts) against a
 * plain per-element decode written from the format rules with formats/minifloat
 * (a separate implementation), on tensors larger than one read chunk, from an
 * aligned and a misaligned byte source (word loads need 4-aligned bytes, the
 * 8-byte copies an 8-aligned output), with every byte value and scale code.
 */
import { describe, expect, it } from 'vitest';
import { CHUNK_BYTES, memorySource } from '../../../src/core/io/byteSource.ts';
import { openTensorFile } from '../../../src/core/io/open.ts';
import { FP4_E2M1, FP8_E4M3, FP8_E5M2 } from '../../../src/core/formats/minifloat.ts';
import { f32Hex, firstBitMismatch } from '../../helpers/fixtures.ts';
import { makeSafetensors, randomBytes } from './util.ts';

const e8m0 = (c: number) => (c === 255 ? NaN : 2 ** (c - 127));
/** formats/minifloat's decode of every code, once (the reference loops run over millions of elements) */
const codeValues = (mf: { decode(c: number): number }, n: number) => Float64Array.from({ length: n }, (_, c) => mf.decode(c));
const E2M1 = codeValues(FP4_E2M1, 16);
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
};

/** The same file as memory sources whose bytes start at byteOffset 0, 1 and 2 of their buffers. */
function sources(file: Uint8Array) {
  return [0, 1, 2].map((shift) => {
    const buf = new Uint8Array(file.length + shift);
    buf.set(file, shift);
    return [`offset ${shift}`, memorySource(buf.subarray(shift), 'k.safetensors')] as const;
  });
}

function expectSame(got: Float32Array, want: Float32Array) {
  const i = firstBitMismatch(got, want);
  expect(i, i < 0 ? '' : `[${i}]: got ${f32Hex(got[i])} want ${f32Hex(want[i])}`).toBe(-1);
}

describe('multi-chunk decodes equal a per-element decode', () => {
  const n = CHUNK_BYTES + 4 * 1024 + 48; // one chunk and a bit, a multiple of 16
  const bytes = randomBytes(n, 3);
  for (let b = 0; b < 256; b++) bytes[b] = b; // every code

  it.each([['F8_E4M3', FP8_E4M3], ['F8_E5M2', FP8_E5M2]] as const)('%s', async (dtype, mf) => {
    const file = makeSafetensors({ x: { dtype, shape: [n / 16, 16], data_offsets: [0, n] } }, bytes);
    const v = codeValues(mf, 256);
    const want = Float32Array.from(bytes, (b) => v[b]);
    for (const [, src] of sources(file)) expectSame((await (await openTensorFile([src])).read('x')).data, want);
  });

  it('BF16 (an odd element count)', async () => {
    const m = n / 2 - 1;
    const file = makeSafetensors({ x: { dtype: 'BF16', shape: [m], data_offsets: [0, 2 * m] } }, bytes.subarray(0, 2 * m));
    const want = new Float32Array(m);
    const wantBits = new Uint32Array(want.buffer);
    for (let i = 0; i < m; i++) wantBits[i] = (bytes[2 * i] | (bytes[2 * i + 1] << 8)) << 16;
    for (const [, src] of sources(file)) expectSame((await (await openTensorFile([src])).read('x')).data, want);
  });

  it('F4 (E2M1, low nibble first)', async () => {
    const file = makeSafetensors({ x: { dtype: 'F4', shape: [2 * n], data_offsets: [0, n] } }, bytes);
    const want = new Float32Array(2 * n);
    bytes.forEach((b, i) => { want[2 * i] = E2M1[b & 15]; want[2 * i + 1] = E2M1[b >> 4]; });
    for (const [, src] of sources(file)) expectSame((await (await openTensorFile([src])).read('x')).data, want);
  });

  it('gpt-oss MXFP4 with every scale code (NaN scale 255, subnormal 2^-127 … overflow 2^127) and its at-max count', async () => {
    const nb = n / 16;
    const scales = randomBytes(nb, 4);
    for (let c = 0; c < 256; c++) scales[c] = c;
    const file = makeSafetensors({
      w_blocks: { dtype: 'U8', shape: [nb, 16], data_offsets: [0, n] },
      w_scales: { dtype: 'U8', shape: [nb], data_offsets: [n, n + nb] },
    }, concat(bytes, scales));
    const want = new Float32Array(2 * n);
    let atMax = 0;
    bytes.forEach((b, i) => {
      const s = e8m0(scales[i >> 4]);
      want[2 * i] = E2M1[b & 15] * s;
      want[2 * i + 1] = E2M1[b >> 4] * s;
      atMax += +((b & 7) === 7) + +(((b >> 4) & 7) === 7);
    });
    for (const [, src] of sources(file)) {
      const d = await (await openTensorFile([src])).read('w');
      expectSame(d.data, want);
      expect(d.packedInfo?.atMaxCount).toBe(atMax);
      expect(d.packedInfo?.scaleExpHistogram?.nan).toBe(scales.filter((c) => c === 255).length);
    }
  });

  it('compressed-tensors NVFP4 with a short last block per row', async () => {
    const rows = 3, rowBytes = 4100; // 8200 columns: 512 blocks of 16 and one of 8
    const perRow = Math.ceil((rowBytes * 2) / 16);
    const codes = randomBytes(rows * rowBytes, 5);
    const sc = randomBytes(rows * perRow, 6).map((c) => c & 0x7e); // finite E4M3 scales (0x7f is NaN)
    const g = new Float32Array([448 * 6 / 3.7]);
    const file = makeSafetensors({
      'l.weight_packed': { dtype: 'U8', shape: [rows, rowBytes], data_offsets: [0, codes.length] },
      'l.weight_scale': { dtype: 'F8_E4M3', shape: [rows, perRow], data_offsets: [codes.length, codes.length + sc.length] },
      'l.weight_global_scale': { dtype: 'F32', shape: [1], data_offsets: [codes.length + sc.length, codes.length + sc.length + 4] },
    }, concat(codes, sc, new Uint8Array(g.buffer)));
    const want = new Float32Array(rows * rowBytes * 2);
    for (let r = 0; r < rows; r++) {
      for (let k = 0; k < rowBytes; k++) {
        const b = codes[r * rowBytes + k];
        const s = Math.fround(FP8_E4M3.decode(sc[r * perRow + (k >> 3)]) / g[0]);
        want[r * rowBytes * 2 + 2 * k] = E2M1[b & 15] * s;
        want[r * rowBytes * 2 + 2 * k + 1] = E2M1[b >> 4] * s;
      }
    }
    for (const [, src] of sources(file)) expectSame((await (await openTensorFile([src])).read('l.weight')).data, want);
  });
});
