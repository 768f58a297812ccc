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
  for (let i = 0; i < 400; i++) {
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

      // another granularity is another result
      store.getState().setConfig({ granularity: 'tensor' });
      m = await metricsFor(store);
      expect(calls).toEqual(['nf4', 'int8']);
    } finally {
      stop();
    }
  });
});
