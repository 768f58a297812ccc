/**
 * quantize() for the scalar and unscaled formats, bit-exact against
 * test/fixtures/gen/gen_scalar.py (numpy written from DOMAIN §3–4): x̂ bits,
 * saturated counts and per-group scales, for every scalar format × granularity
 * × scale option, 1-D/2-D/3-D shapes, non-finite inputs, all-zero rows and
 * stochastic rounding (seed 7). The same cases also run split into row slices
 * (QuantContext) and in place (out aliasing x).
 */
import { describe, expect, it } from 'vitest';
import { readFixtureJson, hexToF32, f32Hex, firstBitMismatch } from '../../helpers/fixtures.ts';
import { quantize } from '../../../src/core/quant/quantize.ts';
import { canSplitByRows } from '../../../src/core/quant/scalarQuantize.ts';
import { parseGranularity, type QuantOptions } from '../../../src/core/quant/options.ts';
import { tensor2D, type Tensor2D } from '../../../src/core/tensor.ts';
import type { FormatId } from '../../../src/core/formats/registry.ts';

interface Case {
  tensor: string; format: FormatId; granularity: string; scale: 'absmax' | 'pow2' | 'pow2-row'; clip: number | null;
  rounding: 'rne' | 'stochastic'; seed: number; xhat: string; saturated: number; scales: string;
}
const FIX = readFixtureJson<{ tensors: Record<string, { shape: number[]; x: string }>; cases: Case[] }>('scalar/cases.json');

const tensorOf = (name: string): Tensor2D => tensor2D(hexToF32(FIX.tensors[name].x), FIX.tensors[name].shape);
const optsOf = (c: Case): QuantOptions => ({
  format: c.format, granularity: parseGranularity(c.granularity), scale: c.scale, scaleRule: 'floor',
  clip: c.clip ?? undefined, rounding: c.rounding, seed: c.seed,
});
const label = (c: Case) => `${c.tensor} ${c.format} ${c.granularity} scale=${c.scale}${c.clip ? ` clip=${c.clip}` : ''} ${c.rounding}`;

function expectBits(got: Float32Array, want: Float32Array, x: Float32Array, what: string): void {
  const i = firstBitMismatch(got, want);
  if (i >= 0) throw new Error(`${what}: element ${i}, x=${x[i]}: got ${got[i]} (0x${f32Hex(got[i])}), want ${want[i]} (0x${f32Hex(want[i])})`);
}

describe('scalar quantize matches the numpy reference', () => {
  it('has cases for every scalar format, granularity and scale option', () => {
    const seen = new Set(FIX.cases.map((c) => `${c.format}/${c.granularity}/${c.scale}`));
    for (const f of ['int8', 'int4', 'int4_asym', 'fp8_e4m3', 'fp8_e5m2', 'fp6_e2m3', 'fp6_e3m2', 'fp4_e2m1']) {
      for (const g of ['tensor', 'row', 'column', 'group:32', 'group:5', 'block:4x8']) {
        expect(seen.has(`${f}/${g}/absmax`) && seen.has(`${f}/${g}/pow2`)).toBe(true);
      }
      expect(seen.has(`${f}/group:5/pow2-row`)).toBe(true);
    }
    expect(FIX.cases.filter((c) => c.rounding === 'stochastic').length).toBeGreaterThan(8);
    expect(FIX.cases.some((c) => c.saturated > 0)).toBe(true);
  });

  for (const c of FIX.cases) {
    it(label(c), () => {
      const x = tensorOf(c.tensor);
      const r = quantize(x, optsOf(c));
      expectBits(r.xhat, hexToF32(c.xhat), x.data, label(c));
      expect(r.saturated).toBe(c.saturated);
      if (c.scales.length > 0) expectBits(r.scales!, hexToF32(c.scales), new Float32Array(0), `${label(c)} scales`);
    });
  }
});

describe('row slices and in-place output give the same bits', () => {
  const splittable = FIX.cases.filter((c) => canSplitByRows(optsOf(c)) && tensorOf(c.tensor).rows > 1);
  it('covers stochastic and tensor-granularity cases', () => {
    expect(splittable.some((c) => c.rounding === 'stochastic')).toBe(true);
    expect(splittable.some((c) => c.granularity === 'tensor')).toBe(true);
  });
  for (const c of splittable) {
    it(`${label(c)} in slices`, () => {
      const x = tensorOf(c.tensor);
      const opts = optsOf(c);
      const g = opts.granularity;
      const step = g.kind === 'block' ? g.rows : 3; // block slices must start on tile rows
      let tensorAmax = 0;
      for (const v of x.data) if (Number.isFinite(v) && Math.abs(v) > tensorAmax) tensorAmax = Math.abs(v);
      const out = new Float32Array(x.data.length);
      let saturated = 0;
      for (let r0 = 0; r0 < x.rows; r0 += step) {
        const r1 = Math.min(x.rows, r0 + step);
        const slice: Tensor2D = { data: x.data.subarray(r0 * x.cols, r1 * x.cols), rows: r1 - r0, cols: x.cols, shape: [r1 - r0, x.cols] };
        const res = quantize(slice, opts, out.subarray(r0 * x.cols, r1 * x.cols), { rowOffset: r0, tensorAmax });
        saturated += res.saturated;
      }
      expectBits(out, hexToF32(c.xhat), x.data, `${label(c)} sliced`);
      expect(saturated).toBe(c.saturated);
    });
  }
  for (const c of FIX.cases.filter((_, i) => i % 5 === 0)) {
    it(`${label(c)} in place`, () => {
      const x = tensorOf(c.tensor);
      const copy = { ...x, data: x.data.slice() };
      const r = quantize(copy, optsOf(c), copy.data);
      expect(r.xhat).toBe(copy.data);
      expectBits(copy.data, hexToF32(c.xhat), x.data, `${label(c)} in place`);
      expect(r.saturated).toBe(c.saturated);
    });
  }
});
