/**
 * The heavy background jobs' requests carry stale tickets: when a job's wanted
 * key moves on, worker 0 is told that the old key's requests are stale
 * (through the real scheduler and in-process engine APIs).
 */
import { describe, expect, it } from 'vitest';
import type { Remote } from 'comlink';
import { createEngineApi } from '../../workers/engineApi.ts';
import type { EngineApi } from '../../workers/api.ts';
import { startScheduler } from '../../src/engine/scheduler.ts';
import { createAppStore } from '../../src/state/store.ts';
import { ANALYSIS_JOB } from '../../src/state/analysisTypes.ts';
import { STALE_REQUEST } from '../../workers/staleTicket.ts';

describe('stale tickets', () => {
  it('a settings change marks the running trade-off job\'s requests stale on worker 0, and the new run finishes', { timeout: 60_000 }, async () => {
    const marks: { worker: number; id: string; seq: number }[] = [];
    const ticketed: string[] = [];
    const stale: string[] = [];
    // the first ticketed request waits here, so the settings change finds the trade-off job under way
    let release = () => {};
    const gate = new Promise<void>((res) => { release = res; });
    const workers = [0, 1].map((i) => {
      const api = createEngineApi();
      const staleBefore = api.staleBefore.bind(api);
      api.staleBefore = (id: string, seq: number) => {
        marks.push({ worker: i, id, seq });
        return staleBefore(id, seq);
      };
      const tq = api.transformQuant.bind(api);
      api.transformQuant = async (req) => {
        if (req.ticket) {
          ticketed.push(req.ticket.id);
          if (ticketed.length === 1) await gate;
        }
        try {
          return await tq(req);
        } catch (e) {
          stale.push((e as Error).message);
          throw e;
        }
      };
      return api as unknown as Remote<EngineApi>;
    });
    const store = createAppStore({ config: { size: 256, formats: ['int8', 'mxfp4'], transform: 'hadamard:64' } });
    const stop = startScheduler(store, { size: 2, workers, terminate() {} });
    try {
      const job = ANALYSIS_JOB.tradeoff;
      const running = async () => {
        for (let i = 0; i < 2000; i++) {
          const r = store.getState().results[job];
          if (r?.status === 'running' && ticketed.length > 0) return r.wantedKey!;
          await new Promise((res) => setTimeout(res, 5));
        }
        throw new Error(`the trade-off job never ran: ${JSON.stringify(store.getState().results[job], (k, v) => (k === 'data' ? undefined : v))} ${ticketed.length}`);
      };
      const oldKey = await running();
      expect(ticketed.every((id) => id.startsWith(`${job}\n`) || id.startsWith(`${ANALYSIS_JOB.outlierSplit}\n`))).toBe(true);
      store.getState().setConfig({ transform: 'hadamard:32' });
      await new Promise((res) => setTimeout(res, 20));
      expect(marks.filter((m) => m.id === `${job}\n${oldKey}`).map((m) => m.worker)).toEqual([0]);
      release();
      for (let i = 0; i < 4000; i++) {
        const r = store.getState().results[job];
        if (r?.status === 'done' && r.forKey === r.wantedKey) break;
        if (r?.status === 'error') throw new Error(r.error ?? 'failed');
        await new Promise((res) => setTimeout(res, 10));
      }
      await new Promise((res) => setTimeout(res, 20)); // the released request's rejection
      const r = store.getState().results[job]!;
      expect(r.status).toBe('done');
      expect(r.wantedKey).not.toBe(oldKey);
      // the held request of the old key ended as stale (the old run then stopped without a failure)
      expect(stale).toContain(STALE_REQUEST);
    } finally {
      stop();
    }
  });
});
