/**
 * Block formats (DOMAIN.md §3 block table, §4) bit-exact against the golden
 * fixtures of test/fixtures/gen/gen_blocks.py (an independent numpy/ml_dtypes
 * reference; Q8_0/Q4_0 from gguf-py where cols % 32 == 0).
 */
import { describe, expect, it } from 'vitest';
import { readFixtureJson, hexToF32, f32Hex, firstBitMismatch } from '../../helpers/fixtures.ts';
import { tensor2D } from '../../../src/core/tensor.ts';
import { quantizeBlockFormat } from '../../../src/core/formats/blockQuantize.ts';
import { DEFAULT_QUANT_OPTIONS, type QuantOptions } from '../../../src/core/quant/options.ts';
import type { BlockFormatId } from '../../../src/core/formats/registry.ts';
import type { ScaleRule, Rounding } from '../../../src/core/quant/options.ts';

interface BlockCase {
  name: string;
  shape: number[];
  x: string;
  xhat: string;
  rule?: ScaleRule;
  rounding?: Rounding;
  seed?: number;
  saturated: number;
  saturatedPerBlock?: number[];
  scaleExps?: number[];
  scales?: string;
  tensorScale?: string;
  source?: string;
}

const FORMATS: BlockFormatId[] = ['mxfp8_e4m3', 'mxfp8_e5m2', 'mxfp6_e2m3', 'mxfp6_e3m2', 'mxfp4', 'mxint8', 'nvfp4', 'nf4', 'q8_0', 'q4_0'];

/** block sizes of DOMAIN.md §3, written out here rather than read from the registry */
const BLOCK_SIZE: Record<BlockFormatId, number> = {
  mxfp8_e4m3: 32, mxfp8_e5m2: 32, mxfp6_e2m3: 32, mxfp6_e3m2: 32, mxfp4: 32, mxint8: 32, nvfp4: 16, nf4: 64, q8_0: 32, q4_0: 32,
};

const opts = (format: BlockFormatId, c: BlockCase): QuantOptions => ({
  ...DEFAULT_QUANT_OPTIONS, format, scaleRule: c.rule ?? 'floor', rounding: c.rounding ?? 'rne', seed: c.seed ?? 0,
});

function expectBits(got: Float32Array, want: Float32Array, what: string): void {
  const i = firstBitMismatch(got, want);
  if (i >= 0) {
    expect.fail(`${what}: first mismatch at ${i}: got ${f32Hex(got[i])} (${got[i]}), want ${f32Hex(want[i])} (${want[i]})`);
  }
}

for (const format of FORMATS) {
  const cases = readFixtureJson<{ format: string; cases: BlockCase[] }>(`blocks/${format}.json`).cases;
  describe(`${format} vs numpy reference`, () => {
    it('has fixture cases', () => expect(cases.length).toBeGreaterThan(10));
    for (const c of cases) {
      it(`${c.name}${c.source ? ` (${c.source})` : ''}`, () => {
        const x = tensor2D(hexToF32(c.x), c.shape);
        const res = quantizeBlockFormat(x, opts(format, c));
        expectBits(res.xhat, hexToF32(c.xhat), 'xhat');
        expect(res.saturated).toBe(c.saturated);
        if (c.saturatedPerBlock) expect(Array.from(res.saturatedPerBlock!)).toEqual(c.saturatedPerBlock);
        if (c.scaleExps) expect(Array.from(res.scaleExps!)).toEqual(c.scaleExps);
        if (c.scales) expectBits(res.scales!, hexToF32(c.scales), 'scales');
        if (c.tensorScale) expectBits(new Float32Array([res.tensorScale!]), hexToF32(c.tensorScale), 'tensorScale');
        expect(res.blocksPerRow).toBe(Math.ceil(x.cols / BLOCK_SIZE[format]));
      });
    }
  });
}
