/**
 * Packed block encodings: decode(encode(x)) against the golden x̂ of
 * gen_blocks.py, the gpt-oss MXFP4 layout and gguf-py's Q8_0/Q4_0 bytes.
 */
import { describe, expect, it } from 'vitest';
import { readFixtureJson, hexToF32, f32Hex, firstBitMismatch } from '../../helpers/fixtures.ts';
import { tensor2D } from '../../../src/core/tensor.ts';
import type { BlockFormatId } from '../../../src/core/formats/registry.ts';
import type { Rounding, ScaleRule } from '../../../src/core/quant/options.ts';
import {
  decodeBlocks, decodeE2M1, decodeE4M3, decodeE8M0, decodeFp16, encodeBlocks, mxfp4DecodePacked,
} from '../../../src/core/formats/packing.ts';

interface Case {
  name: string; shape: number[]; x: string; xhat: string; rule?: ScaleRule; rounding?: Rounding; seed?: number;
  source?: string; packed?: string; gptossBlocks?: string; gptossScales?: string;
}
const FORMATS: BlockFormatId[] = ['mxfp8_e4m3', 'mxfp8_e5m2', 'mxfp6_e2m3', 'mxfp6_e3m2', 'mxfp4', 'mxint8', 'nvfp4', 'nf4', 'q8_0', 'q4_0'];
const hexBytes = (h: string): Uint8Array => Uint8Array.from(h.match(/../g) ?? [], (b) => parseInt(b, 16));

/** x̂ expected after a round trip: NaN inputs have no code (FP8 keeps NaN); MXINT8 has no −0. */
function expectedRoundTrip(format: BlockFormatId, x: Float32Array, want: Float32Array): Float32Array {
  const w = want.slice();
  for (let i = 0; i < w.length; i++) {
    if (Number.isNaN(x[i]) && !format.startsWith('mxfp8')) w[i] = NaN; // compared as "any value" below
    if (format === 'mxint8' && w[i] === 0) w[i] = 0;
  }
  return w;
}

for (const format of FORMATS) {
  const cases = readFixtureJson<{ cases: Case[] }>(`blocks/${format}.json`).cases;
  describe(`${format} packed round trip`, () => {
    for (const c of cases) {
      it(c.name, () => {
        const x = tensor2D(hexToF32(c.x), c.shape);
        const p = encodeBlocks(x, format, { scaleRule: c.rule ?? 'floor', rounding: c.rounding ?? 'rne', seed: c.seed ?? 0 });
        const got = decodeBlocks(p);
        const want = expectedRoundTrip(format, x.data, hexToF32(c.xhat));
        for (let i = 0; i < got.length; i++) if (Number.isNaN(x.data[i]) && !format.startsWith('mxfp8')) got[i] = NaN;
        const i = firstBitMismatch(got, want);
        if (i >= 0) expect.fail(`element ${i}: got ${f32Hex(got[i])} want ${f32Hex(want[i])}`);
        expect(p.codes.length).toBe(x.rows * Math.ceil(x.cols / p.blockSize) * p.bytesPerBlock);
        if (c.gptossBlocks && c.gptossScales) {
          expect(Buffer.from(p.codes).toString('hex')).toBe(c.gptossBlocks);
          expect(Buffer.from(p.scales as Uint8Array).toString('hex')).toBe(c.gptossScales);
          const dec = mxfp4DecodePacked(hexBytes(c.gptossBlocks), hexBytes(c.gptossScales));
          expect(firstBitMismatch(dec, hexToF32(c.xhat))).toBe(-1);
        }
        if (c.packed) {
          // gguf-py bytes: per block, fp16 d (little endian) then the codes
          const ggml = hexBytes(c.packed);
          const per = 2 + p.bytesPerBlock;
          const scales = p.scales as Uint16Array;
          expect(ggml.length).toBe(scales.length * per);
          for (let b = 0; b < scales.length; b++) {
            expect([ggml[b * per], ggml[b * per + 1]]).toEqual([scales[b] & 0xff, scales[b] >> 8]);
            expect(Array.from(ggml.subarray(b * per + 2, (b + 1) * per))).toEqual(Array.from(p.codes.subarray(b * p.bytesPerBlock, (b + 1) * p.bytesPerBlock)));
          }
        }
      });
    }
  });
}

describe('scale and element byte decoders (values from OCP MX v1.0 tables)', () => {
  it('E8M0: bias 127, 0xFF is NaN', () => {
    expect(decodeE8M0(127)).toBe(1);
    expect(decodeE8M0(0)).toBe(5.877471754111438e-39); // 2^-127
    expect(decodeE8M0(254)).toBe(1.7014118346046923e38); // 2^127
    expect(decodeE8M0(255)).toBeNaN();
  });
  it('E4M3: max 448, min subnormal 2^-9, NaN 0x7F', () => {
    expect(decodeE4M3(0x7e)).toBe(448);
    expect(decodeE4M3(0x01)).toBe(0.001953125);
    expect(decodeE4M3(0x38)).toBe(1);
    expect(decodeE4M3(0xfe)).toBe(-448);
    expect(decodeE4M3(0x7f)).toBeNaN();
  });
  it('E2M1: the 16 codes', () => {
    expect(Array.from({ length: 16 }, (_, k) => decodeE2M1(k))).toEqual([0, 0.5, 1, 1.5, 2, 3, 4, 6, -0, -0.5, -1, -1.5, -2, -3, -4, -6]);
  });
  it('fp16 bits', () => {
    expect(decodeFp16(0x3c00)).toBe(1);
    expect(decodeFp16(0x7bff)).toBe(65504);
    expect(decodeFp16(0xfc00)).toBe(-Infinity);
  });
});

describe('mxfp4DecodePacked (gpt-oss _blocks/_scales)', () => {
  it('low nibble is the even element; scale is 2^(byte-127)', () => {
    const blocks = new Uint8Array(16);
    blocks[0] = 0x71; // element 0 = code 1 (0.5), element 1 = code 7 (6)
    blocks[15] = 0xf9; // element 30 = code 9 (-0.5), element 31 = code 15 (-6)
    const got = mxfp4DecodePacked(blocks, new Uint8Array([128]));
    expect([got[0], got[1], got[2], got[30], got[31]]).toEqual([1, 12, 0, -1, -12]);
  });
  it('E8M0 0 gives exact float32 subnormals, 0xFF a NaN block', () => {
    const blocks = new Uint8Array(32).fill(0x31); // codes 1 (0.5) and 3 (1.5)
    const got = mxfp4DecodePacked(blocks, new Uint8Array([0, 255]));
    expect(got[0]).toBe(2.938735877055719e-39); // 0.5 · 2^-127 = 2^-128
    expect(got[1]).toBe(8.816207631167156e-39); // 1.5 · 2^-127
    expect(got[32]).toBeNaN();
  });
  it('rejects mismatched lengths with one sentence', () => {
    expect(() => mxfp4DecodePacked(new Uint8Array(15), new Uint8Array(1))).toThrow(/16 bytes per block of 32/);
  });
});
