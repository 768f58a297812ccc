/**
 * The scheduler's per-format cache, run against the real engine API in Node
 * (no worker threads): adding a compared format quantizes only that format,
 * removing or reordering one quantizes nothing, and the table follows the
 * chosen order.
 */
import { describe, expect, it } from 'vitest';
import type { Remote } from 'comlink';
import { createEngineApi } from '../../workers/engineApi.ts';
import type { EngineApi } from '../../workers/api.ts';
import { startScheduler } from '../../src/engine/scheduler.ts';
import { createAppStore } from '../../src/state/store.ts';
import { JOB, type MetricsData } from '../../src/state/resultTypes.ts';
import { ANALYSIS_JOB, type TradeoffData } from '../../src/state/analysisTypes.ts';
import { ALL_FORMAT_IDS } from '../../src/core/formats/registry.ts';
import { generateSample } from '../../src/core/samples/samples.ts';
import { defaultDeps, finishFormats, formatPartials } from '../../src/core/analysis/index.ts';
import { DEFAULT_QUANT_OPTIONS, parseGranularity } from '../../src/core/quant/options.ts';
import { metricsFromSums } from '../../src/core/stats/metrics.ts';

function countingPool() {
  const calls: string[] = [];
  const api = createEngineApi();
  const quantSlice = api.quantSlice.bind(api);
  api.quantSlice = async (req) => {
    calls.push(req.opts.format);
    return quantSlice(req);
  };
  return { calls, pool: { size: 1, workers: [api as unknown as Remote<EngineApi>], terminate() {} } };
}

async function metricsFor(store: ReturnType<typeof createAppStore>): Promise<MetricsData> {
  for (let i = 0; i < 3000; i++) {
    const r = store.getState().results[JOB.metrics];
    if (r?.status === 'done' && r.forKey === r.wantedKey) return r.data as MetricsData;
    if (r?.status === 'error') throw new Error(r.error ?? 'metrics failed');
    await new Promise((res) => setTimeout(res, 10));
  }
  throw new Error('metrics never finished');
}

describe('scheduler per-format cache', () => {
  it('computes only the new format; removal and reordering reuse the cached ones', async () => {
    const store = createAppStore({ config: { sample: 'weight', size: 256, formats: ['int8', 'fp8_e4m3'] } as never });
    const { calls, pool } = countingPool();
    const stop = startScheduler(store, pool);
    try {
      let m = await metricsFor(store);
      expect(m.rows.map((r) => r.format)).toEqual(['int8', 'fp8_e4m3']);
      const first = calls.filter((f) => f === 'int8' || f === 'fp8_e4m3').length;
      expect(first).toBe(2);

      calls.length = 0;
      store.getState().setConfig({ formats: ['int8', 'fp8_e4m3', 'nf4'] });
      m = await metricsFor(store);
      expect(m.rows.map((r) => r.format)).toEqual(['int8', 'fp8_e4m3', 'nf4']);
      expect(calls).toEqual(['nf4']);

      calls.length = 0;
      store.getState().setConfig({ formats: ['nf4', 'int8'] });
      m = await metricsFor(store);
      expect(m.rows.map((r) => r.format)).toEqual(['nf4', 'int8']);
      expect(m.analysis.perFormat.map((f) => f.format)).toEqual(['nf4', 'int8']);
      expect(calls).toEqual([]);

      // another granularity is another result for a scalar format; NF4 (a block format) ignores the
      // granularity, so its cached result is reused
      store.getState().setConfig({ granularity: 'tensor' });
      m = await metricsFor(store);
      expect(calls).toEqual(['int8']);
      expect(m.rows.map((r) => r.format)).toEqual(['nf4', 'int8']);
    } finally {
      stop();
    }
  });

  it('the trade-off curve (no transform) quantizes row-split on both workers and reuses the metrics results', async () => {
    // 1024² is split over a pool of two
    const store = createAppStore({ config: { sample: 'activation', size: 1024, formats: ['int8', 'mxfp4'], granularity: 'row' } as never });
    const calls: string[] = [];
    const workers = [0, 1].map((i) => {
      const api = createEngineApi();
      const quantSlice = api.quantSlice.bind(api);
      api.quantSlice = async (req) => {
        calls.push(`${i}:${req.opts.format}:${req.opts.granularity.kind}`);
        return quantSlice(req);
      };
      return api as unknown as Remote<EngineApi>;
    });
    const stop = startScheduler(store, { size: 2, workers, terminate() {} });
    try {
      const m = await metricsFor(store);
      let t: TradeoffData | null = null;
      for (let i = 0; i < 1000 && !t; i++) {
        const r = store.getState().results[ANALYSIS_JOB.tradeoff];
        if (r?.status === 'done' && r.forKey === r.wantedKey) t = r.data as TradeoffData;
        else await new Promise((res) => setTimeout(res, 10));
      }
      expect(t).not.toBeNull();
      // the point at the table's granularity is the table's number, not a second computation
      const int8Row = t!.points.find((p) => p.format === 'int8' && p.granularity === 'row')!;
      expect(int8Row.sqnrDb).toBe(m.rows.find((r) => r.format === 'int8')!.metrics.sqnrDb);
      expect(t!.points.find((p) => p.format === 'mxfp4')!.sqnrDb).toBe(m.rows.find((r) => r.format === 'mxfp4')!.metrics.sqnrDb);
      // int8 at row and mxfp4 once (metrics), then int8 at tensor, group:128, group:32 (trade-off): each on both workers
      const compared = calls.filter((c) => /:(int8|mxfp4):/.test(c));
      expect(compared.filter((c) => c.startsWith('0:')).length).toBe(5);
      expect(compared.filter((c) => c.startsWith('1:')).length).toBe(5);
      expect(compared.filter((c) => c.includes('int8:row')).length).toBe(2);
      // before the trade-off, every other registry format was quantized once on both workers (precomputeFormats)
      const others = calls.filter((c) => !/:(int8|mxfp4):/.test(c));
      expect(others.length).toBe(2 * (ALL_FORMAT_IDS.length - 2));
      // so adding one to the comparison quantizes nothing
      calls.length = 0;
      store.getState().toggleCompare('nvfp4');
      const added = await metricsFor(store);
      expect(added.rows.map((r) => r.format)).toEqual(['int8', 'mxfp4', 'nvfp4']);
      expect(calls).toEqual([]);
    } finally {
      stop();
    }
  });
});

describe('a big slice is quantized in chunks', () => {
  it('4096² on two workers: 128-row-band requests, the same counts and the same metrics up to summation order', { timeout: 120_000 }, async () => {
    const formats = ['int8', 'nvfp4'] as const;
    const store = createAppStore({ config: { sample: 'activation', size: 4096, formats: [...formats], granularity: 'row' } as never });
    const calls: { worker: number; rows: number }[] = [];
    const workers = [0, 1].map((i) => {
      const api = createEngineApi();
      const quantSlice = api.quantSlice.bind(api);
      api.quantSlice = async (req) => {
        if (formats.includes(req.opts.format as never)) calls.push({ worker: i, rows: (req.rowEnd ?? NaN) - (req.rowStart ?? NaN) });
        return quantSlice(req);
      };
      return api as unknown as Remote<EngineApi>;
    });
    const stop = startScheduler(store, { size: 2, workers, terminate() {} });
    try {
      const m = await metricsFor(store);
      // each worker's 2048 rows in four requests of 512 rows (2 Mi elements)
      expect(calls.filter((c) => c.worker === 0).map((c) => c.rows)).toEqual([512, 512, 512, 512, 512, 512, 512, 512]);
      expect(calls.filter((c) => c.worker === 1)).toHaveLength(8);
      const x = generateSample({ kind: 'activation', size: 4096, seed: 0 });
      const quant = { ...DEFAULT_QUANT_OPTIONS, granularity: parseGranularity('row') };
      const whole = formatPartials(x, formats, { quant }, defaultDeps);
      const done = finishFormats(whole, 4096, 4096, { quant }, defaultDeps);
      for (const [i, f] of formats.entries()) {
        const row = m.rows[i];
        expect(row.format).toBe(f);
        expect(row.saturated).toBe(whole[i].saturated);
        const ref = metricsFromSums(whole[i].sums);
        for (const k of ['mse', 'sqnrDb', 'cosine', 'maxAbsErr'] as const) {
          expect(Math.abs((row.metrics[k] as number) - (ref[k] as number)), `${f} ${k}`).toBeLessThanOrEqual(1e-9 * Math.abs(ref[k] as number));
        }
        expect(Array.from(m.analysis.perFormat[i].errorCounts)).toEqual(Array.from(done.perFormat[i].errorCounts));
      }
    } finally {
      stop();
    }
  });

  it('keeps two chunk requests of the metrics queued on each worker, so it never waits for the main thread between chunks', { timeout: 120_000 }, async () => {
    const store = createAppStore({ config: { sample: 'activation', size: 4096, formats: ['int8'], granularity: 'row' } as never });
    const outstanding = [0, 0], most = [0, 0];
    const workers = [0, 1].map((i) => {
      const api = createEngineApi();
      const quantSlice = api.quantSlice.bind(api);
      api.quantSlice = async (req) => {
        if (req.rowStart === undefined) return quantSlice(req);
        most[i] = Math.max(most[i], ++outstanding[i]);
        // a worker's message round trip: the next request can be posted meanwhile
        await new Promise((r) => setTimeout(r, 5));
        try { return quantSlice(req); } finally { outstanding[i]--; }
      };
      return api as unknown as Remote<EngineApi>;
    });
    const stop = startScheduler(store, { size: 2, workers, terminate() {} });
    try {
      await metricsFor(store);
      expect(most).toEqual([2, 2]);
    } finally {
      stop();
    }
  });

  it('the idle precompute stops between chunks when the config changes', { timeout: 120_000 }, async () => {
    const store = createAppStore({ config: { sample: 'activation', size: 4096, formats: ['int8'], granularity: 'row' } as never });
    const calls: { worker: number; format: string; granularity: string }[] = [];
    const workers = [0, 1].map((i) => {
      const api = createEngineApi();
      const quantSlice = api.quantSlice.bind(api);
      api.quantSlice = async (req) => {
        calls.push({ worker: i, format: req.opts.format, granularity: req.opts.granularity.kind });
        // a worker's message round trip and queue: the test (and the config change) runs while requests wait
        await new Promise((r) => setTimeout(r, 20));
        return quantSlice(req);
      };
      return api as unknown as Remote<EngineApi>;
    });
    const stop = startScheduler(store, { size: 2, workers, terminate() {} });
    try {
      await metricsFor(store);
      // the precompute starts once the config has rested: wait for its first request
      let first: (typeof calls)[number] | undefined;
      for (let i = 0; i < 2000 && !first; i++) {
        first = calls.find((c) => c.format !== 'int8');
        if (!first) await new Promise((r) => setTimeout(r, 10));
      }
      expect(first).toBeDefined();
      store.getState().setConfig({ granularity: 'tensor' });
      await metricsFor(store);
      await new Promise((r) => setTimeout(r, 300));
      // that format under the old options: the request in flight at the change on each worker (the precompute
      // keeps one queued per worker), not all 8
      const old = calls.filter((c) => c.format === first!.format && c.granularity === 'row');
      expect(old.length).toBeGreaterThan(0);
      expect(old.length).toBeLessThanOrEqual(2);
    } finally {
      stop();
    }
  });

  it('a transform that fits no point of the trade-off fails it with its reason, like the table (no empty chart)', async () => {
    const store = createAppStore({ config: { size: 256, formats: ['int8', 'mxfp4'], transform: 'hadamard:512' } as never });
    const api = createEngineApi() as unknown as Remote<EngineApi>;
    const stop = startScheduler(store, { size: 1, workers: [api], terminate() {} });
    try {
      await expect(metricsFor(store)).rejects.toThrow(/hadamard:512 .*divides the last axis \(256\)/);
      let r = store.getState().results[ANALYSIS_JOB.tradeoff];
      for (let i = 0; i < 2000 && r?.status !== 'error' && r?.status !== 'done'; i++) {
        await new Promise((res) => setTimeout(res, 10));
        r = store.getState().results[ANALYSIS_JOB.tradeoff];
      }
      expect(r?.status).toBe('error');
      expect(r?.error).toBe(store.getState().results[JOB.metrics]!.error);
    } finally {
      stop();
    }
  });
});
