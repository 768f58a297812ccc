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

/** the key of the tensor on screen (its job's result), null before the first */
export const selectTensorKey = (s: AppState): string | null => s.results[JOB.tensor]?.forKey ?? null;

/**
 * The last result to show, dimmed, next to a failed job's error: kept when it is for the tensor on
 * screen (the error is about the new settings; the view stays, as for any bad input), dropped when it
 * is for another tensor (its captions and axes would not be the ones of the tensor named around it).
 */
export function keptOnError(r: ResultEntry, tensorKey: string | null): boolean {
  return r.data !== null && r.tensorKey === tensorKey;
}

/** true while the shown data is older than what is wanted (show it dimmed) */
export function isStale(r: ResultEntry): boolean {
  return r.data !== null && r.forKey !== r.wantedKey;
}
