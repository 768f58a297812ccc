/**
 * Row slices (QuantContext) and in-place output: quantizing rows [r0, r1) with
 * rowOffset = r0 (and NVFP4's whole-tensor amax) must reproduce the same rows of
 * the golden whole-tensor result, including stochastic draws (DOMAIN.md §4).
 */
import { describe, expect, it } from 'vitest';
import { readFixtureJson, hexToF32, firstBitMismatch } from '../../helpers/fixtures.ts';
import { tensor2D } from '../../../src/core/tensor.ts';
import { quantizeBlockFormat } from '../../../src/core/formats/blockQuantize.ts';
import { DEFAULT_QUANT_OPTIONS, type QuantOptions } from '../../../src/core/quant/options.ts';
import type { BlockFormatId } from '../../../src/core/formats/registry.ts';

interface Case { name: string; shape: number[]; x: string; xhat: string; rule?: 'floor' | 'ceil'; rounding?: 'rne' | 'stochastic'; seed?: number }

function load(format: BlockFormatId, name: string): Case {
  const c = readFixtureJson<{ cases: Case[] }>(`blocks/${format}.json`).cases.find((k) => k.name === name);
  if (!c) throw new Error(`fixture ${format}/${name} missing`);
  return c;
}

const optsOf = (format: BlockFormatId, c: Case): QuantOptions => ({
  ...DEFAULT_QUANT_OPTIONS, format, scaleRule: c.rule ?? 'floor', rounding: c.rounding ?? 'rne', seed: c.seed ?? 0,
});

/** finite absmax written out by hand from the data, not by the code under test */
function tensorAmax(data: Float32Array): number {
  let m = 0;
  for (const v of data) if (Number.isFinite(v) && Math.abs(v) > m) m = Math.abs(v);
  return m;
}

const SLICED: [BlockFormatId, string][] = [
  ['mxfp4', 'stochastic_seed7/floor'], ['mxfp4', 'stochastic_seed7/ceil'], ['mxint8', 'stochastic_seed7/floor'],
  ['mxfp6_e3m2', 'stochastic_seed7/floor'], ['nvfp4', 'stochastic_seed7'], ['nvfp4', 'random_normal'],
  ['nvfp4', 'tiny_block_in_big_tensor'], ['q4_0', 'random_normal'], ['nf4', 'random_normal'],
];

describe('row slices with QuantContext reproduce the whole-tensor golden rows', () => {
  for (const [format, name] of SLICED) {
    it(`${format} ${name}`, () => {
      const c = load(format, name);
      const full = tensor2D(hexToF32(c.x), c.shape);
      const want = hexToF32(c.xhat);
      const amax = tensorAmax(full.data);
      for (let r0 = 0; r0 < full.rows; r0++) {
        const slice = tensor2D(full.data.slice(r0 * full.cols, (r0 + 1) * full.cols), [1, full.cols]);
        const res = quantizeBlockFormat(slice, optsOf(format, c), undefined, { rowOffset: r0, tensorAmax: amax });
        expect(firstBitMismatch(res.xhat, want.subarray(r0 * full.cols, (r0 + 1) * full.cols)), `row ${r0}`).toBe(-1);
      }
    });
  }

  it('without rowOffset a later row slice draws different random numbers (the context matters)', () => {
    const c = load('mxfp4', 'stochastic_seed7/floor');
    const full = tensor2D(hexToF32(c.x), c.shape);
    const row = 2;
    const slice = tensor2D(full.data.slice(row * full.cols, (row + 1) * full.cols), [1, full.cols]);
    const res = quantizeBlockFormat(slice, optsOf('mxfp4', c));
    expect(firstBitMismatch(res.xhat, hexToF32(c.xhat).subarray(row * full.cols, (row + 1) * full.cols))).not.toBe(-1);
  });
});

describe('output buffers', () => {
  for (const format of ['mxfp8_e4m3', 'mxfp4', 'mxint8', 'nvfp4', 'nf4', 'q8_0', 'q4_0'] as BlockFormatId[]) {
    it(`${format}: out may alias x.data (in place)`, () => {
      const c = load(format, format === 'mxfp8_e4m3' || format === 'mxfp4' || format === 'mxint8' ? 'ragged_cols45/floor' : 'ragged_cols45');
      const x = tensor2D(hexToF32(c.x), c.shape);
      const res = quantizeBlockFormat(x, optsOf(format, c), x.data);
      expect(res.xhat).toBe(x.data);
      expect(firstBitMismatch(x.data, hexToF32(c.xhat))).toBe(-1);
    });
  }
  it('a wrong-length out buffer is a one-sentence error', () => {
    const x = tensor2D(new Float32Array(40), [2, 20]);
    expect(() => quantizeBlockFormat(x, { ...DEFAULT_QUANT_OPTIONS, format: 'mxfp4' }, new Float32Array(39)))
      .toThrow(/^the output buffer holds 39 values but the tensor has 40; pass a buffer of the same length$/);
  });
  it('a scalar format is refused with the list of block formats', () => {
    const x = tensor2D(new Float32Array(4), [4]);
    expect(() => quantizeBlockFormat(x, { ...DEFAULT_QUANT_OPTIONS, format: 'int8' })).toThrow(/not a block format; valid block formats: mxfp8_e4m3/);
  });
});
