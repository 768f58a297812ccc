/**
 * Results of engine jobs, one entry per job name (ARCHITECTURE rule 4).
 * `wantedKey` is the key of the inputs the UI asks for now; `forKey` the key
 * `data` was computed from. While they differ the panel shows `data` dimmed
 * (the last good result) with a progress indicator. A result whose key is no
 * longer wanted is dropped on arrival. `tensorKey` is the tensor job's key
 * when `data` arrived: a panel can tell a last result of another tensor.
 */
import type { StateCreator } from 'zustand';
import type { AppState } from '../store.ts';
import { JOB } from '../resultTypes.ts';

/** queued: wanted for a new key but deferred (the heavy panels wait for the config to rest); the last result shows dimmed */
export type JobStatus = 'idle' | 'queued' | 'running' | 'done' | 'error';

export interface ResultEntry<T = unknown> {
  status: JobStatus;
  wantedKey: string | null;
  forKey: string | null;
  data: T | null;
  error: string | null;
  /** 0…1 while running, when known */
  progress: number | null;
  /** the key of the tensor (the tensor job's) that was shown when `data` arrived */
  tensorKey: string | null;
}

export const EMPTY_RESULT: ResultEntry<never> = Object.freeze({
  status: 'idle', wantedKey: null, forKey: null, data: null, error: null, progress: null, tensorKey: null,
}) as ResultEntry<never>;

export interface ResultsSlice {
  results: Record<string, ResultEntry>;
  jobStarted(job: string, key: string): void;
  /** `key` is wanted but its job starts later; no-op when that key is already running or done */
  jobQueued(job: string, key: string): void;
  jobProgress(job: string, key: string, progress: number): void;
  /** stores `data` only when `key` is still the wanted key; returns whether it was kept */
  jobDone(job: string, key: string, data: unknown): boolean;
  jobFailed(job: string, key: string, error: string): void;
  clearJob(job: string): void;
}

export const createResultsSlice: StateCreator<AppState, [], [], ResultsSlice> = (set, get) => {
  const entry = (job: string): ResultEntry => get().results[job] ?? EMPTY_RESULT;
  const put = (job: string, e: ResultEntry) => set((s) => ({ results: { ...s.results, [job]: e } }));
  return {
    results: {},
    jobStarted(job, key) {
      put(job, { ...entry(job), status: 'running', wantedKey: key, error: null, progress: null });
    },
    jobQueued(job, key) {
      const e = entry(job);
      if (e.wantedKey === key && (e.status === 'running' || e.status === 'done' || e.status === 'queued')) return;
      put(job, { ...e, status: 'queued', wantedKey: key, error: null, progress: null });
    },
    jobProgress(job, key, progress) {
      const e = entry(job);
      if (e.wantedKey === key && e.status === 'running') put(job, { ...e, progress });
    },
    jobDone(job, key, data) {
      const e = entry(job);
      if (e.wantedKey !== key) return false;
      const tensorKey = job === JOB.tensor ? key : (get().results[JOB.tensor]?.forKey ?? null);
      put(job, { status: 'done', wantedKey: key, forKey: key, data, error: null, progress: null, tensorKey });
      return true;
    },
    jobFailed(job, key, error) {
      const e = entry(job);
      if (e.wantedKey !== key) return;
      put(job, { ...e, status: 'error', error, progress: null });
    },
    clearJob(job) {
      put(job, EMPTY_RESULT);
    },
  };
};
