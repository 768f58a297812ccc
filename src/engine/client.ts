/**
 * The worker pool: `size` engine workers wrapped by comlink. Only src/engine
 * talks to workers (ARCHITECTURE rule 4). Size: navigator.hardwareConcurrency
 * clamped to [2, 4] (more workers would multiply memory for little gain).
 */
import { wrap, releaseProxy, type Remote } from 'comlink';
import type { EngineApi } from '../../workers/api.ts';

export interface Pool {
  readonly size: number;
  readonly workers: readonly Remote<EngineApi>[];
  /**
   * Workers running a request that cannot be dropped and may take long (a methods point: AWQ/SVDQuant
   * on a big pair). Jobs that may pick their workers (the row-split transform heatmap) leave them out.
   */
  readonly longBusy?: Set<number>;
  /**
   * A new engine worker outside the pool, for long work that a cancel stops by terminating it
   * (the methods comparison of a big pair). The pool never sends it anything.
   */
  spawnAside?(name: string): AsideWorker;
  terminate(): void;
}

export interface AsideWorker {
  api: Remote<EngineApi>;
  terminate(): void;
}

const spawnEngine = (name: string) => new Worker(new URL('../../workers/engine.worker.ts', import.meta.url), { type: 'module', name });

export function defaultPoolSize(): number {
  const n = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 2 : 2;
  return Math.max(2, Math.min(4, n));
}

export function createPool(size = defaultPoolSize()): Pool {
  const raw: Worker[] = [];
  const workers: Remote<EngineApi>[] = [];
  for (let i = 0; i < size; i++) {
    const w = spawnEngine(`engine-${i}`);
    raw.push(w);
    workers.push(wrap<EngineApi>(w));
  }
  return {
    size,
    workers,
    longBusy: new Set<number>(),
    spawnAside(name) {
      const w = spawnEngine(name);
      const api = wrap<EngineApi>(w);
      return {
        api,
        terminate() {
          api[releaseProxy]();
          w.terminate();
        },
      };
    },
    terminate() {
      for (const r of workers) r[releaseProxy]();
      for (const w of raw) w.terminate();
    },
  };
}
