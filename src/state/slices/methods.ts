/**
 * Results of the methods panel (issue 9): points computed by the workers, by
 * task key (state/methodsPlan.ts), so a changed setting recomputes only the
 * points whose inputs changed; points of an older plan are pruned. The engine
 * (src/engine/methodsJob.ts) fills it; panels read it through selectors.
 */
import type { StateCreator } from 'zustand';
import type { MethodsPoint } from '../../../workers/methods.ts';
import type { PairShape } from '../methodsPlan.ts';
import type { AppState } from '../store.ts';

export type MethodsStatus = 'idle' | 'running' | 'done' | 'cancelled' | 'error';

export interface MethodsResults {
  /** the user pressed "Compare methods" (the panel also runs when the transform is a pair method) */
  requested: boolean;
  status: MethodsStatus;
  /** the pair the points are for, and its shapes once loaded */
  pairKey: string | null;
  shape: PairShape | null;
  /** points of the current plan that are in, and how many it has */
  done: number;
  total: number;
  points: Record<string, MethodsPoint>;
  /** task key → error message */
  failed: Record<string, string>;
  /** the pair could not be loaded (or is not picked) */
  error: string | null;
}

export interface MethodsSlice {
  methods: MethodsResults;
  /** start computing (and resume after a cancel) */
  methodsRequest(): void;
  /** stop issuing points; the ones in stay on screen */
  methodsCancel(): void;
  /** engine: a new plan (drops points not in `keep`) */
  methodsPlanned(pairKey: string, shape: PairShape | null, keep: ReadonlySet<string>, total: number): void;
  /** engine: one point is in (ignored unless `pairKey` is still the pair) */
  methodsPut(pairKey: string, key: string, point: MethodsPoint, done: number): void;
  methodsFailed(pairKey: string, key: string | null, error: string): void;
  methodsStatus(status: MethodsStatus): void;
}

export const EMPTY_METHODS: MethodsResults = Object.freeze({
  requested: false, status: 'idle', pairKey: null, shape: null, done: 0, total: 0, points: {}, failed: {}, error: null,
}) as MethodsResults;

export const createMethodsSlice: StateCreator<AppState, [], [], MethodsSlice> = (set, get) => {
  const patch = (p: Partial<MethodsResults>) => set((s) => ({ methods: { ...s.methods, ...p } }));
  return {
    methods: EMPTY_METHODS,
    methodsRequest() {
      patch({ requested: true, status: get().methods.status === 'cancelled' ? 'idle' : get().methods.status });
    },
    methodsCancel() {
      if (get().methods.status === 'running') patch({ status: 'cancelled' });
    },
    methodsPlanned(pairKey, shape, keep, total) {
      const m = get().methods;
      const points: Record<string, MethodsPoint> = {};
      let done = 0;
      if (m.pairKey === pairKey) {
        for (const k of Object.keys(m.points)) if (keep.has(k)) { points[k] = m.points[k]; done++; }
      }
      const failed: Record<string, string> = {};
      if (m.pairKey === pairKey) for (const k of Object.keys(m.failed)) if (keep.has(k)) failed[k] = m.failed[k];
      patch({ pairKey, shape, points, failed, done, total, error: null, status: 'running' });
    },
    methodsPut(pairKey, key, point, done) {
      const m = get().methods;
      if (m.pairKey !== pairKey) return;
      patch({ points: { ...m.points, [key]: point }, done });
    },
    methodsFailed(pairKey, key, error) {
      const m = get().methods;
      if (m.pairKey !== pairKey && key !== null) return;
      if (key === null) patch({ error, status: 'error', pairKey });
      else patch({ failed: { ...m.failed, [key]: error } });
    },
    methodsStatus(status) {
      patch({ status });
    },
  };
};
