/** Metrics (DOMAIN §6) on hand-checkable inputs, including the degenerate cases numpy defines as NaN/Inf. */
import { describe, expect, it } from 'vitest';
import { accumulateSums, computeMetrics, emptySums, mergeSums, metricsFromSums, metricsToJson } from '../../../src/core/stats/metrics.ts';

const f = (a: number[]) => new Float32Array(a);

describe('computeMetrics', () => {
  it('matches the formulas on a small example', () => {
    const m = computeMetrics(f([1, -2, 3, 0]), f([1, -1.5, 2, 0.5]));
    // errors 0, 0.5, -1, 0.5: Σe² = 1.5, Σx² = 14, Σx̂² = 7.5, Σxx̂ = 10
    expect(m.mse).toBeCloseTo(1.5 / 4, 15);
    expect(m.sqnrDb).toBeCloseTo(10 * Math.log10(14 / 1.5), 12);
    expect(m.cosine).toBeCloseTo(10 / Math.sqrt(14 * 7.5), 15);
    expect(m.maxAbsErr).toBe(1);
    expect(m.relErr).toBeCloseTo(Math.sqrt(1.5 / 14), 15);
    expect(m.count).toBe(4);
    expect(m.nonfinite).toBe(0);
  });
  it('leaves out and counts elements where x or x̂ is not finite', () => {
    const m = computeMetrics(f([1, NaN, Infinity, 2, 3]), f([1, 1, 1, Infinity, 2]));
    expect(m.nonfinite).toBe(3);
    expect(m.count).toBe(2);
    expect(m.maxAbsErr).toBe(1);
  });
  it('an exact reconstruction has infinite SQNR, reported as null in JSON', () => {
    const m = computeMetrics(f([1, 2]), f([1, 2]));
    expect(m.sqnrDb).toBe(Infinity);
    const j = metricsToJson(m);
    expect({ ...j, cosine: null }).toEqual({ mse: 0, sqnr_db: null, cosine: null, max_abs_err: 0, rel_err: 0 });
    expect(j.cosine).toBeCloseTo(1, 15);
  });
  it('all-zero x gives NaN cosine and relative error (0/0), null in JSON', () => {
    const j = metricsToJson(computeMetrics(f([0, 0]), f([0, 0])));
    expect(j).toEqual({ mse: 0, sqnr_db: null, cosine: null, max_abs_err: 0, rel_err: null });
  });
  it('no finite element: every metric is null', () => {
    const j = metricsToJson(computeMetrics(f([NaN]), f([1])));
    expect(Object.values(j).every((v) => v === null)).toBe(true);
  });
  it('sums of row slices merge to the sums of the whole', () => {
    const x = f([1, -2, 3, 0.25, 7, -1]);
    const y = f([1, -1.5, 2, 0.5, 6, -1]);
    const whole = accumulateSums(x, y, emptySums());
    const merged = mergeSums(accumulateSums(x, y, emptySums(), 0, 2), accumulateSums(x, y, emptySums(), 2, 6));
    expect(metricsFromSums(merged)).toEqual(metricsFromSums(whole));
  });

  it('sums in four lanes: element i of the range into lane i mod 4, then (l0 + l1) + (l2 + l3)', () => {
    const n = 40_003;
    const x = new Float32Array(n), y = new Float32Array(n);
    let s = 9;
    for (let i = 0; i < n; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      x[i] = (s / 2 ** 32 - 0.5) * 3 ** (i % 11);
      y[i] = i % 501 === 0 ? NaN : Math.fround(x[i] * (1 + ((s >>> 8) % 7 - 3) / 64));
    }
    const start = 3;
    const lane = [0, 0, 0, 0].map(() => [0, 0, 0, 0]);
    for (let i = start; i < n; i++) {
      const a = x[i], b = y[i], d = b - a;
      if (!Number.isFinite(d)) continue;
      const l = lane[(i - start) % 4];
      l[0] += a * a; l[1] += b * b; l[2] += d * d; l[3] += a * b;
    }
    const total = (k: number) => (lane[0][k] + lane[1][k]) + (lane[2][k] + lane[3][k]);
    const got = accumulateSums(x, y, emptySums(), start);
    expect([got.sumSqX, got.sumSqXhat, got.sumSqErr, got.sumXXhat]).toEqual([0, 1, 2, 3].map(total));
    // one running sum gives other bits here, so the test can tell the orders apart
    let one = 0;
    for (let i = start; i < n; i++) if (Number.isFinite(y[i] - x[i])) one += (y[i] - x[i]) ** 2;
    expect(one).not.toBe(got.sumSqErr);
  });
});
