/**
 * The heatmap readout and the heatmap's priority through the real scheduler and
 * engine API in Node (no worker threads): a probe in the store becomes one
 * small worker request whose x̂ per format equals the whole-tensor
 * quantization; after a transform change the worker pools the heatmaps before
 * it quantizes the compared formats; cached "before" sides and channel
 * profiles give the same result as compareHeatmaps.
 */
import { describe, expect, it } from 'vitest';
import type { Remote } from 'comlink';
import { createEngineApi } from '../../workers/engineApi.ts';
import type { EngineApi } from '../../workers/api.ts';
import { startScheduler } from '../../src/engine/scheduler.ts';
import { createAppStore, type AppStore } from '../../src/state/store.ts';
import { JOB, type HeatmapData } from '../../src/state/resultTypes.ts';
import { ANALYSIS_JOB, type ElementProbeData } from '../../src/state/analysisTypes.ts';
import { quantBaseOf } from '../../src/state/config.ts';
import { generateSample } from '../../src/core/samples/samples.ts';
import { prepareTransform, quantizePrepared } from '../../src/core/pipeline/transformPrep.ts';
import { parseTransform } from '../../src/core/transforms/parse.ts';
import { compareHeatmaps } from '../../src/core/analysis/index.ts';

function recordingPool() {
  const calls: string[] = [];
  const api = createEngineApi();
  for (const name of ['transformHeatmap', 'transformQuant', 'transformErrorHeatmap', 'probeElement'] as const) {
    const f = (api[name] as (...a: unknown[]) => Promise<unknown>).bind(api);
    (api as unknown as Record<string, unknown>)[name] = (...a: unknown[]) => {
      calls.push(name);
      return f(...a);
    };
  }
  return { calls, api, pool: { size: 1, workers: [api as unknown as Remote<EngineApi>], terminate() {} } };
}

async function doneFor<T>(store: AppStore, job: string): Promise<T> {
  for (let i = 0; i < 1000; i++) {
    const r = store.getState().results[job];
    if (r?.status === 'done' && r.forKey === r.wantedKey) return r.data as T;
    if (r?.status === 'error') throw new Error(r.error ?? `${job} failed`);
    await new Promise((res) => setTimeout(res, 10));
  }
  throw new Error(`${job} never finished`);
}

describe('element probe and heatmap priority (scheduler + engine API)', () => {
  it('a probe returns the whole-tensor x̂ of that element for every compared format, through the transform', async () => {
    const store = createAppStore({ config: { size: 256, formats: ['int8', 'fp8_e4m3', 'mxfp4', 'nvfp4'], transform: 'hadamard:64' } });
    const { calls, pool } = recordingPool();
    const stop = startScheduler(store, pool);
    try {
      await doneFor(store, JOB.heatmap);
      calls.length = 0;
      store.getState().setProbe({ side: 'before', row: 37, col: 201 });
      const d = await doneFor<ElementProbeData>(store, ANALYSIS_JOB.probe);
      expect(calls.filter((c) => c === 'probeElement')).toHaveLength(1);
      expect([d.side, d.row, d.col, d.transform]).toEqual(['before', 37, 201, 'hadamard:64']);
      const x = generateSample({ kind: 'activation', size: 256, seed: 0 });
      const prep = prepareTransform(x, undefined, parseTransform('hadamard:64'), 0);
      const k = 37 * 256 + 201;
      expect(d.x).toBe(x.data[k]);
      for (const f of d.perFormat) {
        expect(f.xhat, f.format).toBe(quantizePrepared(prep, 'x', f.format, quantBaseOf(store.getState().config)).xhat[k]);
      }
      // the same probe again asks nothing; a format change asks again
      calls.length = 0;
      store.getState().setProbe({ side: 'before', row: 37, col: 201 });
      store.getState().setConfig({ formats: ['int4'] });
      const e = await doneFor<ElementProbeData>(store, ANALYSIS_JOB.probe);
      expect(e.perFormat.map((f) => f.format)).toEqual(['int4']);
      expect(calls.filter((c) => c === 'probeElement')).toHaveLength(1);
    } finally {
      stop();
    }
  });

  it('after a transform change the heatmap is pooled before the formats are quantized; cached sides give compareHeatmaps\' result', async () => {
    const store = createAppStore({ config: { size: 256, formats: ['int8', 'fp8_e4m3'] } });
    const { calls, pool } = recordingPool();
    const stop = startScheduler(store, pool);
    try {
      await doneFor(store, JOB.heatmap);
      await doneFor(store, JOB.metrics);
      calls.length = 0;
      store.getState().setConfig({ transform: 'smooth:0.5' });
      const { tensor: _t, ...hm } = await doneFor<HeatmapData>(store, JOB.heatmap);
      await doneFor(store, JOB.metrics);
      const first = calls.indexOf('transformHeatmap'), quant = calls.indexOf('transformQuant');
      expect(first).toBeGreaterThanOrEqual(0);
      expect(quant).toBeGreaterThan(first);
      const x = generateSample({ kind: 'activation', size: 256, seed: 0 });
      const w = generateSample({ kind: 'weight', size: 256, seed: 0 });
      const prep = prepareTransform(x, w, parseTransform('smooth:0.5'), 0);
      const want = compareHeatmaps(x, prep.xPrime, { row0: 0, row1: 256, col0: 0, col1: 256 }, 256, 512);
      expect(hm).toEqual(want);
    } finally {
      stop();
    }
  });

  it('a burst of viewport changes asks the worker for the first and the latest viewport only', async () => {
    // with a transform the scheduler starts the view jobs at once for every config (no wait for the metrics)
    const store = createAppStore({ config: { size: 256, formats: ['int8'], transform: 'hadamard:64' } });
    const { calls, pool } = recordingPool();
    const stop = startScheduler(store, pool);
    try {
      await doneFor(store, JOB.heatmap);
      await doneFor(store, JOB.errorHeatmap);
      calls.length = 0;
      for (let i = 1; i <= 6; i++) store.getState().setConfig({ r0: i, r1: 100 + i, c0: 2 * i, c1: 120 + i }, 'replace');
      // the scheduler may start the view jobs after the metrics (transform none): wait for the last viewport's key
      const last = '6:106:12:126';
      for (let i = 0; i < 1000 && !(store.getState().results[JOB.heatmap]?.wantedKey ?? '').endsWith(last); i++) await new Promise((r) => setTimeout(r, 5));
      const hm = await doneFor<HeatmapData>(store, JOB.heatmap);
      for (let i = 0; i < 1000 && !(store.getState().results[JOB.errorHeatmap]?.wantedKey ?? '').endsWith(last); i++) await new Promise((r) => setTimeout(r, 5));
      await doneFor(store, JOB.errorHeatmap);
      expect(hm.before.grid.viewport).toEqual({ row0: 6, row1: 106, col0: 12, col1: 126 });
      expect(calls.filter((c) => c === 'transformHeatmap').length).toBeLessThanOrEqual(2);
      expect(calls.filter((c) => c === 'transformErrorHeatmap').length).toBeLessThanOrEqual(2);
    } finally {
      stop();
    }
  });
});
