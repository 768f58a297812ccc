/**
 * transformQuant quantizes X' in bands of whole rows (yielding to other requests
 * between them) when the options allow row slices: the reply equals one
 * whole-tensor quantization (quantizePrepared + one error pass) up to the
 * float64 summation order of the merged sums (≤ 1e-10 relative here; one
 * element quantized differently would move them by ~1e-7); options that need the whole
 * tensor (column granularity, clip) take the whole path.
 */
import { describe, expect, it } from 'vitest';
import { createEngineApi } from '../../workers/engineApi.ts';
import { generateSample } from '../../src/core/samples/samples.ts';
import { prepareTransform, quantizePrepared } from '../../src/core/pipeline/transformPrep.ts';
import { parseTransform } from '../../src/core/transforms/parse.ts';
import { DEFAULT_QUANT_OPTIONS, type QuantOptions } from '../../src/core/quant/options.ts';
import { computeMetrics, emptySums } from '../../src/core/stats/metrics.ts';
import { matmulXWt } from '../../src/core/linalg/matmul.ts';
import { like } from '../../src/core/transforms/types.ts';
import { errorHeatmap } from '../../src/core/analysis/heatmap.ts';
import { getFormat } from '../../src/core/formats/registry.ts';
import { accumulateErrorPass, emptyErrorBuckets } from '../../src/core/stats/histogram.ts';
import { STALE_REQUEST } from '../../workers/staleTicket.ts';

// 2048 × 2048: bands of 2 Mi elements are 1024 rows, so two bands
const spec = { kind: 'activation' as const, size: 2048 as const, seed: 4 };
const ROWS = 2048;

const cases: [string, Partial<QuantOptions>][] = [
  ['int8 per row', { format: 'int8' }],
  ['fp8_e4m3 per tensor, stochastic', { format: 'fp8_e4m3', granularity: { kind: 'tensor' }, rounding: 'stochastic', seed: 9 }],
  ['mxfp4', { format: 'mxfp4' }],
  ['nvfp4 (tensor amax of X\')', { format: 'nvfp4' }],
  ['int4 block:64x32', { format: 'int4', granularity: { kind: 'block', rows: 64, cols: 32 } }],
  ['int8 per column (whole path)', { format: 'int8', granularity: { kind: 'column' } }],
];

describe('transformQuant in bands', () => {
  for (const [name, o] of cases) {
    it(`${name}: same result as one whole-tensor quantization`, async () => {
      const api = createEngineApi();
      await api.loadSample('x', spec, 0, ROWS);
      const opts = { ...DEFAULT_QUANT_OPTIONS, ...o } as QuantOptions;
      const got = await api.transformQuant({ xHandle: 'x', transform: 'hadamard:64', seed: 0, opts });
      const full = generateSample(spec);
      const x = full;
      const prep = prepareTransform(x, undefined, parseTransform('hadamard:64'), 0);
      const { format, ...quant } = opts;
      const r = quantizePrepared(prep, 'x', format, quant);
      const sums = emptySums();
      const buckets = emptyErrorBuckets();
      accumulateErrorPass(x.data, r.xhat, sums, buckets);
      expect(got.saturated).toBe(r.q.saturated);
      expect(Array.from(got.buckets)).toEqual(Array.from(buckets));
      expect(got.sums.count).toBe(sums.count);
      expect(got.sums.maxAbsErr).toBe(sums.maxAbsErr);
      for (const k of ['sumSqX', 'sumSqXhat', 'sumSqErr', 'sumXXhat'] as const) {
        expect(Math.abs(got.sums[k] - sums[k]) / sums[k], k).toBeLessThan(1e-10);
      }
      const spb = r.q.saturatedPerBlock;
      expect(got.blocks).toBe(spb?.length ?? 0);
      expect(got.blocksSaturated).toBe(spb ? Array.from(spb).filter(Boolean).length : 0);
    });
  }

  it('lets a request that came meanwhile run between bands (and not inside a whole-tensor quantization)', async () => {
    const api = createEngineApi();
    await api.loadSample('x', spec, 0, ROWS);
    const order = async (o: Partial<QuantOptions>) => {
      const seen: string[] = [];
      const quant = api.transformQuant({ xHandle: 'x', transform: 'hadamard:64', seed: 0, opts: { ...DEFAULT_QUANT_OPTIONS, ...o } as QuantOptions }).then(() => seen.push('quant'));
      setTimeout(() => { void api.held().then(() => seen.push('other')); }, 0);
      await quant;
      await new Promise((r) => setTimeout(r, 5));
      return seen;
    };
    expect(await order({ format: 'int8' })).toEqual(['other', 'quant']);
    expect(await order({ format: 'int8', granularity: { kind: 'column' } })).toEqual(['quant', 'other']);
  });

  it('matmulCombo in bands: X and W metrics as one whole-tensor quantization, the same Ŷ', async () => {
    const api = createEngineApi();
    await api.loadSample('x', spec, 0, ROWS);
    await api.loadSample('w', { ...spec, kind: 'weight' }, 0, ROWS);
    for (const [xFormat, wFormat, transform] of [['fp8_e4m3', 'fp4_e2m1', 'smooth:0.5'], ['int8', 'mxfp4', 'hadamard:64']] as const) {
      const quant = { ...DEFAULT_QUANT_OPTIONS };
      const got = await api.matmulCombo({ xHandle: 'x', wHandle: 'w', transform, seed: 0, xFormat, wFormat, quant, tokens: 64, outFeatures: 32 });
      const x = generateSample(spec), w = generateSample({ ...spec, kind: 'weight' });
      const prep = prepareTransform(x, w, parseTransform(transform), 0);
      const qx = quantizePrepared(prep, 'x', xFormat, quant), qw = quantizePrepared(prep, 'w', wFormat, quant);
      const y = matmulXWt(like(x.data.subarray(0, 64 * 2048), 64, 2048), like(w.data.subarray(0, 32 * 2048), 32, 2048));
      const yhat = matmulXWt(like(qx.xhat.subarray(0, 64 * 2048), 64, 2048), like(qw.xhat.subarray(0, 32 * 2048), 32, 2048));
      expect(got.matmul, transform).toEqual(computeMetrics(y, yhat));
      const wantX = computeMetrics(x.data, qx.xhat), wantW = computeMetrics(w.data, qw.xhat);
      for (const k of ['mse', 'sqnrDb', 'cosine', 'relErr'] as const) {
        expect(Math.abs(got.x[k] - wantX[k]) / Math.abs(wantX[k]), `x ${k}`).toBeLessThan(1e-10);
        expect(Math.abs(got.w[k] - wantW[k]) / Math.abs(wantW[k]), `w ${k}`).toBeLessThan(1e-10);
      }
      expect(got.x.maxAbsErr).toBe(wantX.maxAbsErr);
      expect(got.w.count).toBe(wantW.count);
    }
  });

  it('the error heatmap from a banded x̂: the same grid and saturated cells as one whole-tensor quantization', async () => {
    const api = createEngineApi();
    await api.loadSample('x', spec, 0, ROWS);
    const viewport = { row0: 0, row1: ROWS, col0: 0, col1: 2048 };
    const x = generateSample(spec);
    for (const [format, transform] of [['mxfp4', 'none'], ['int8', 'hadamard:64'], ['nvfp4', 'none']] as const) {
      const opts = { ...DEFAULT_QUANT_OPTIONS, format } as QuantOptions;
      // two requests at once (a pan while the x̂ is made): both get the one x̂
      const [got, again] = await Promise.all([
        api.transformErrorHeatmap({ xHandle: 'x', transform, seed: 0, opts, viewport, outRows: 64, outCols: 64, mode: 'abs' }),
        api.transformErrorHeatmap({ xHandle: 'x', transform, seed: 0, opts, viewport: { ...viewport, row1: 1000 }, outRows: 64, outCols: 64, mode: 'abs' }),
      ]);
      const prep = prepareTransform(x, undefined, parseTransform(transform), 0);
      const { format: _f, ...quant } = opts;
      const r = quantizePrepared(prep, 'x', format, quant);
      const q = transform === 'none' ? { xhat: r.xhat, ...r.q } : { xhat: r.xhat };
      expect(got, `${format} ${transform}`).toEqual(errorHeatmap(x, q, viewport, 64, 64, 'abs', getFormat(format).blockSize));
      expect(again).toEqual(errorHeatmap(x, q, { ...viewport, row1: 1000 }, 64, 64, 'abs', getFormat(format).blockSize));
      if (transform === 'none') expect(got.saturatedCells).toBeDefined();
    }
  });

  it('a request marked stale stops at its next band, one marked before it starts ends at once, a newer one runs', async () => {
    const api = createEngineApi();
    await api.loadSample('x', spec, 0, ROWS);
    const opts = { ...DEFAULT_QUANT_OPTIONS, format: 'int8' } as QuantOptions;
    const req = { xHandle: 'x', transform: 'hadamard:64', seed: 0, opts };
    const id = 'tradeoff\nkey-1';
    const underWay = api.transformQuant({ ...req, ticket: { id, seq: 1 } });
    // it runs until its first band yields; the mark comes before the second band
    await api.staleBefore(id, 3);
    await expect(underWay).rejects.toThrow(STALE_REQUEST);
    await expect(api.transformQuant({ ...req, ticket: { id, seq: 2 } })).rejects.toThrow(STALE_REQUEST);
    const newer = await api.transformQuant({ ...req, ticket: { id, seq: 3 } });
    const other = await api.transformQuant({ ...req, ticket: { id: 'tradeoff\nkey-2', seq: 1 } });
    expect(newer.sums.count).toBe(2048 * 2048);
    expect(other.sums).toEqual(newer.sums);
  });

  it('while the view moves (holdBackground) a ticketed request rests between bands; one without a ticket does not', async () => {
    const api = createEngineApi();
    await api.loadSample('x', spec, 0, ROWS);
    const opts = { ...DEFAULT_QUANT_OPTIONS, format: 'int8' } as QuantOptions;
    const req = { xHandle: 'x', transform: 'hadamard:64', seed: 0, opts };
    await api.transformQuant(req); // X' made: what follows times the bands only
    const timed = async (ticket?: { id: string; seq: number }) => {
      const t0 = performance.now();
      const p = api.transformQuant({ ...req, ...(ticket ? { ticket } : {}) });
      await api.holdBackground(300); // taken at the first band's yield
      const r = await p;
      return { ms: performance.now() - t0, count: r.sums.count };
    };
    const plain = await timed();
    const held = await timed({ id: 'tradeoff\nkey', seq: 1 });
    expect(plain.count).toBe(2048 * 2048);
    expect(held.count).toBe(2048 * 2048);
    expect(held.ms).toBeGreaterThanOrEqual(300);
    expect(plain.ms).toBeLessThan(held.ms);
    // a stale mark ends a resting request
    const resting = api.transformQuant({ ...req, ticket: { id: 'tradeoff\nkey-2', seq: 1 } });
    await api.holdBackground(10_000);
    await api.staleBefore('tradeoff\nkey-2', 2);
    await expect(resting).rejects.toThrow(STALE_REQUEST);
  });

  it('matmulCombo marked stale stops between its steps', async () => {
    const api = createEngineApi();
    await api.loadSample('x', spec, 0, ROWS);
    await api.loadSample('w', { ...spec, kind: 'weight' }, 0, ROWS);
    const quant = { ...DEFAULT_QUANT_OPTIONS };
    const p = api.matmulCombo({
      xHandle: 'x', wHandle: 'w', transform: 'hadamard:64', seed: 0, xFormat: 'int8', wFormat: 'int8', quant, tokens: 64, outFeatures: 32,
      ticket: { id: 'matmul\nk', seq: 1 },
    });
    await api.staleBefore('matmul\nk', 2);
    await expect(p).rejects.toThrow(STALE_REQUEST);
  });
});
