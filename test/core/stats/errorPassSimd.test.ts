import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { accumulateErrorPass, emptyErrorBuckets, ERROR_BUCKETS } from '../../../src/core/stats/histogram.ts';
import { errorPassSimdAvailable, SIMD_MIN_ELEMENTS, useErrorPassSimd } from '../../../src/core/stats/errorPassSimd.ts';
import { accumulateSums, emptySums, type MetricSums } from '../../../src/core/stats/metrics.ts';
// @ts-expect-error: a plain .mjs script without types
import { assemble, moduleText, WASM_MODULES } from '../../../scripts/build-wasm.mjs';

function seeded(n: number, seed: number, scale = 1): Float32Array {
  let s = seed;
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; a[i] = (s / 2 ** 32 - 0.5) * scale; }
  return a;
}

/** x and x̂ with every case the pass must agree on, salted through a long random pair. */
function hardPair(n: number): [Float32Array, Float32Array] {
  const x = seeded(n, 11, 8);
  const xh = x.map((v, i) => Math.round(v * 16) / 16 + (i % 7 === 0 ? 1e-3 : 0));
  const cases: [number, number][] = [
    [NaN, 1], [1, NaN], [Infinity, 1], [1, -Infinity], [Infinity, Infinity], [-Infinity, Infinity],
    // finite in float64, +Inf as a float32 error: counted, in the Inf bucket
    [-3e38, 3e38], [3e38, -3e38],
    // exponents far apart: f32(f64(x̂ − x)) must equal the float32 difference
    [1e30, 1e-30], [-1e-30, 3e25], [1.0000001, 1e-20], [16777217, -1e-9],
    // subnormal errors and signed zeros
    [1e-45, 3e-45], [-1e-45, 0], [0, -0], [-0, 0], [-0, -0], [1.17549435e-38, 1.1754942e-38],
  ];
  for (let c = 0; c < cases.length; c++) {
    for (const at of [c * 4099 + 1, c * 4099 + 2, n - 1 - c]) { x[at] = cases[c][0]; xh[at] = cases[c][1]; }
  }
  return [x, xh];
}

function pass(x: Float32Array, xh: Float32Array, simd: boolean, start?: number, end?: number): [MetricSums, Uint32Array] {
  useErrorPassSimd(simd);
  const buckets = emptyErrorBuckets();
  const sums = accumulateErrorPass(x, xh, emptySums(), buckets, start, end);
  return [sums, buckets];
}

afterEach(() => useErrorPassSimd(true));

describe('fused pass in WebAssembly SIMD (stochasticRuns.wat pass)', () => {
  it('runs here (Node and Chromium have WebAssembly SIMD)', () => {
    expect(errorPassSimdAvailable()).toBe(true);
  });

  it('the committed kernel modules are the assembly of their .wat files', async () => {
    for (const [wat, ts, name] of WASM_MODULES as [string, string, string][]) {
      expect(readFileSync(new URL(`../../../${ts}`, import.meta.url), 'utf8'), ts).toBe(moduleText(wat, name, await assemble(wat)));
    }
  });

  for (const [what, n, start, end] of [
    ['whole tensor over several kernel chunks, with a tail of 3', 3 * 16384 + SIMD_MIN_ELEMENTS + 3, 0, undefined],
    ['a range starting at an odd index', 2 * SIMD_MIN_ELEMENTS + 10, 5, 2 * SIMD_MIN_ELEMENTS + 7],
    ['a range just over the SIMD minimum', SIMD_MIN_ELEMENTS + 6, 1, SIMD_MIN_ELEMENTS + 6],
  ] as [string, number, number, number | undefined][]) {
    it(`gives the JavaScript pass's bits: ${what}`, () => {
      const [x, xh] = hardPair(n);
      const [s1, b1] = pass(x, xh, true, start, end);
      const [s2, b2] = pass(x, xh, false, start, end);
      expect(s1).toEqual(s2);
      expect(s1).toEqual(accumulateSums(x, xh, emptySums(), start, end));
      expect(Object.is(s1.sumXXhat, s2.sumXXhat)).toBe(true);
      let diff = 0;
      for (let i = 0; i < ERROR_BUCKETS; i++) if (b1[i] !== b2[i]) diff++;
      expect(diff).toBe(0);
      expect(s1.nonfinite).toBeGreaterThan(0);
      // the float32-overflow errors are finite in float64: counted, in the +Inf and −Inf buckets
      expect(b1[0x7f800000 >>> 17]).toBeGreaterThan(0);
      expect(b1[0xff800000 >>> 17]).toBeGreaterThan(0);
    });
  }

  it('all-finite chunks (the unmasked loop) give the same bits, float32-overflowing errors and signed zeros included', () => {
    const [x, xh] = hardPair(2 * SIMD_MIN_ELEMENTS);
    for (let i = 0; i < x.length; i++) {
      if (!Number.isFinite(x[i])) x[i] = 2.5;
      if (!Number.isFinite(xh[i])) xh[i] = -1.25;
    }
    const [s1, b1] = pass(x, xh, true);
    const [s2, b2] = pass(x, xh, false);
    expect(s1).toEqual(s2);
    expect(s1.nonfinite).toBe(0);
    expect(s1.count).toBe(x.length);
    expect(Array.from(b1)).toEqual(Array.from(b2));
    expect(b1[0x7f800000 >>> 17]).toBeGreaterThan(0);
    expect(b1[0xff800000 >>> 17]).toBeGreaterThan(0);
  });

  it('adds into buckets and sums it is given (a second range on top of a first)', () => {
    const [x, xh] = hardPair(3 * SIMD_MIN_ELEMENTS);
    const run = (simd: boolean) => {
      useErrorPassSimd(simd);
      const buckets = emptyErrorBuckets();
      const sums = accumulateErrorPass(x, xh, emptySums(), buckets, 0, SIMD_MIN_ELEMENTS + 2);
      accumulateErrorPass(x, xh, sums, buckets, SIMD_MIN_ELEMENTS + 2);
      return { sums, buckets: Array.from(buckets) };
    };
    expect(run(true)).toEqual(run(false));
  });
});
