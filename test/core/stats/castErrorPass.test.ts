/**
 * The fused cast + error pass (histogram.ts castAndAccumulateErrorPass, errorPassSimd.ts castWithErrorPass)
 * against quantize followed by accumulateErrorPass: the same x̂, sums and buckets, bit for bit, for every
 * registry format, and the fused path taken where the cast runs through the stochasticRuns kernel.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FORMATS, type FormatId } from '../../../src/core/formats/registry.ts';
import { stochasticRunsSimd, useStochasticSimd } from '../../../src/core/formats/stochasticSimd.ts';
import { intStochastic } from '../../../src/core/formats/stochasticKernels.ts';
import { quantize } from '../../../src/core/quant/quantize.ts';
import type { Granularity, QuantOptions } from '../../../src/core/quant/options.ts';
import { castWithErrorPass, SIMD_MIN_ELEMENTS } from '../../../src/core/stats/errorPassSimd.ts';
import { accumulateErrorPass, castAndAccumulateErrorPass, emptyErrorBuckets } from '../../../src/core/stats/histogram.ts';
import { emptySums, startRun, type MetricSums } from '../../../src/core/stats/metrics.ts';
import type { Tensor2D } from '../../../src/core/tensor.ts';
import { firstDifference } from '../../helpers/sameArrays.ts';
import { lcg, tensor } from '../../helpers/tensors.ts';

/** An activation-like tensor: heavy-tailed values, a few outlier columns, NaN, ±Inf, float32-range ends and zeros. */
function hardTensor(rows: number, cols: number, seed: number): Tensor2D {
  const u = lcg(seed);
  const t = tensor(rows, cols, (i) => {
    const v = (u() - 0.5) * 4 * (u() < 0.05 ? 40 : 1);
    return i % cols === 5 ? v * 300 : v;
  });
  const specials = [NaN, Infinity, -Infinity, 3.4e38, -3.4e38, 1e-45, -0, 0, 65520, 1e30];
  specials.forEach((v, j) => { t.data[(j * 7919 + 13) % t.data.length] = v; });
  // a zero run: whole zero blocks in every block format (their x̂ is set apart from the cast)
  t.data.fill(0, 2 * cols + 64, 2 * cols + 128);
  return t;
}

interface Measured { xhat: Float32Array; sums: MetricSums; buckets: Uint32Array; error?: string }

function apart(x: Tensor2D, opts: QuantOptions, rowOffset: number): Measured {
  const out = new Float32Array(x.data.length);
  const sums = emptySums(), buckets = emptyErrorBuckets();
  try {
    const res = quantize(x, opts, out, { rowOffset, tensorAmax: 3.4e38 });
    accumulateErrorPass(x.data, res.xhat, sums, buckets);
    return { xhat: res.xhat, sums, buckets };
  } catch (e) {
    return { xhat: out, sums, buckets, error: (e as Error).message };
  }
}

function fused(x: Tensor2D, opts: QuantOptions, rowOffset: number, keepXhat = true): Measured {
  const out = new Float32Array(x.data.length);
  const sums = emptySums(), buckets = emptyErrorBuckets();
  try {
    const xhat = castAndAccumulateErrorPass(x.data, out, sums, buckets, () => quantize(x, opts, out, { rowOffset, tensorAmax: 3.4e38 }).xhat, keepXhat);
    return { xhat, sums, buckets };
  } catch (e) {
    return { xhat: out, sums, buckets, error: (e as Error).message };
  }
}

function expectSame(a: Measured, b: Measured, xhatToo = true): void {
  expect(b.error).toBe(a.error);
  if (xhatToo) expect(firstDifference(a.xhat, b.xhat)).toBe('same');
  for (const k of Object.keys(a.sums) as (keyof MetricSums)[]) expect(Object.is(a.sums[k], b.sums[k]), `${k}: ${a.sums[k]} vs ${b.sums[k]}`).toBe(true);
  expect(firstDifference(a.buckets, b.buckets)).toBe('same');
}

const opts = (format: FormatId, granularity: Granularity, rounding: 'rne' | 'stochastic'): QuantOptions => ({
  format, granularity, scale: 'absmax', scaleRule: 'floor', rounding, seed: 77,
});

afterEach(() => useStochasticSimd(true));

describe('fused cast + error pass', () => {
  const x = hardTensor(40, 4096, 5); // 163840 elements: several kernel windows, over SIMD_MIN_ELEMENTS
  const granularities: Granularity[] = [{ kind: 'row' }, { kind: 'tensor' }, { kind: 'group', size: 32 }, { kind: 'column' }, { kind: 'block', rows: 8, cols: 64 }];
  for (const f of FORMATS) {
    for (const rounding of ['rne', 'stochastic'] as const) {
      it(`${f.id}, ${rounding}: the same x̂, sums and buckets as quantize then the pass, every granularity`, () => {
        for (const g of granularities) {
          const a = apart(x, opts(f.id, g, rounding), 3);
          expectSame(a, fused(x, opts(f.id, g, rounding), 3));
          expectSame(a, fused(x, opts(f.id, g, rounding), 3, false), false); // x̂ not kept: the measurement only
        }
      });
    }
  }

  it('the same bits where rows are no whole number of 4-element lanes, or the tensor is short of the SIMD minimum', () => {
    for (const t of [hardTensor(40, 4098, 6), hardTensor(3, 4096, 7), hardTensor(41, 4099, 8)]) {
      for (const f of ['int8', 'fp8_e4m3', 'fp4_e2m1', 'mxfp4', 'nvfp4'] as FormatId[]) {
        for (const rounding of ['rne', 'stochastic'] as const) {
          const a = apart(t, opts(f, { kind: 'row' }, rounding), 0);
          expectSame(a, fused(t, opts(f, { kind: 'row' }, rounding), 0));
          expectSame(a, fused(t, opts(f, { kind: 'row' }, rounding), 0, false), false);
        }
      }
    }
  });

  it('the same bits without the cast kernel (JavaScript casts, measured after)', () => {
    useStochasticSimd(false);
    for (const f of ['int8', 'mxfp4'] as FormatId[]) expectSame(apart(x, opts(f, { kind: 'row' }, 'stochastic'), 0), fused(x, opts(f, { kind: 'row' }, 'stochastic'), 0));
  });

  it('measures in the kernel for the default formats (so the test above compares the fused path)', () => {
    for (const f of ['int8', 'fp8_e4m3', 'fp4_e2m1', 'mxfp4'] as FormatId[]) {
      for (const rounding of ['rne', 'stochastic'] as const) {
        const out = new Float32Array(x.data.length);
        const how = castWithErrorPass(x.data, out, x.data.length, startRun(emptySums()), emptyErrorBuckets(),
          () => quantize(x, opts(f, { kind: 'row' }, rounding), out, { rowOffset: 0 }).xhat);
        expect(how, `${f} ${rounding}`).toBe('measured');
        // x̂ not kept: nothing copied out
        out.fill(7);
        expect(castWithErrorPass(x.data, out, x.data.length, startRun(emptySums()), emptyErrorBuckets(),
          () => quantize(x, opts(f, { kind: 'row' }, rounding), out, { rowOffset: 0 }).xhat, false)).toBe('measured');
        expect(out.every((v) => v === 7), `${f} ${rounding} out untouched`).toBe(true);
      }
    }
  });

  it('leaves the sums and buckets alone when the cast does not run through the kernel', () => {
    const t = hardTensor(20, 4096, 9);
    expect(t.data.length).toBeGreaterThanOrEqual(SIMD_MIN_ELEMENTS);
    const run = startRun(emptySums());
    run.fill(0.5);
    const before = run.slice();
    const buckets = emptyErrorBuckets();
    const out = new Float32Array(t.data.length);
    // bf16 casts in JavaScript; a cast into another array than the one named is not measured either
    expect(castWithErrorPass(t.data, out, t.data.length, run, buckets, () => quantize(t, opts('bf16', { kind: 'row' }, 'rne'), out).xhat)).toBe('apart');
    const other = new Float32Array(t.data.length);
    expect(castWithErrorPass(t.data, out, t.data.length, run, buckets, () => quantize(t, opts('int8', { kind: 'row' }, 'stochastic'), other).xhat)).toBe('apart');
    expect(firstDifference(run, before)).toBe('same');
    expect(buckets.every((b) => b === 0)).toBe(true);
  });

  it('casts again when windows stop being measurable after some were not copied out', () => {
    // a cast in three pieces: a kernel window, one in JavaScript, then a kernel window again (not the next elements)
    const t = hardTensor(20, 4096, 10);
    const n = t.data.length, W = 16384;
    const scales = new Float32Array(n / 4096).fill(0.05);
    const cast = (out: Float32Array) => () => {
      const el = intStochastic(127);
      const piece = (start: number, nRuns: number) => stochasticRunsSimd(el, {
        src: t.data, dst: out, start, nRuns, width: 4096, sIn: scales, mulOut: scales, sAt: start / 4096,
        divide: true, seed: 3, drawStart: start, satOnY: false,
      });
      piece(0, W / 4096);
      for (let i = W; i < 2 * W; i++) out[i] = Math.round(t.data[i] * 20) / 20;
      piece(2 * W, (n - 2 * W) / 4096);
      return out;
    };
    const whole = new Float32Array(n);
    cast(whole)();
    const a = { xhat: whole, sums: emptySums(), buckets: emptyErrorBuckets() };
    accumulateErrorPass(t.data, whole, a.sums, a.buckets);
    const out = new Float32Array(n);
    const run = startRun(emptySums());
    expect(castWithErrorPass(t.data, out, n, run, emptyErrorBuckets(), cast(out), false)).toBe('recast');
    const b = { xhat: new Float32Array(n), sums: emptySums(), buckets: emptyErrorBuckets() };
    const xhat = castAndAccumulateErrorPass(t.data, b.xhat, b.sums, b.buckets, cast(b.xhat), false);
    expectSame(a, { ...b, xhat });
  });
});
