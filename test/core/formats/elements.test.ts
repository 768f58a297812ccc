/**
 * Element casts (DOMAIN §2, §4) bit-exact against test/fixtures/gen/gen_elements.py
 * (ml_dtypes after np.clip; ints np.clip(np.rint)). The fused quantizer kernels
 * run with scale 1 on the same cases, so their branch-free rounding is checked
 * against the reference too.
 */
import { describe, expect, it } from 'vitest';
import { readFixtureJson, hexToF32, f32Hex, firstBitMismatch } from '../../helpers/fixtures.ts';
import {
  castElement, castElementArray, castElementArrayStochastic, castElementStochastic, elementMax, INT_QMAX, MINIFLOATS,
  isIntId, type CastElementId,
} from '../../../src/core/formats/elementCast.ts';
import { intRun, minifloatRun, type RunKernel } from '../../../src/core/quant/scalarKernels.ts';
import { formatValues } from '../../../src/core/formats/valueGrid.ts';
import { mulberry32At } from '../../../src/core/rng.ts';

interface CastFixture {
  cases: Record<string, { x: string; rne: string }>;
  stochastic: { seed: number; x: string; out: string };
}
const FIX = readFixtureJson<Record<CastElementId, CastFixture>>('elements/casts.json');
const IDS = Object.keys(FIX) as CastElementId[];

function expectBits(got: Float32Array, want: Float32Array, x: Float32Array, what: string): void {
  const i = firstBitMismatch(got, want);
  if (i >= 0) {
    throw new Error(`${what}: element ${i}, x=${x[i]} (0x${f32Hex(x[i])}): got ${got[i]} (0x${f32Hex(got[i])}), want ${want[i]} (0x${f32Hex(want[i])})`);
  }
}

function runKernel(run: RunKernel, x: Float32Array, out: Float32Array): number {
  return run(x, new Int32Array(x.buffer, x.byteOffset, x.length), out, new Int32Array(out.buffer, out.byteOffset, out.length), 0, x.length, x.length, new Float32Array([1]), new Float32Array(1), 0);
}

describe('element casts match the numpy/ml_dtypes reference bit for bit', () => {
  it('covers every castable element format', () => {
    expect(IDS.sort()).toEqual(['bf16', 'fp16', 'fp4_e2m1', 'fp6_e2m3', 'fp6_e3m2', 'fp8_e4m3', 'fp8_e5m2', 'int4', 'int8']);
  });
  for (const id of IDS) {
    describe(id, () => {
      for (const [name, c] of Object.entries(FIX[id].cases)) {
        it(`${name}: bulk cast`, () => {
          const x = hexToF32(c.x);
          const out = new Float32Array(x.length);
          castElementArray(id, x, out);
          expectBits(out, hexToF32(c.rne), x, `${id} ${name}`);
        });
        it(`${name}: scalar cast and in-place bulk cast`, () => {
          const x = hexToF32(c.x);
          const want = hexToF32(c.rne);
          const one = Float32Array.from(x, (v) => castElement(id, v));
          expectBits(one, want, x, `${id} ${name} scalar`);
          const inPlace = x.slice();
          castElementArray(id, inPlace, inPlace);
          expectBits(inPlace, want, x, `${id} ${name} in place`);
        });
        if (id !== 'bf16' && id !== 'fp16') {
          it(`${name}: fused quantizer kernel with scale 1`, () => {
            const x = hexToF32(c.x);
            const out = new Float32Array(x.length);
            const run = isIntId(id) ? intRun(INT_QMAX[id]) : minifloatRun(MINIFLOATS[id]);
            const sat = runKernel(run, x, out);
            expectBits(out, hexToF32(c.rne), x, `${id} ${name} kernel`);
            const max = elementMax(id);
            expect(sat).toBe(x.filter((v) => Number.isFinite(v) && Math.abs(v) > max).length);
          });
        }
      }
      it('stochastic rounding with seed 7 matches the reference', () => {
        const s = FIX[id].stochastic;
        const x = hexToF32(s.x);
        const out = new Float32Array(x.length);
        castElementArrayStochastic(id, x, out, s.seed, 0);
        expectBits(out, hexToF32(s.out), x, `${id} stochastic`);
        const one = Float32Array.from(x, (v, i) => castElementStochastic(id, v, mulberry32At(s.seed, i) / 2 ** 32));
        expectBits(one, hexToF32(s.out), x, `${id} stochastic scalar`);
      });
    });
  }
});

describe('stochastic rounding properties (DOMAIN §4)', () => {
  const cases: [CastElementId, number][] = [['int8', 3.3], ['int4', -2.75], ['fp8_e4m3', 1.0625 * 3], ['fp8_e5m2', -0.3], ['fp6_e2m3', 0.3], ['fp6_e3m2', 13.7], ['fp4_e2m1', 4.5], ['bf16', 1.00390625 * 1.1], ['fp16', 1000.3]];
  for (const [id, y0] of cases) {
    it(`${id}: only the two neighbours, unbiased over 10^6 draws, same seed same bits`, () => {
      const y = Math.fround(y0);
      const grid = formatValues(id);
      let k = 0;
      while (grid[k + 1] <= y) k++;
      const lo = grid[k];
      const hi = grid[k + 1];
      expect(lo < y && y < hi).toBe(true);
      const n = 1_000_000;
      const x = new Float32Array(n).fill(y);
      const out = new Float32Array(n);
      castElementArrayStochastic(id, x, out, 12345, 0);
      let sum = 0;
      let nHi = 0;
      for (let i = 0; i < n; i++) {
        const v = out[i];
        if (v !== lo && v !== hi) throw new Error(`draw ${i} gave ${v}, not ${lo} or ${hi}`);
        if (v === hi) nHi++;
        sum += v;
      }
      const p = (y - lo) / (hi - lo);
      // binomial: 6 standard deviations of the count
      expect(Math.abs(nHi - n * p)).toBeLessThan(6 * Math.sqrt(n * p * (1 - p)));
      expect(Math.abs(sum / n - y)).toBeLessThan(6 * (hi - lo) * Math.sqrt(p * (1 - p) / n));
      const again = new Float32Array(n);
      castElementArrayStochastic(id, x, again, 12345, 0);
      expect(firstBitMismatch(again, out)).toBe(-1);
      const other = new Float32Array(n);
      castElementArrayStochastic(id, x, other, 12346, 0);
      expect(firstBitMismatch(other, out)).not.toBe(-1);
    });
  }
});
