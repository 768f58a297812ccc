/**
 * Shared bits of the analysis adapters: read a job's result narrowly, show
 * its progress and error, and keep the last good result on screen dimmed
 * while the next one computes (ARCHITECTURE rule 4).
 */
import { useRef, type ReactNode } from 'react';
import { EMPTY_RESULT, type ResultEntry } from '../../../state/slices/resultsSlice.ts';
import { isStale } from '../../../state/selectors.ts';
import { useAppStore } from '../../../state/store.ts';
import { Progress } from '../../../ui/Progress.tsx';
import type { Config } from '../../../state/config.ts';
export { optionsText } from '../../../state/config.ts';
import { getFormat } from '../../../core/formats/registry.ts';

/** Config fields that only move the heatmap view (pan, zoom, picked channel). */
export const VIEW_ONLY_KEYS: readonly (keyof Config)[] = ['r0', 'r1', 'c0', 'c1', 'channel'];

/**
 * The config, but the same object as before when only `ignore` fields changed: panels that do not draw
 * the heatmap viewport skip the re-render of every pan/zoom step (frames stay under 32 ms at 4096²).
 */
export function useConfigExcept(ignore: readonly (keyof Config)[] = VIEW_ONLY_KEYS): Config {
  const last = useRef<Config | null>(null);
  return useAppStore((s) => {
    const c = s.config, l = last.current;
    if (l !== null && (l === c || (Object.keys(c) as (keyof Config)[]).every((k) => ignore.includes(k) || c[k] === l[k]))) return l;
    last.current = c;
    return c;
  });
}

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
  const busy = entry.status === 'running' || entry.status === 'queued';
  return (
    <div className="job-view" aria-busy={busy || undefined}>
      {entry.status === 'running' && <Progress label={busyLabel} value={entry.progress} />}
      {entry.status === 'queued' && <Progress label={`${busyLabel}: starts once the settings rest`} value={null} />}
      {entry.status === 'error' && <p className="error-text" role="alert">{entry.error}</p>}
      {entry.data !== null
        ? <div className={stale || entry.status === 'error' ? 'stale' : undefined}>{children(entry.data)}</div>
        : !busy && entry.status !== 'error' && empty}
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
