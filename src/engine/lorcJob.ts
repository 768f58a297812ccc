/**
 * The LoRC job (DOMAIN §5): error of Ŵ + rank-r correction versus r = 0…64 for
 * the pair weight (files: the picked weight, else the analysed tensor) and the
 * focused format. It runs on dedicated workers (two, linked by a
 * MessageChannel, sharing the decomposition's products, when the machine has
 * two cores) so it never holds up the pool; cancel terminates them (squoosh's
 * abort: nothing keeps computing) and the next request starts fresh ones.
 * Progress comes back through a proxied callback.
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

/** LoRC workers per curve: two share the decomposition when the machine has two cores. */
function lorcWorkerCount(): number {
  return typeof navigator !== 'undefined' && (navigator.hardwareConcurrency ?? 1) >= 2 ? 2 : 1;
}

export function createLorcRunner(store: AppStore, source: LorcWeightSource) {
  let workers: Worker[] = [];
  let api: Remote<LorcApi> | null = null;
  let helperApi: Remote<LorcApi> | null = null;
  let running: string | null = null;
  /** settles when the run under way ends (done, failed or cancelled) */
  let idle: { promise: Promise<void>; resolve: () => void } | null = null;
  const busy = () => {
    if (!idle) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => { resolve = r; });
      idle = { promise, resolve };
    }
  };
  const free = () => {
    idle?.resolve();
    idle = null;
  };

  const spawn = (name: string) => new Worker(new URL('../../workers/lorc.worker.ts', import.meta.url), { type: 'module', name });

  /** The coordinating worker, linked to a helper over a MessageChannel when there are two. */
  async function ensure(): Promise<Remote<LorcApi>> {
    if (!api) {
      const main = spawn('lorc');
      workers = [main];
      api = wrap<LorcApi>(main);
      if (lorcWorkerCount() === 2) {
        const helper = spawn('lorc-helper');
        workers.push(helper);
        helperApi = wrap<LorcApi>(helper);
        const { port1, port2 } = new MessageChannel();
        await helperApi.servePart(transfer(port2, [port2]));
        await api.attachHelper(transfer(port1, [port1]));
      }
    }
    return api;
  }

  function stop() {
    free();
    api?.[releaseProxy]();
    helperApi?.[releaseProxy]();
    for (const w of workers) w.terminate();
    api = null;
    helperApi = null;
    workers = [];
  }

  async function run(c: Config) {
    const key = lorcKey(c);
    const job = ANALYSIS_JOB.lorc;
    if (running) cancel();
    store.getState().jobStarted(job, key);
    running = key;
    busy();
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
      const r = await (await ensure()).lorcCurve(sent, onProgress);
      if (running !== key) return;
      const data: LorcData = {
        format: c.format, weightName: name, shape: [r.rows, r.cols], ranks: r.ranks, relErr: r.relErr, sqnrDb: r.sqnrDb,
        extraBytes: r.extraBytes, ms: r.ms, workers: r.workers,
      };
      store.getState().jobDone(job, key, data);
    } catch (e) {
      if (running === key) store.getState().jobFailed(job, key, e instanceof Error ? e.message : String(e));
    } finally {
      if (running === key) {
        running = null;
        free();
      }
    }
  }

  function cancel() {
    if (!running) return;
    const key = running;
    running = null;
    stop(); // frees the background jobs too
    store.getState().jobFailed(ANALYSIS_JOB.lorc, key, LORC_CANCELLED);
  }

  /** Resolves at once when no curve is being computed, else when the one under way ends. */
  function whenIdle(): Promise<void> {
    return idle ? idle.promise : Promise.resolve();
  }

  return { run, cancel, stop, whenIdle };
}
