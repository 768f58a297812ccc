import { describe, expect, it } from 'vitest';
import { smooth, smoothQuantize, smoothScales } from '../../../src/core/transforms/smooth.ts';
import { powF32 } from '../../../src/core/transforms/pow.ts';
import { firstBitMismatch, hexToF32, readFixtureJson } from '../../helpers/fixtures.ts';
import { fixtureTensor, qIntRow } from './standIn.ts';

const fx = readFixtureJson('transforms/smooth.json');
const x = fixtureTensor(fx.x);
const w = fixtureTensor(fx.w);

describe('SmoothQuant (DOMAIN §5) against the numpy reference', () => {
  for (const c of fx.cases) {
    it(`α = ${c.alpha}: scales, X', W' bit-exact (zero columns give s = 1)`, () => {
      const r = smooth(x, w, c.alpha);
      expect(firstBitMismatch(r.scales, hexToF32(c.scales))).toBe(-1);
      expect(firstBitMismatch(r.xPrime, hexToF32(c.xPrime))).toBe(-1);
      expect(firstBitMismatch(r.wPrime, hexToF32(c.wPrime))).toBe(-1);
      expect(r.scales[3]).toBe(1);
      expect(r.scales[5]).toBe(1);
      expect(r.scales[7]).toBe(1);
    });
    it(`α = ${c.alpha}: reconstruction X̂ = Q(X')·s, Ŵ = Q(W')/s bit-exact`, () => {
      const r = smoothQuantize(x, w, c.alpha, qIntRow(127), qIntRow(7));
      expect(firstBitMismatch(r.xhat, hexToF32(c.xhat))).toBe(-1);
      expect(firstBitMismatch(r.what, hexToF32(c.what))).toBe(-1);
    });
  }

  it('keeps X·Wᵀ (the smoothing is exact up to float32 rounding)', () => {
    const r = smooth(x, w, 0.5);
    let maxRel = 0;
    for (let t = 0; t < x.rows; t++) for (let o = 0; o < w.rows; o++) {
      let a = 0, b = 0, n = 0;
      for (let j = 0; j < x.cols; j++) {
        a += x.data[t * x.cols + j] * w.data[o * w.cols + j];
        b += r.xPrime[t * x.cols + j] * r.wPrime[o * w.cols + j];
        n += Math.abs(x.data[t * x.cols + j] * w.data[o * w.cols + j]);
      }
      maxRel = Math.max(maxRel, Math.abs(a - b) / n);
    }
    expect(maxRel).toBeLessThan(1e-6);
  });

  it('powF32: exponents 0, 0.5, 1 exact; others are the float32 rounding of the float64 power', () => {
    expect(powF32(2, 0.5)).toBe(Math.fround(Math.SQRT2));
    expect(powF32(3.7, 0)).toBe(1);
    expect(powF32(Math.fround(3.7), 1)).toBe(Math.fround(3.7));
    expect(powF32(10, 0.8)).toBe(Math.fround(Math.pow(10, Math.fround(0.8))));
  });

  it('rejects a bad α or a channel mismatch with one sentence', () => {
    expect(() => smoothScales(x, w, 1.5)).toThrow(/smooth needs α between 0 and 1/);
    const w2 = { ...w, cols: w.cols - 1 };
    expect(() => smoothScales(x, w2, 0.5)).toThrow(/X has 24 and W has 23/);
  });
});
