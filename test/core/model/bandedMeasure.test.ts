import { describe, expect, it } from 'vitest';
import { bandRows, measureInBands } from '../../../src/core/model/bandedMeasure.ts';
import { quantize } from '../../../src/core/quant/quantize.ts';
import { DEFAULT_QUANT_OPTIONS, type QuantOptions } from '../../../src/core/quant/options.ts';
import { accumulateSums, emptySums, metricsFromSums } from '../../../src/core/stats/metrics.ts';
import type { FormatId } from '../../../src/core/formats/registry.ts';
import { mulberry32At, drawToUnit } from '../../../src/core/rng.ts';

const rows = 37, cols = 96;
const data = Float32Array.from({ length: rows * cols }, (_, i) => {
  const u = drawToUnit(mulberry32At(7, i));
  const v = (u - 0.5) * (i % 97 === 0 ? 300 : 2);
  return i === 50 ? NaN : i === 400 ? Infinity : i === 1000 ? -Infinity : v;
});
const x = { data, rows, cols, shape: [rows, cols] };

function whole(opts: QuantOptions) {
  const r = quantize(x, opts);
  return { metrics: metricsFromSums(accumulateSums(data, r.xhat, emptySums())), saturated: r.saturated };
}

const cases: [FormatId, Partial<QuantOptions>][] = [
  ['int8', {}], ['int4', { granularity: { kind: 'group', size: 32 } }], ['fp8_e4m3', { granularity: { kind: 'tensor' } }],
  ['fp4_e2m1', { granularity: { kind: 'block', rows: 4, cols: 32 } }], ['int4_asym', { granularity: { kind: 'group', size: 32 } }],
  ['fp6_e2m3', { rounding: 'stochastic', seed: 3 }], ['int8', { granularity: { kind: 'column' } }],
  ['int8', { granularity: { kind: 'tensor' }, clip: 0.99 }], ['fp8_e5m2', { scale: 'pow2-row', granularity: { kind: 'group', size: 32 } }],
  ['mxfp4', {}], ['mxint8', { rounding: 'stochastic', seed: 9 }], ['nvfp4', {}], ['nf4', {}], ['q8_0', {}], ['q4_0', {}], ['bf16', {}],
];

describe('measureInBands', () => {
  it.each(cases)('%s %j: same saturated count and metrics as the whole tensor, with 3-row bands', (format, extra) => {
    const opts = { ...DEFAULT_QUANT_OPTIONS, format, ...extra } as QuantOptions;
    const want = whole(opts);
    const got = measureInBands(x, opts, { buf: new Float32Array(0) }, 3 * cols);
    expect(got.saturated).toBe(want.saturated);
    expect(got.metrics.maxAbsErr).toBe(want.metrics.maxAbsErr);
    expect(got.metrics.nonfinite).toBe(want.metrics.nonfinite);
    expect(got.metrics.mse).toBeCloseTo(want.metrics.mse, 12);
    expect(Math.abs(got.metrics.mse - want.metrics.mse)).toBeLessThanOrEqual(1e-12 * Math.abs(want.metrics.mse));
  });

  it('bands rows only where that keeps the bits: whole tensor for column, clip over the tensor and int4_asym per tensor', () => {
    const o = (extra: Partial<QuantOptions>, format: FormatId = 'int8') => ({ ...DEFAULT_QUANT_OPTIONS, format, ...extra }) as QuantOptions;
    expect(bandRows(o({}), 100, 10, 30)).toBe(3);
    expect(bandRows(o({ granularity: { kind: 'block', rows: 4, cols: 8 } }), 100, 10, 30)).toBe(0 + 4); // at least one block of rows
    expect(bandRows(o({ granularity: { kind: 'block', rows: 4, cols: 8 } }), 100, 10, 90)).toBe(8);
    expect(bandRows(o({ granularity: { kind: 'column' } }), 100, 10, 30)).toBe(0);
    expect(bandRows(o({ granularity: { kind: 'tensor' }, clip: 0.9 }), 100, 10, 30)).toBe(0);
    expect(bandRows(o({ granularity: { kind: 'tensor' } }, 'int4_asym'), 100, 10, 30)).toBe(0);
    expect(bandRows(o({}, 'mxfp4'), 100, 10, 30)).toBe(3);
  });
});
