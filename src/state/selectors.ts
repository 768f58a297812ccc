/** Narrow selectors shared by panels (ARCHITECTURE rule 5). */
import type { AppState } from './store.ts';
import { EMPTY_RESULT, type ResultEntry } from './slices/resultsSlice.ts';
import { JOB, type BlockViewData, type MetricsData, type TensorMeta } from './resultTypes.ts';

export const selectConfig = (s: AppState) => s.config;
export const selectFormat = (s: AppState) => s.config.format;
export const selectFormats = (s: AppState) => s.config.formats;
export const selectNotices = (s: AppState) => s.notices;

export const selectResult = <T>(job: string) => (s: AppState): ResultEntry<T> =>
  (s.results[job] as ResultEntry<T> | undefined) ?? EMPTY_RESULT;

export const selectTensor = selectResult<TensorMeta>(JOB.tensor);
export const selectMetrics = selectResult<MetricsData>(JOB.metrics);
export const selectBlock = selectResult<BlockViewData>(JOB.block);

/** true while the shown data is older than what is wanted (show it dimmed) */
export function isStale(r: ResultEntry): boolean {
  return r.data !== null && r.forKey !== r.wantedKey;
}
