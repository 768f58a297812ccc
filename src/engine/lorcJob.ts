/**
 * The LoRC job (DOMAIN §5): error of Ŵ + rank-r correction versus r = 0…64 for
 * the pair weight (files: the picked weight, else the analysed tensor) and the
 * focused format. It runs on a dedicated worker so it never holds up the pool;
 * cancel terminates that worker (squoosh's abort: nothing keeps computing) and
 * the next request starts a fresh one. Progress comes back through a proxied
 * callback.
 */
import { proxy, releaseProxy, transfer, wrap, type Remote } from 'comlink';
import type { LorcApi, LorcRequest } from '../../workers/lorcApi.ts';
import type { Config } from '../state/config.ts';
import type { AppStore } from '../state/store.ts';
import { ANALYSIS_JOB, type LorcData } from '../state/analysisTypes.ts';
import { quantOptions } from './plan.ts';
import { lorcKey } from '../state/analysisView.ts';

export { lorcKey };

export const LORC_CANCELLED = 'cancelled';
export const LORC_MAX_RANK = 64;

export interface LorcWeightSource {
  /** rows of the weight to hand to the LoRC worker, for files (a transferred copy) */
  fileRows(c: Config): Promise<{ data: Float32Array; rows: number; cols: number; name: string }>;
}

export function createLorcRunner(store: AppStore, source: LorcWeightSource) {
  let worker: Worker | null = null;
  let api: Remote<LorcApi> | null = null;
  let running: string | null = null;

  function ensure(): Remote<LorcApi> {
    if (!api) {
      worker = new Worker(new URL('../../workers/lorc.worker.ts', import.meta.url), { type: 'module', name: 'lorc' });
      api = wrap<LorcApi>(worker);
    }
    return api;
  }

  function stop() {
    api?.[releaseProxy]();
    worker?.terminate();
    api = null;
    worker = null;
  }

  async function run(c: Config) {
    const key = lorcKey(c);
    const job = ANALYSIS_JOB.lorc;
    if (running) cancel();
    store.getState().jobStarted(job, key);
    running = key;
    try {
      let weight: LorcRequest['weight'];
      let name: string;
      if (c.file === null) {
        weight = { sample: { kind: 'weight', size: c.size, seed: c.sampleSeed } };
        name = 'Linear weight sample';
      } else {
        const r = await source.fileRows(c);
        weight = { data: r.data, rows: r.rows, cols: r.cols };
        name = r.name;
      }
      if (running !== key) return;
      const req: LorcRequest = { weight, opts: quantOptions(c, c.format), maxRank: LORC_MAX_RANK, seed: 0 };
      const onProgress = proxy((f: number) => store.getState().jobProgress(job, key, f));
      const sent = 'data' in weight ? transfer(req, [weight.data.buffer as ArrayBuffer]) : req;
      const r = await ensure().lorcCurve(sent, onProgress);
      if (running !== key) return;
      const data: LorcData = {
        format: c.format, weightName: name, shape: [r.rows, r.cols], ranks: r.ranks, relErr: r.relErr, sqnrDb: r.sqnrDb,
        extraBytes: r.extraBytes, ms: r.ms,
      };
      store.getState().jobDone(job, key, data);
    } catch (e) {
      if (running === key) store.getState().jobFailed(job, key, e instanceof Error ? e.message : String(e));
    } finally {
      if (running === key) running = null;
    }
  }

  function cancel() {
    if (!running) return;
    const key = running;
    running = null;
    stop();
    store.getState().jobFailed(ANALYSIS_JOB.lorc, key, LORC_CANCELLED);
  }

  return { run, cancel, stop };
}
