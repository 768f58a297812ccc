import { describe, expect, it } from 'vitest';
import { quantizeWithOutliers, splitOutliers } from '../../../src/core/transforms/outliers.ts';
import { absQuantileF32 } from '../../../src/core/transforms/quantile.ts';
import { f32Hex, firstBitMismatch, hexToF32, readFixtureJson } from '../../helpers/fixtures.ts';
import { fixtureTensor, qIntRow } from './standIn.ts';

const fx = readFixtureJson('transforms/outliers.json');
const x = fixtureTensor(fx.x);

describe('quantile (numpy linear, float64, one float32 rounding)', () => {
  it('matches np.quantile of |x| on every case', () => {
    for (const c of fx.quantiles) {
      expect(f32Hex(absQuantileF32(hexToF32(c.values), c.q))).toBe(c.want);
    }
  });
  it('ignores NaN/Inf and gives NaN for no finite values', () => {
    expect(absQuantileF32(new Float32Array([NaN, Infinity, 2, -4]), 1)).toBe(4);
    expect(absQuantileF32(new Float32Array([NaN]), 0.5)).toBeNaN();
  });
});

describe('splitOutliers (DOMAIN §5 outliers=Q)', () => {
  for (const c of fx.cases) {
    it(`q = ${c.q}: threshold, kept indices, bf16 values, dense rest bit-exact`, () => {
      const s = splitOutliers(x, c.q);
      expect(f32Hex(s.threshold)).toBe(c.threshold);
      expect(Array.from(s.indices)).toEqual(c.indices);
      expect(firstBitMismatch(s.values, hexToF32(c.values))).toBe(-1);
      expect(firstBitMismatch(s.dense.data, hexToF32(c.dense))).toBe(-1);
      expect(s.keptFraction).toBe(c.indices.length / x.data.length);
      expect(s.addedBitsPerElement).toBe((48 * c.indices.length) / x.data.length);
    });
    it(`q = ${c.q}: reconstruction puts the bf16 values back over Q(dense)`, () => {
      const nanToZero = (t: typeof x) => qIntRow(7)({ ...t, data: t.data.map((v) => (Number.isNaN(v) ? 0 : v)) });
      const { xhat } = quantizeWithOutliers(x, c.q, nanToZero);
      expect(firstBitMismatch(xhat, hexToF32(c.xhat))).toBe(-1);
    });
  }
  it('keeps +Inf and the −1e30 outlier, never NaN', () => {
    const s = splitOutliers(x, 0.99);
    expect(Array.from(s.indices)).toContain(6 * 64 + 7);
    expect(Array.from(s.indices)).toContain(8 * 64 + 9);
    expect(Array.from(s.indices)).not.toContain(4 * 64 + 5);
  });
  it('rejects Q outside (0, 1)', () => {
    expect(() => splitOutliers(x, 1)).toThrow(/0 < Q < 1/);
  });
});
