/**
 * Whole-model view state (issue 7): the scan (rows stream in and survive a
 * cancel), how its table is viewed, the recommendation and the diff against a
 * release. Formats and target bits are in the config (URL); results are not.
 * The engine (src/engine/modelJob.ts) watches the requests here and reports back.
 */
import type { StateCreator } from 'zustand';
import type { GroupBy, ScanMetric, SortKey } from '../../core/model/groups.ts';
import type { ScanProgress, ScanRow } from '../../core/model/scan.ts';
import type { Recommendation, RecommendObjective } from '../../core/model/recommend.ts';
import type { DiffRow } from '../../core/model/diff.ts';
import type { CheckpointMatch } from '../../core/model/match.ts';
import type { QuantOptions } from '../../core/quant/options.ts';
import type { AppState } from '../store.ts';
import type { CheckpointInfo } from './checkpoint.ts';

export type RunStatus = 'idle' | 'running' | 'done' | 'cancelled' | 'error';

export interface ScanState {
  /** increases with every scan asked for; the engine runs the newest */
  id: number;
  status: RunStatus;
  /** checkpoint key the rows are from */
  fileKey: string | null;
  /** variant labels, in column order */
  variants: string[];
  /** options every variant started from (granularity etc. of the sidebar when the scan started) */
  base: Omit<QuantOptions, 'format'> | null;
  /** rows in checkpoint order */
  rows: ScanRow[];
  progress: ScanProgress | null;
  /** performance.now() at start / end */
  startedAt: number;
  finishedAt: number | null;
  skipped: { name: string; reason: string }[];
  error: string | null;
}

export interface ScanView {
  groupBy: GroupBy;
  metric: ScanMetric;
  sort: SortKey;
}

export interface RecommendState {
  /** key of the rows/bits/objective it was computed for */
  forKey: string | null;
  data: Recommendation | null;
  error: string | null;
}

export interface DiffState {
  id: number;
  status: RunStatus;
  rows: DiffRow[];
  match: CheckpointMatch | null;
  done: number;
  total: number;
  error: string | null;
}

export interface ModelSlice {
  scan: ScanState;
  scanView: ScanView;
  objective: RecommendObjective;
  recommendation: RecommendState;
  /** the quantized release opened for the diff */
  release: { files: File[]; info: CheckpointInfo } | null;
  diff: DiffState;
  startScan(variants: string[], base: Omit<QuantOptions, 'format'>): void;
  cancelScan(): void;
  scanUpdate(id: number, patch: Partial<Pick<ScanState, 'rows' | 'progress' | 'skipped'>>): void;
  scanFinished(id: number, status: 'done' | 'cancelled' | 'error', error?: string): void;
  setScanView(patch: Partial<ScanView>): void;
  setObjective(o: RecommendObjective): void;
  setRecommendation(r: RecommendState): void;
  setRelease(files: File[], info: CheckpointInfo): void;
  clearRelease(): void;
  cancelDiff(): void;
  diffUpdate(id: number, patch: Partial<Omit<DiffState, 'id'>>): void;
  /** a new checkpoint was opened: its scan and diff start from nothing */
  resetModel(): void;
}

const IDLE_SCAN: ScanState = {
  id: 0, status: 'idle', fileKey: null, variants: [], base: null, rows: [], progress: null, startedAt: 0, finishedAt: null, skipped: [], error: null,
};
const IDLE_DIFF: DiffState = { id: 0, status: 'idle', rows: [], match: null, done: 0, total: 0, error: null };
const EMPTY_RECOMMENDATION: RecommendState = { forKey: null, data: null, error: null };

export const createModelSlice: StateCreator<AppState, [], [], ModelSlice> = (set, get) => ({
  scan: IDLE_SCAN,
  scanView: { groupBy: 'tensor', metric: 'sqnrDb', sort: { by: 'name' } },
  objective: 'sse',
  recommendation: EMPTY_RECOMMENDATION,
  release: null,
  diff: IDLE_DIFF,
  startScan(variants, base) {
    const cp = get().checkpoint;
    if (!cp || variants.length === 0) return;
    set({
      scan: {
        ...IDLE_SCAN, id: get().scan.id + 1, status: 'running', fileKey: cp.key, variants: [...variants], base, startedAt: performance.now(),
      },
      recommendation: EMPTY_RECOMMENDATION,
    });
  },
  cancelScan() {
    const s = get().scan;
    if (s.status === 'running') set({ scan: { ...s, status: 'cancelled', finishedAt: performance.now() } });
  },
  scanUpdate(id, patch) {
    const s = get().scan;
    if (s.id === id) set({ scan: { ...s, ...patch } });
  },
  scanFinished(id, status, error) {
    const s = get().scan;
    if (s.id !== id) return;
    set({ scan: { ...s, status: s.status === 'cancelled' ? 'cancelled' : status, error: error ?? null, finishedAt: s.finishedAt ?? performance.now() } });
  },
  setScanView(patch) {
    set({ scanView: { ...get().scanView, ...patch } });
  },
  setObjective(objective) {
    set({ objective });
  },
  setRecommendation(recommendation) {
    set({ recommendation });
  },
  setRelease(files, info) {
    set({ release: { files, info }, diff: { ...IDLE_DIFF, id: get().diff.id + 1, status: 'running' } });
  },
  clearRelease() {
    set({ release: null, diff: { ...IDLE_DIFF, id: get().diff.id + 1 } });
  },
  cancelDiff() {
    const d = get().diff;
    if (d.status === 'running') set({ diff: { ...d, status: 'cancelled' } });
  },
  diffUpdate(id, patch) {
    const d = get().diff;
    if (d.id !== id) return;
    // a cancel stays a cancel when the worker's last rows arrive
    set({ diff: { ...d, ...patch, ...(d.status === 'cancelled' && patch.status ? { status: 'cancelled' } : {}) } });
  },
  resetModel() {
    set({
      scan: { ...IDLE_SCAN, id: get().scan.id + 1 },
      recommendation: EMPTY_RECOMMENDATION,
      release: null,
      diff: { ...IDLE_DIFF, id: get().diff.id + 1 },
    });
  },
});
