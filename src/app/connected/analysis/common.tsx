/**
 * Shared bits of the analysis adapters: read a job's result narrowly, show
 * its progress and error, and keep the last good result on screen dimmed
 * while the next one computes (ARCHITECTURE rule 4). A failed job keeps it
 * next to the error when it is for the tensor on screen, not when it is for
 * another one (selectors.ts keptOnError).
 */
import type { ReactNode } from 'react';
import { EMPTY_RESULT, type ResultEntry } from '../../../state/slices/resultsSlice.ts';
import { isStale, keptOnError, selectTensorKey } from '../../../state/selectors.ts';
import { useAppStore } from '../../../state/store.ts';
import { Progress } from '../../../ui/Progress.tsx';
export { optionsText } from '../../../state/config.ts';
import { getFormat } from '../../../core/formats/registry.ts';

export { useConfigExcept, VIEW_ONLY_KEYS } from '../../../state/store.ts';

export function useJob<T>(job: string): ResultEntry<T> {
  return useAppStore((s) => (s.results[job] as ResultEntry<T> | undefined) ?? EMPTY_RESULT);
}

/** Progress, error and the dimmed last result of one job. */
export function JobView<T>({ entry, busyLabel, empty, children }: {
  entry: ResultEntry<T>;
  busyLabel: string;
  /** shown when there is no result yet and nothing is running */
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  const stale = isStale(entry) || (entry.status === 'running' && entry.data !== null);
  const tensorKey = useAppStore(selectTensorKey);
  const failed = entry.status === 'error';
  const busy = entry.status === 'running' || entry.status === 'queued';
  return (
    <div className="job-view" aria-busy={busy || undefined}>
      {entry.status === 'running' && <Progress label={busyLabel} value={entry.progress} over={entry.data !== null} />}
      {entry.status === 'queued' && <Progress label={`${busyLabel}: starts once the settings rest`} value={null} over={entry.data !== null} />}
      {entry.status === 'error' && <p className="error-text" role="alert">{entry.error}</p>}
      {entry.data !== null && (!failed || keptOnError(entry, tensorKey))
        ? <div className={stale || failed ? 'stale' : undefined}>{children(entry.data)}</div>
        : !busy && !failed && empty}
    </div>
  );
}

export const formatLabel = (id: string) => {
  try {
    return getFormat(id as never).label;
  } catch {
    return id;
  }
};
