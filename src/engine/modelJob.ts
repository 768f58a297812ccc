/**
 * Checkpoint and whole-model jobs (issues 6, 7) on the worker pool. Watches the
 * checkpoint and model slices and carries out what they ask for:
 *   - openRequest → openCheckpoint in a worker (headers only), progress, cancel;
 *   - detailsWanted → read one tensor for its packed-scale statistics;
 *   - scan.status 'running' with a new id → scanCheckpoint split over every
 *     worker (each streams its share of tensors, one resident at a time),
 *     rows merged in checkpoint order, throttled to a few store updates a second;
 *   - a finished/cancelled scan, target bits, objective → recommend (in a worker);
 *   - a release opened → diffCheckpoints in a worker, rows streamed.
 * Cancel = cancelJob(id) on every worker running the job; rows received so far stay.
 */
import { proxy, type Remote } from 'comlink';
import type { EngineApi } from '../../workers/api.ts';
import { parseVariant, scanTargets, type ScanProgress, type ScanRow, type ScanVariant } from '../core/model/scan.ts';
import type { DiffRow } from '../core/model/diff.ts';
import type { AppStore } from '../state/store.ts';
import type { Pool } from './client.ts';

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
const isAbort = (e: unknown) => (e as Error | undefined)?.name === 'AbortError' || /cancelled/.test(errorText(e));

let jobCounter = 0;
const newJobId = (kind: string) => `${kind}-${++jobCounter}-${Date.now().toString(36)}`;

/** Splits tensors over `n` workers by stored bytes (largest first to the least loaded). */
export function assignTensors(tensors: readonly { name: string; byteSize: number }[], n: number): string[][] {
  const parts: { names: string[]; bytes: number }[] = Array.from({ length: n }, () => ({ names: [], bytes: 0 }));
  for (const t of [...tensors].sort((a, b) => b.byteSize - a.byteSize)) {
    const p = parts.reduce((a, b) => (b.bytes < a.bytes ? b : a));
    p.names.push(t.name);
    p.bytes += t.byteSize;
  }
  return parts.map((p) => p.names).filter((x) => x.length > 0);
}

/** Merges `add` into `rows` (both ordered by tensor index, then variant order). */
export function mergeRows(rows: readonly ScanRow[], add: readonly ScanRow[], tensorIndex: ReadonlyMap<string, number>, variantIndex: ReadonlyMap<string, number>): ScanRow[] {
  const key = (r: ScanRow) => (tensorIndex.get(r.name) ?? 1e9) * 64 + (variantIndex.get(r.variant) ?? 63);
  const b = [...add].sort((x, y) => key(x) - key(y));
  const out: ScanRow[] = [];
  let i = 0, j = 0;
  while (i < rows.length || j < b.length) {
    if (j >= b.length || (i < rows.length && key(rows[i]) <= key(b[j]))) out.push(rows[i++]);
    else out.push(b[j++]);
  }
  return out;
}

export function startModelJobs(store: AppStore, pool: Pool): () => void {
  const w = (i: number): Remote<EngineApi> => pool.workers[i];
  const last = () => w(pool.size - 1);
  let stopped = false;

  // ---- open ---------------------------------------------------------------
  let openRunning: { id: number; jobId: string } | null = null;
  async function runOpen() {
    const r = store.getState().openRequest;
    if (!r) return;
    const jobId = newJobId('open');
    openRunning = { id: r.id, jobId };
    try {
      // worker 0 is the one the analysis reads files with, so the headers are warm there
      const info = await w(0).openCheckpoint(jobId, r.files, proxy((bytes: number, total: number) => {
        store.getState().openProgress(r.id, bytes, total);
      }));
      if (!stopped) store.getState().openSucceeded(r.id, info);
    } catch (e) {
      if (!isAbort(e) && !stopped) store.getState().openFailed(r.id, errorText(e));
    } finally {
      if (openRunning?.jobId === jobId) openRunning = null;
    }
  }

  // ---- tensor details -----------------------------------------------------
  let detailsRunning: { name: string; jobId: string } | null = null;
  async function runDetails(name: string) {
    const s = store.getState();
    const files = s.files;
    if (!files || !s.checkpoint) return;
    const jobId = newJobId('details');
    detailsRunning = { name, jobId };
    const startedAt = performance.now();
    s.detailsUpdate(name, { status: 'reading', bytesRead: 0, totalBytes: 0, startedAt });
    try {
      // worker 0, where the analysis reads the selected tensor: the details join that read (workers/sharedReads.ts)
      const d = await w(0).tensorDetails(jobId, files, name, proxy((bytes: number, total: number) => {
        if (detailsRunning?.jobId === jobId) store.getState().detailsUpdate(name, { bytesRead: bytes, totalBytes: total });
      }));
      store.getState().detailsUpdate(name, { status: 'done', storedDtype: d.storedDtype, ...(d.packedInfo ? { packedInfo: d.packedInfo } : {}) });
    } catch (e) {
      if (isAbort(e)) {
        // cancelled: forget the attempt so it can be asked for again
        const { [name]: _gone, ...rest } = store.getState().tensorDetails;
        void _gone;
        store.setState({ tensorDetails: rest });
        setTimeout(syncDetails, 0);
      } else {
        store.getState().detailsUpdate(name, { status: 'error', error: errorText(e) });
      }
    } finally {
      if (detailsRunning?.jobId === jobId) detailsRunning = null;
    }
  }

  function syncDetails() {
    const s = store.getState();
    const want = s.detailsWanted;
    if (detailsRunning && detailsRunning.name !== want) {
      void w(0).cancelJob(detailsRunning.jobId);
      detailsRunning = null;
    }
    if (want !== null && !s.tensorDetails[want] && detailsRunning?.name !== want) void runDetails(want);
  }

  // ---- scan ---------------------------------------------------------------
  let scanRunning: { id: number; jobIds: string[]; workers: number[] } | null = null;
  async function runScan() {
    const s = store.getState();
    const scan = s.scan;
    const files = s.files;
    const cp = s.checkpoint;
    if (!files || !cp || cp.key !== scan.fileKey || !scan.base) {
      s.scanFinished(scan.id, 'error', 'open the checkpoint again to scan it');
      return;
    }
    let variants: ScanVariant[];
    try {
      variants = scan.variants.map((v) => parseVariant(v, scan.base!));
    } catch (e) {
      s.scanFinished(scan.id, 'error', errorText(e));
      return;
    }
    const { targets, skipped } = scanTargets(cp.tensors);
    const tensorIndex = new Map(cp.tensors.map((t, i) => [t.name, i]));
    const variantIndex = new Map(variants.map((v, i) => [v.label, i]));
    const parts = assignTensors(targets, pool.size);
    const jobIds = parts.map(() => newJobId('scan'));
    const workers = parts.map((_, i) => i);
    scanRunning = { id: scan.id, jobIds, workers };
    const perWorker: ScanProgress[] = parts.map((names) => ({
      tensorsDone: 0, tensorsTotal: names.length, bytesDone: 0,
      bytesTotal: names.reduce((n, name) => n + (cp.tensors[tensorIndex.get(name)!]?.byteSize ?? 0), 0),
    }));
    const total = (): ScanProgress => perWorker.reduce((a, p) => ({
      tensorsDone: a.tensorsDone + p.tensorsDone, tensorsTotal: a.tensorsTotal + p.tensorsTotal,
      bytesDone: a.bytesDone + p.bytesDone, bytesTotal: a.bytesTotal + p.bytesTotal,
    }), { tensorsDone: 0, tensorsTotal: 0, bytesDone: 0, bytesTotal: 0 });
    let rows: ScanRow[] = [];
    let pendingRows: ScanRow[] = [];
    let flushTimer: ReturnType<typeof setTimeout> | null = null;
    const flush = () => {
      flushTimer = null;
      if (pendingRows.length) rows = mergeRows(rows, pendingRows, tensorIndex, variantIndex);
      pendingRows = [];
      store.getState().scanUpdate(scan.id, { rows, progress: total() });
    };
    s.scanUpdate(scan.id, { progress: total(), skipped });
    const results = await Promise.allSettled(parts.map((names, i) => w(workers[i]).scanPart(
      jobIds[i], files, variants, names,
      proxy((newRows: ScanRow[], p: ScanProgress) => {
        perWorker[i] = p;
        pendingRows.push(...newRows);
        flushTimer ??= setTimeout(flush, 150);
      }),
    )));
    if (flushTimer) clearTimeout(flushTimer);
    flush();
    if (scanRunning?.id === scan.id) scanRunning = null;
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected' && !isAbort(r.reason));
    const cancelled = results.some((r) => r.status === 'fulfilled' && r.value.cancelled);
    if (failed) {
      // one worker failing stops the others; the rows so far stay
      for (const [i, id] of jobIds.entries()) void w(workers[i]).cancelJob(id);
      store.getState().scanFinished(scan.id, 'error', errorText(failed.reason));
    } else {
      store.getState().scanFinished(scan.id, cancelled ? 'cancelled' : 'done');
    }
  }

  function cancelScanJobs() {
    if (!scanRunning) return;
    for (const [i, id] of scanRunning.jobIds.entries()) void w(scanRunning.workers[i]).cancelJob(id);
  }

  // ---- recommendation -----------------------------------------------------
  let recTimer: ReturnType<typeof setTimeout> | null = null;
  let recSeq = 0;
  function recommendKey(): string | null {
    const s = store.getState();
    if (s.scan.status !== 'done' && s.scan.status !== 'cancelled') return null;
    if (s.scan.rows.length === 0) return null;
    return `${s.scan.id}#${s.scan.rows.length}#${s.config.targetBits}#${s.objective}`;
  }
  function scheduleRecommend() {
    const key = recommendKey();
    if (key === null || store.getState().recommendation.forKey === key) return;
    if (recTimer) clearTimeout(recTimer);
    recTimer = setTimeout(() => {
      recTimer = null;
      void runRecommend(key);
    }, 120);
  }
  async function runRecommend(key: string) {
    const seq = ++recSeq;
    const s = store.getState();
    try {
      const data = await last().recommend(s.scan.rows, s.config.targetBits, s.objective);
      if (seq === recSeq && recommendKey() === key) store.getState().setRecommendation({ forKey: key, data, error: null });
    } catch (e) {
      if (seq === recSeq && recommendKey() === key) store.getState().setRecommendation({ forKey: key, data: null, error: errorText(e) });
    }
  }

  // ---- diff ---------------------------------------------------------------
  let diffRunning: { id: number; jobId: string } | null = null;
  async function runDiff() {
    const s = store.getState();
    const d = s.diff;
    const files = s.files;
    const rel = s.release;
    if (!files || !rel) return;
    const jobId = newJobId('diff');
    diffRunning = { id: d.id, jobId };
    let rows: DiffRow[] = [];
    try {
      const res = await last().diff(jobId, files, rel.files, proxy((newRows: DiffRow[], done: number, total: number) => {
        rows = rows.concat(newRows);
        store.getState().diffUpdate(d.id, { rows, done, total });
      }));
      store.getState().diffUpdate(d.id, { rows, match: res.match, status: res.cancelled ? 'cancelled' : 'done' });
    } catch (e) {
      store.getState().diffUpdate(d.id, isAbort(e) ? { status: 'cancelled' } : { status: 'error', error: errorText(e) });
    } finally {
      if (diffRunning?.jobId === jobId) diffRunning = null;
    }
  }

  // ---- wiring -------------------------------------------------------------
  const unsubscribe = store.subscribe((state, prev) => {
    if (state.openRequest !== prev.openRequest) {
      if (state.openRequest && state.openRequest.id !== prev.openRequest?.id) void runOpen();
      if (!state.openRequest && openRunning && prev.openRequest?.id === openRunning.id) {
        void w(0).cancelJob(openRunning.jobId);
        openRunning = null;
      }
    }
    // deferred, so a quick unwant/want of the same tensor (React StrictMode effects) neither cancels nor restarts it
    if (state.detailsWanted !== prev.detailsWanted) setTimeout(syncDetails, 0);
    if (state.tensorRead?.cancelled && !prev.tensorRead?.cancelled) void w(0).cancelJob(state.tensorRead.jobId);
    if (state.scan !== prev.scan) {
      if (state.scan.status === 'running' && state.scan.id !== prev.scan.id) {
        if (scanRunning) cancelScanJobs();
        void runScan();
      } else if (state.scan.status !== 'running' && prev.scan.status === 'running' && scanRunning?.id === prev.scan.id) {
        cancelScanJobs();
      } else if (state.scan.id !== prev.scan.id && scanRunning) {
        cancelScanJobs();
      }
    }
    if (state.scan !== prev.scan || state.config.targetBits !== prev.config.targetBits || state.objective !== prev.objective) scheduleRecommend();
    if (state.diff !== prev.diff) {
      if (state.diff.status === 'running' && state.diff.id !== prev.diff.id) {
        if (diffRunning) void last().cancelJob(diffRunning.jobId);
        void runDiff();
      } else if (diffRunning && (state.diff.status !== 'running' || state.diff.id !== diffRunning.id)) {
        void last().cancelJob(diffRunning.jobId);
      }
    }
  });
  return () => {
    stopped = true;
    unsubscribe();
  };
}
