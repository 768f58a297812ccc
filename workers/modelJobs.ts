/**
 * Checkpoint and whole-model jobs run inside each pool worker (issues 6, 7):
 * open a checkpoint (headers only) with progress and cancel, read one tensor's
 * packed-scale statistics, scan a subset of tensors, diff against a release,
 * recommend formats. Pure glue around src/core/io and src/core/model.
 *
 * Cancel: every job has an id chosen by the caller; `cancelJob(id)` sets its
 * abort flag, which the io readers and the scan/diff loops check between
 * chunks and tensors (the worker handles the cancel message at those awaits).
 * Progress and rows go back through comlink-proxied callbacks; the last call
 * of each job is awaited so everything it sent arrives before the job resolves.
 */
import { blobSource, openTensorFile, type ByteSource, type TensorFile, type TensorInfo, type PackedStats } from '../src/core/io/index.ts';
import { TensorReadAborted } from '../src/core/io/errors.ts';
import { scanCheckpoint, type ScanProgress, type ScanRow, type ScanVariant } from '../src/core/model/scan.ts';
import { diffCheckpoints, type DiffRow } from '../src/core/model/diff.ts';
import type { CheckpointMatch } from '../src/core/model/match.ts';
import { recommend, type Recommendation, type RecommendObjective } from '../src/core/model/recommend.ts';
import { readDetails, readKey } from './sharedReads.ts';

/** What the browser needs of an opened checkpoint: headers only. */
export interface CheckpointListing {
  format: TensorFile['format'];
  metadata: Record<string, string>;
  tensors: TensorInfo[];
  /** bytes of headers read to list it */
  headerBytes: number;
  /** the files it was opened from (names), for the summary line */
  fileNames: string[];
}

export interface TensorDetails {
  name: string;
  shape: number[];
  storedDtype: string;
  packedInfo?: PackedStats;
}

export interface ScanPartResult {
  cancelled: boolean;
  rows: number;
  skipped: { name: string; reason: string }[];
}

export interface DiffJobResult {
  match: CheckpointMatch;
  cancelled: boolean;
  rows: number;
}

export type BytesCallback = (bytesRead: number, total: number) => void | Promise<void>;

export interface ModelJobsApi {
  /** Open (headers only) and list a checkpoint; progress counts header bytes read. */
  openCheckpoint(jobId: string, files: File[], onProgress?: BytesCallback): Promise<CheckpointListing>;
  /** Read one tensor to get its stored-scale statistics (packed tensors); nothing large is returned. */
  tensorDetails(jobId: string, files: File[], name: string, onProgress?: BytesCallback): Promise<TensorDetails>;
  /** Scan the tensors named in `only` with every variant, streaming rows after each tensor. */
  scanPart(
    jobId: string, files: File[], variants: ScanVariant[], only: string[],
    onUpdate: (rows: ScanRow[], progress: ScanProgress) => void | Promise<void>,
  ): Promise<ScanPartResult>;
  /** Diff an original against a quantized release, one pair at a time. */
  diff(
    jobId: string, original: File[], release: File[],
    onUpdate: (rows: DiffRow[], pairsDone: number, pairsTotal: number) => void | Promise<void>,
  ): Promise<DiffJobResult>;
  recommend(rows: ScanRow[], targetBits: number, objective: RecommendObjective): Promise<Recommendation>;
  cancelJob(jobId: string): Promise<void>;
}

/** An abort flag per running job (shared with engineApi's tensor reads, cancelled through cancelJob). */
const jobs = new Map<string, { aborted: boolean }>();
export function jobSignal(id: string): { aborted: boolean } {
  let s = jobs.get(id);
  if (!s) jobs.set(id, (s = { aborted: false }));
  return s;
}
export function endJob(id: string): void {
  jobs.delete(id);
}

/** A progress callback that sends at most one update per `ms` (the last one is sent by the caller). */
export function throttledBytes(cb: BytesCallback | undefined, ms = 50): ((bytes: number, total: number) => void) | undefined {
  if (!cb) return undefined;
  let last = 0;
  return (bytes, total) => {
    const now = performance.now();
    if (now - last > ms) {
      last = now;
      void cb(bytes, total);
    }
  };
}

/**
 * Header reads of an open go through this wrapper: it counts bytes for the
 * progress line and stops at the next read once the open is cancelled.
 */
interface OpenTracker {
  signal: { aborted: boolean } | null;
  bytes: number;
  onRead: ((bytes: number) => void) | null;
}

function trackedSource(src: ByteSource, t: OpenTracker): ByteSource {
  return {
    size: src.size,
    name: src.name,
    async read(offset, length) {
      if (t.signal?.aborted) throw new TensorReadAborted();
      const out = await src.read(offset, length);
      if (t.signal) {
        t.bytes += out.length;
        t.onRead?.(t.bytes);
      }
      return out;
    },
  };
}

/** Opened checkpoints by file key; a few at a time (original + release), oldest closed first. */
const MAX_OPEN = 3;
const opened = new Map<string, Promise<TensorFile>>();

/** Base name of a picked file (folder picks carry webkitRelativePath; the name is enough). */
const nameOf = (f: File) => f.name;

/** Cache key of a set of files: clones of the same File compare equal by name, size and date. */
const fingerprint = (files: File[]) => files.map((f) => `${f.name}:${f.size}:${f.lastModified}`).join('|');

async function openFiles(files: File[], signal?: { aborted: boolean }, onBytes?: (n: number) => void): Promise<{ file: TensorFile; headerBytes: number }> {
  const fileKey = fingerprint(files);
  const have = opened.get(fileKey);
  if (have) {
    // refresh LRU order
    opened.delete(fileKey);
    opened.set(fileKey, have);
    return { file: await have, headerBytes: 0 };
  }
  const tracker: OpenTracker = { signal: signal ?? null, bytes: 0, onRead: onBytes ?? null };
  const promise = openTensorFile(files.map((f) => trackedSource(blobSource(f, nameOf(f)), tracker)));
  opened.set(fileKey, promise);
  promise.catch(() => { if (opened.get(fileKey) === promise) opened.delete(fileKey); });
  while (opened.size > MAX_OPEN) {
    const [k, p] = opened.entries().next().value as [string, Promise<TensorFile>];
    opened.delete(k);
    void p.then((f) => f.close()).catch(() => {});
  }
  const file = await promise;
  // later reads of this cached file are not the open's: stop counting and never abort them
  tracker.signal = null;
  tracker.onRead = null;
  return { file, headerBytes: tracker.bytes };
}

export function createModelJobs(): ModelJobsApi {
  return {
    async openCheckpoint(jobId, files, onProgress) {
      const signal = jobSignal(jobId);
      try {
        const total = files.reduce((n, f) => n + f.size, 0);
        let last = 0;
        const { file, headerBytes } = await openFiles(files, signal, (n) => {
          const now = performance.now();
          if (now - last > 50) {
            last = now;
            void onProgress?.(n, total);
          }
        });
        if (signal.aborted) throw new TensorReadAborted();
        await onProgress?.(headerBytes, total);
        return { format: file.format, metadata: file.metadata, tensors: file.tensors, headerBytes, fileNames: files.map(nameOf) };
      } finally {
        jobs.delete(jobId);
      }
    },

    async tensorDetails(jobId, files, name, onProgress) {
      const signal = jobSignal(jobId);
      try {
        const { file } = await openFiles(files);
        let last = 0;
        // joins the analysis read of the same tensor when there is one (sharedReads.ts), so it is read once
        const t = await readDetails(readKey(files, name), (o) => file.read(name, o), {
          signal,
          onProgress: (b, total) => {
            const now = performance.now();
            if (now - last > 50) {
              last = now;
              void onProgress?.(b, total);
            }
          },
        });
        return { name, shape: t.shape, storedDtype: t.storedDtype, ...(t.packedInfo ? { packedInfo: t.packedInfo } : {}) };
      } finally {
        jobs.delete(jobId);
      }
    },

    async scanPart(jobId, files, variants, only, onUpdate) {
      const signal = jobSignal(jobId);
      try {
        const { file } = await openFiles(files);
        let pending: ScanRow[] = [];
        let lastSent = 0;
        let latest: ScanProgress | null = null;
        const res = await scanCheckpoint(file, variants, {
          signal,
          only: new Set(only),
          onRow: (r) => { pending.push(r); },
          onProgress: (p) => {
            latest = p;
            const now = performance.now();
            // rows go out after each tensor (its rows are complete); byte progress at most every 100 ms
            if (pending.length || now - lastSent > 100) {
              lastSent = now;
              const rows = pending;
              pending = [];
              void onUpdate(rows, p);
            }
          },
        });
        // awaited: everything sent before it has arrived when this job resolves
        await onUpdate(pending, latest ?? res.progress);
        return { cancelled: res.cancelled, rows: res.rows.length, skipped: res.skipped };
      } finally {
        jobs.delete(jobId);
      }
    },

    async diff(jobId, original, release, onUpdate) {
      const signal = jobSignal(jobId);
      try {
        const { file: a } = await openFiles(original);
        const { file: b } = await openFiles(release);
        let pending: DiffRow[] = [];
        let done = 0;
        const res = await diffCheckpoints(a, b, {
          signal,
          onRow: (r) => { pending.push(r); },
          onProgress: (d, t) => {
            done = d;
            const rows = pending;
            pending = [];
            void onUpdate(rows, d, t);
          },
        });
        await onUpdate(pending, done, res.match.pairs.length);
        return { match: res.match, cancelled: res.cancelled, rows: res.rows.length };
      } finally {
        jobs.delete(jobId);
      }
    },

    async recommend(rows, targetBits, objective) {
      return recommend(rows, targetBits, { objective });
    },

    async cancelJob(jobId) {
      jobSignal(jobId).aborted = true;
      // a cancel that arrives after the job ended must not leave a flag behind for long
      setTimeout(() => jobs.delete(jobId), 60_000);
    },
  };
}
