/**
 * The trade-off job's plain-view formats run as background computations: once
 * its key moves on (a seed change), they stop between chunks instead of
 * finishing every chunk of the format on both workers first (through the real
 * scheduler and in-process engine APIs, 4096² so a worker's slice is 4 chunks).
 */
import { describe, expect, it } from 'vitest';
import type { Remote } from 'comlink';
import { createEngineApi } from '../../workers/engineApi.ts';
import type { EngineApi } from '../../workers/api.ts';
import { startScheduler } from '../../src/engine/scheduler.ts';
import { createAppStore } from '../../src/state/store.ts';
import { ANALYSIS_JOB } from '../../src/state/analysisTypes.ts';

const until = async (ok: () => boolean, what: string) => {
  for (let i = 0; i < 6000; i++) {
    if (ok()) return;
    await new Promise((res) => setTimeout(res, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
};

describe('trade-off in the plain view', () => {
  it('stops between chunks once its key moves on', { timeout: 120_000 }, async () => {
    /** trade-off requests (per-tensor granularity: the metrics use per-row) by seed */
    const tensorReqs = new Map<number, number>();
    let release = () => {};
    const gate = new Promise<void>((res) => { release = res; });
    const workers = [0, 1].map(() => {
      const api = createEngineApi();
      const qs = api.quantSlice.bind(api);
      api.quantSlice = async (req) => {
        if (req.opts.granularity.kind === 'tensor') {
          const n = (tensorReqs.get(req.opts.seed) ?? 0) + 1;
          tensorReqs.set(req.opts.seed, n);
          if (req.opts.seed === 1) await gate;
        }
        return qs(req);
      };
      // the matmul job is not what this test looks at (it would quantize 4096² X and W five times)
      api.matmulCombo = () => Promise.reject(new Error('not in this test'));
      return api as unknown as Remote<EngineApi>;
    });
    const store = createAppStore({ config: { size: 4096, formats: ['int8'], rounding: 'stochastic', seed: 1 } });
    const stop = startScheduler(store, { size: 2, workers, terminate() {} });
    try {
      await until(() => (tensorReqs.get(1) ?? 0) >= 1, 'the trade-off\'s first request');
      await new Promise((res) => setTimeout(res, 100)); // both workers' first chunks are posted
      const posted = tensorReqs.get(1)!;
      store.getState().setConfig({ seed: 2 });
      release();
      const job = ANALYSIS_JOB.tradeoff;
      await until(() => {
        const r = store.getState().results[job];
        return r?.status === 'done' && r.forKey === r.wantedKey && (tensorReqs.get(2) ?? 0) > 0;
      }, 'the new trade-off');
      // one chunk per worker was under way; none followed (the format is 4 chunks per worker)
      expect(posted).toBeLessThanOrEqual(2);
      expect(tensorReqs.get(1)).toBe(posted);
      expect(tensorReqs.get(2)).toBe(8);
    } finally {
      stop();
    }
  });
});
