import { describe, expect, it } from 'vitest';
import {
  accumulateErrorPass, emptyErrorBuckets, histogram, mergeErrorBuckets, pow2Above, rebinErrorBuckets,
  sharedBinEdges, symmetricEdges,
} from '../../../src/core/stats/histogram.ts';
import { accumulateSums, emptySums } from '../../../src/core/stats/metrics.ts';

function seeded(n: number, seed: number, scale = 1): Float32Array {
  let s = seed;
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; a[i] = (s / 2 ** 32 - 0.5) * scale; }
  return a;
}

describe('shared bins', () => {
  it('covers the finite values of every array', () => {
    const e = sharedBinEdges([Float32Array.from([0, 1, NaN]), Float32Array.from([-3, Infinity])], 4);
    expect(Array.from(e)).toEqual([-3, -2, -1, 0, 1]);
    expect(Array.from(sharedBinEdges([2, 2], 2))).toEqual([1.5, 2, 2.5]);
  });
  it('counts values, the max in the last bin, and reports the rest', () => {
    const h = histogram(Float32Array.from([-3, -2.5, -1, 0, 1, 1, NaN, 7]), sharedBinEdges([-3, 1], 4));
    expect(Array.from(h.counts)).toEqual([2, 0, 1, 3]);
    expect(h.nonfinite).toBe(1);
    expect(h.outside).toBe(1);
  });
  it('puts every value in the bin whose edges hold it (edges[b] ≤ v < edges[b + 1], the max in the last), like a search', () => {
    for (const bins of [3, 7, 64, 256]) {
      const edges = sharedBinEdges([-1.3, 2.9], bins);
      const x = seeded(20_000, bins, 5).map((v, i) => (i % 97 === 0 ? edges[i % (bins + 1)] : i % 331 === 0 ? Infinity : i % 401 === 0 ? NaN : v));
      const h = histogram(x, edges);
      const ref = new Uint32Array(bins);
      let outside = 0, nonfinite = 0;
      for (const v of x) {
        if (!Number.isFinite(v)) { nonfinite++; continue; }
        if (v < edges[0] || v > edges[bins]) { outside++; continue; }
        let b = 0;
        while (b < bins - 1 && v >= edges[b + 1]) b++;
        ref[b]++;
      }
      expect(Array.from(h.counts), `${bins} bins`).toEqual(Array.from(ref));
      expect([h.outside, h.nonfinite]).toEqual([outside, nonfinite]);
    }
  });
});

describe('error buckets', () => {
  it('fused pass gives exactly the metric sums of metrics.ts', () => {
    const x = seeded(10_000, 3, 8);
    const xh = x.map((v, i) => (i % 97 === 0 ? NaN : Math.round(v * 4) / 4));
    const a = accumulateSums(x, xh, emptySums());
    const b = accumulateErrorPass(x, xh, emptySums(), emptyErrorBuckets());
    expect(b).toEqual(a);
  });

  it('rebins exactly onto shared sign-symmetric bins (reference loop)', () => {
    const x = seeded(5000, 11, 16);
    const xh = x.map((v) => Math.round(v * 2) / 2); // errors in [-0.25, 0.25], many exactly ±0.25 or 0
    xh[17] = x[17] + 3; // one big error
    const buckets = emptyErrorBuckets();
    const sums = accumulateErrorPass(x, xh, emptySums(), buckets);
    const range = pow2Above(sums.maxAbsErr);
    expect(range).toBe(4);
    for (const bins of [2, 8, 64, 256]) {
      const got = rebinErrorBuckets(buckets, range, bins);
      const want = new Uint32Array(bins);
      const w = (2 * range) / bins;
      for (let i = 0; i < x.length; i++) {
        const e = Math.fround(xh[i] - x[i]);
        const m = Math.min(bins / 2 - 1, Math.floor(Math.abs(e) / w));
        want[e < 0 ? bins / 2 - 1 - m : bins / 2 + m]++;
      }
      expect(Array.from(got)).toEqual(Array.from(want));
    }
  });

  it('adds across row slices', () => {
    const x = seeded(1000, 5), xh = x.map((v) => Math.round(v * 8) / 8);
    const whole = emptyErrorBuckets();
    accumulateErrorPass(x, xh, emptySums(), whole);
    const a = emptyErrorBuckets(), b = emptyErrorBuckets();
    accumulateErrorPass(x, xh, emptySums(), a, 0, 400);
    accumulateErrorPass(x, xh, emptySums(), b, 400, 1000);
    expect(mergeErrorBuckets(a, b)).toEqual(whole);
  });

  it('pow2Above and symmetric edges', () => {
    expect(pow2Above(0.25)).toBe(0.5);
    expect(pow2Above(0.3)).toBe(0.5);
    expect(pow2Above(0)).toBe(1);
    expect(Array.from(symmetricEdges(1, 4))).toEqual([-1, -0.5, 0, 0.5, 1]);
  });

  it('rejects bin counts it cannot rebin exactly', () => {
    expect(() => rebinErrorBuckets(emptyErrorBuckets(), 1, 48)).toThrow(/power of two/);
  });
});
