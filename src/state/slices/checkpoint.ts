/**
 * Opening checkpoints (issue 6): a request the engine carries out in a worker
 * (headers only), its progress and cancel, and what was found. Nothing here
 * changes the analysed file until the open succeeded: a bad file or a cancel
 * leaves the previous checkpoint, config and results as they were.
 *
 * Two things can be opened: the checkpoint to analyse ('checkpoint'), and a
 * quantized release of it to diff against ('release', kept in the model slice).
 * Per-tensor details (packed-scale statistics) are read on demand, also with
 * progress and cancel.
 */
import type { StateCreator } from 'zustand';
import type { PackedStats, TensorFileFormat, TensorInfo } from '../../core/io/types.ts';
import type { AppState } from '../store.ts';
import { fileIdentity, overAnalysisLimit, unusableReason } from './sourceSlice.ts';

export type OpenPurpose = 'checkpoint' | 'release';

/** What the worker found in opened files (headers only). */
export interface CheckpointInfo {
  /** fileIdentity of the files ("name:bytes"), as in config.file */
  key: string;
  format: TensorFileFormat;
  /** safetensors `__metadata__`, GGUF key/values, … */
  metadata: Record<string, string>;
  tensors: TensorInfo[];
  /** bytes read to list it (headers only) */
  headerBytes: number;
  fileNames: string[];
  /** total bytes of the files */
  totalBytes: number;
}

export interface OpenRequest {
  id: number;
  purpose: OpenPurpose;
  files: File[];
  /** performance.now() when requested; the UI shows progress after ~100 ms */
  startedAt: number;
  bytesRead: number;
  totalBytes: number;
}

export interface TensorDetailsEntry {
  name: string;
  status: 'reading' | 'done' | 'error';
  bytesRead: number;
  totalBytes: number;
  startedAt: number;
  storedDtype?: string;
  packedInfo?: PackedStats;
  error?: string;
}

/** The analysed tensor's read in the worker (bytes of the stored tensor), while it runs. */
export interface TensorRead {
  jobId: string;
  name: string;
  bytesRead: number;
  totalBytes: number;
  startedAt: number;
  cancelled: boolean;
}

export interface CheckpointSlice {
  /** the open being carried out (null when none) */
  openRequest: OpenRequest | null;
  /** the checkpoint being analysed (its files are `files` of the source slice) */
  checkpoint: CheckpointInfo | null;
  /** tensor details read for the current checkpoint, by tensor name */
  tensorDetails: Record<string, TensorDetailsEntry>;
  /** the tensor whose details are wanted (the engine reads it); null = none */
  detailsWanted: string | null;
  requestOpen(files: File[], purpose?: OpenPurpose): void;
  /** cancel the open in progress: everything stays as it was before it */
  cancelOpen(): void;
  openProgress(id: number, bytesRead: number, totalBytes: number): void;
  /** the engine reports success; commits the files to the source slice (or the release to the model slice) */
  openSucceeded(id: number, info: Omit<CheckpointInfo, 'key' | 'totalBytes'>): void;
  /** the engine reports a failure: one-sentence notice, previous state kept */
  openFailed(id: number, message: string): void;
  /** back to the built-in samples: forgets the checkpoint, its scan and diff */
  closeCheckpoint(): void;
  requestDetails(name: string | null): void;
  /** the analysed tensor's read (the scheduler reports it; the engine cancels it) */
  tensorRead: TensorRead | null;
  tensorReadStarted(jobId: string, name: string): void;
  tensorReadProgress(jobId: string, bytesRead: number, totalBytes: number): void;
  tensorReadEnded(jobId: string): void;
  /** stop reading the tensor and go back to the one on screen (the last good result stays) */
  cancelTensorRead(): void;
  detailsUpdate(name: string, patch: Partial<TensorDetailsEntry>): void;
}

let nextOpenId = 1;

/**
 * Why an opened file holds nothing to look at (no tensor, or every tensor empty or not decodable:
 * unusableReason), as one sentence; null when some tensor can be analysed, or is only over the
 * size limit (the file still opens: its listing and the whole-model scan can use it). Such a file
 * is refused like a corrupt one, and the previous view stays.
 */
export function nothingToAnalyse(fileName: string, tensors: readonly Pick<TensorInfo, 'name' | 'shape' | 'notDecoded'>[]): string | null {
  if (tensors.some((t) => !unusableReason(t) || (!t.notDecoded && overAnalysisLimit(t.shape)))) return null;
  if (tensors.length === 0) return `${fileName} holds no tensors.`;
  if (tensors.length === 1) {
    const t = tensors[0];
    return `The only tensor of ${fileName}, ${t.name.slice(0, 120)} [${t.shape.join(', ')}], cannot be analysed (${unusableReason(t)}).`;
  }
  return `None of the ${tensors.length} tensors of ${fileName} can be analysed: each one has no elements or cannot be decoded.`;
}

export const createCheckpointSlice: StateCreator<AppState, [], [], CheckpointSlice> = (set, get) => ({
  openRequest: null,
  checkpoint: null,
  tensorDetails: {},
  detailsWanted: null,
  tensorRead: null,
  requestOpen(files, purpose = 'checkpoint') {
    if (files.length === 0) return;
    get().dismissNotice('file-error');
    set({
      openRequest: {
        id: nextOpenId++, purpose, files, startedAt: performance.now(), bytesRead: 0,
        totalBytes: files.reduce((n, f) => n + f.size, 0),
      },
    });
  },
  cancelOpen() {
    set({ openRequest: null });
  },
  openProgress(id, bytesRead, totalBytes) {
    const r = get().openRequest;
    if (r?.id === id) set({ openRequest: { ...r, bytesRead, totalBytes } });
  },
  openSucceeded(id, found) {
    const r = get().openRequest;
    if (r?.id !== id) return;
    const nothing = r.purpose === 'checkpoint' ? nothingToAnalyse(r.files[0]?.name ?? 'the file', found.tensors) : null;
    if (nothing) {
      get().openFailed(id, nothing);
      return;
    }
    const info: CheckpointInfo = { ...found, key: fileIdentity(r.files), totalBytes: r.files.reduce((n, f) => n + f.size, 0) };
    set({ openRequest: null });
    if (r.purpose === 'release') {
      get().setRelease(r.files, info);
      return;
    }
    const sameFiles = get().checkpoint?.key === info.key;
    set({ checkpoint: info, tensorDetails: sameFiles ? get().tensorDetails : {}, detailsWanted: null });
    if (!sameFiles) get().resetModel();
    get().openFiles(r.files);
    get().setListing(info.tensors.map((t) => ({ name: t.name, dtype: t.dtype, shape: t.shape, ...(t.notDecoded ? { notDecoded: t.notDecoded } : {}) })));
  },
  openFailed(id, message) {
    const r = get().openRequest;
    if (r?.id !== id) return;
    set({ openRequest: null });
    get().showNotice({
      id: 'file-error', tone: 'error',
      title: r.purpose === 'release' ? 'The release could not be opened' : 'The file could not be opened',
      details: [message, 'Nothing changed: the previous view is kept.'],
    });
  },
  closeCheckpoint() {
    set({ checkpoint: null, tensorDetails: {}, detailsWanted: null, openRequest: null });
    get().resetModel();
    get().closeFiles();
  },
  requestDetails(name) {
    set({ detailsWanted: name });
  },
  tensorReadStarted(jobId, name) {
    set({ tensorRead: { jobId, name, bytesRead: 0, totalBytes: 0, startedAt: performance.now(), cancelled: false } });
  },
  tensorReadProgress(jobId, bytesRead, totalBytes) {
    const r = get().tensorRead;
    if (r?.jobId === jobId && !r.cancelled) set({ tensorRead: { ...r, bytesRead, totalBytes } });
  },
  tensorReadEnded(jobId) {
    if (get().tensorRead?.jobId === jobId) set({ tensorRead: null });
  },
  cancelTensorRead() {
    const r = get().tensorRead;
    if (!r || r.cancelled) return;
    set({ tensorRead: { ...r, cancelled: true } });
    // back to the tensor whose results are on screen (tensorKey "file:<file>:<tensor>", engine/plan.ts)
    const { config, results } = get();
    const shown = (results.tensor?.data ?? null) as { key?: string; name?: string } | null;
    if (config.file && shown?.key?.startsWith(`file:${config.file}:`) && shown.name && shown.name !== config.tensor) {
      get().setConfig({ tensor: shown.name, row: 0, block: 0 }, 'replace');
    }
  },
  detailsUpdate(name, patch) {
    const prev = get().tensorDetails[name];
    const base: TensorDetailsEntry = prev ?? { name, status: 'reading', bytesRead: 0, totalBytes: 0, startedAt: performance.now() };
    set({ tensorDetails: { ...get().tensorDetails, [name]: { ...base, ...patch } } });
  },
});
