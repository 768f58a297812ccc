/**
 * The scheduler (ARCHITECTURE data flow): watches the config, works out which
 * jobs are wanted (by key), runs them on the pool, and stores results only if
 * their key is still wanted. Work is split per format, so a stale multi-format
 * job is abandoned between formats; a stale reply is dropped on arrival.
 * The main thread only merges small sums here (no loops over tensor data).
 */
import { proxy, transfer, type Remote } from 'comlink';
import { NO_USABLE_TENSOR, chooseTensor, fileIdentity, unusableReason } from '../state/slices/sourceSlice.ts';
import type { EngineApi, SliceInfo } from '../../workers/api.ts';
import { mergeStatSums, summarize } from '../core/samples/tensorStats.ts';
import { SAMPLE_INFO } from '../core/samples/samples.ts';
import { DEFAULT_VALUE_BINS, finishFormats, type FormatPartial } from '../core/analysis/index.ts';
import { mergeErrorBuckets, sharedBinEdges, type Histogram } from '../core/stats/histogram.ts';
import { quantize } from '../core/quant/quantize.ts';
import { bitsPerElement } from '../core/quant/bitsPerElement.ts';
import type { Config } from '../state/config.ts';
import { optionsText, tensorText } from '../state/config.ts';
import { parseGranularity, type QuantOptions } from '../core/quant/options.ts';
import { getFormat } from '../core/formats/registry.ts';
import { JOB, type BlockViewData, type FormatMetrics, type MetricsData, type TensorMeta } from '../state/resultTypes.ts';
import type { QuantSliceResult } from '../../workers/api.ts';
import type { AppStore } from '../state/store.ts';
import type { Pool } from './client.ts';
import { mergeSums, metricsFromSums } from '../core/stats/metrics.ts';
import { blockKey, metricsKey, planSlices, quantOptions, sliceOf, splittable, tensorKey, type RowSlice } from './plan.ts';
import { createAnalysisJobs } from './analysisJobs.ts';
import { transformMetricsPart } from './analysisPlan.ts';
import { createLorcRunner } from './lorcJob.ts';
import { FormatCache, formatCacheKey } from './formatCache.ts';
import { createViewMotion, onlyViewportMoved } from './viewMotion.ts';
import { chunkRows, PRECOMPUTE_STOPPED, runChunks, type ChunkControl, type SliceRows } from './chunkRunner.ts';

/** One format's merged metrics partial and its table row (per-format cache of the metrics job). */
interface CachedFormat {
  partial: FormatPartial;
  row: FormatMetrics;
}

export interface Loaded {
  key: string;
  meta: TensorMeta;
  slices: RowSlice[];
  /** handle of the whole tensor on worker 0 (loaded on first need) */
  full: Promise<string> | null;
  /** that handle once it is loaded (readyNow) */
  fullNow?: string;
  /** a copy of slice `slice`'s rows on another worker, once adopted there (startMirror): it can take that slice's chunks */
  mirror?: { worker: number; slice: number; handle: string };
}

/** tensors up to this size get a mirror of worker 0's slice on worker 1 (64 MiB of float32 at most) */
const MIRROR_MAX_ELEMENTS = 1 << 24;

const ROW = parseGranularity('row');
const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Runs `fn` once the frame that shows the latest results has been painted (a task after the next animation
 * frame), or after 50 ms when no frame comes (hidden tab, Node tests): work that is not on screen yet
 * waits until what the user asked for is.
 */
function afterPaint(fn: () => void): void {
  let ran = false;
  const run = () => {
    if (ran) return;
    ran = true;
    fn();
  };
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => setTimeout(run, 0));
  setTimeout(run, 50);
}

/**
 * Results of row slices (or chunks of one) in row order, added up: metric sums merged left to right
 * (mergeFormatPartials' order), error buckets added into one copy of the first part's, counts summed.
 * One copy per call: a format's 16 chunk replies at 4096² each made a fresh 128 KiB bucket array
 * (Uint32Array.from) on the main thread while the workers wait for it.
 */
function mergeSliceResults(parts: readonly QuantSliceResult[]): QuantSliceResult {
  const [first, ...rest] = parts;
  if (rest.length === 0) return first;
  const merged: QuantSliceResult = { ...first, buckets: first.buckets.slice() };
  for (const b of rest) {
    if (b.format !== merged.format) throw new Error(`mergeSliceResults: format ${merged.format} vs ${b.format}`);
    merged.sums = mergeSums(merged.sums, b.sums);
    mergeErrorBuckets(merged.buckets, b.buckets);
    merged.saturated += b.saturated;
    merged.blocksSaturated += b.blocksSaturated;
    merged.blocks += b.blocks;
    merged.ms += b.ms;
  }
  return merged;
}

export function startScheduler(store: AppStore, pool: Pool): () => void {
  /** loaded tensors by key: the wanted one, and briefly the one before it */
  const loadedByKey = new Map<string, Loaded>();
  let loading: { key: string; promise: Promise<Loaded> } | null = null;
  let stopped = false;
  const w = (i: number): Remote<EngineApi> => pool.workers[i];
  /** per-format results of the metrics, trade-off and outlier-split jobs (formatCache.ts) */
  const cache = new FormatCache(64);
  /** the job for `key` is running or done (a failed one is retried: e.g. the file it needed is now open) */
  const already = (job: string, key: string) => {
    const r = store.getState().results[job];
    return r?.wantedKey === key && r.status !== 'error' && r.status !== 'queued';
  };
  const wanted = (job: string, key: string) => !stopped && store.getState().results[job]?.wantedKey === key;

  async function loadTensor(c: Config): Promise<Loaded> {
    const key = tensorKey(c);
    const have = loadedByKey.get(key);
    if (have) return have;
    if (loading?.key === key) return loading.promise;
    const promise = (async () => {
      const t0 = performance.now();
      let slices: RowSlice[];
      let infos: SliceInfo[];
      let full: Promise<string> | null = null;
      let fullNow: string | undefined;
      let rows: number, cols: number, shape: number[], name: string;
      const handle = `${key}@slice`;
      if (c.file !== null) {
        const files = store.getState().files;
        if (!files || fileIdentity(files) !== c.file) {
          throw new Error(`open "${c.file.replace(/:[0-9]+$/, '')}" to see it: a link names a file but never carries it`);
        }
        if (c.tensor === null) {
          const listing = store.getState().listing;
          throw new Error(listing && chooseTensor(listing, null).pick === undefined ? NO_USABLE_TENSOR : 'pick a tensor of the file');
        }
        const listed = store.getState().listing?.find((t) => t.name === c.tensor);
        const why = listed && unusableReason(listed);
        if (why) throw new Error(`${c.tensor} [${listed.shape.join(', ')}] cannot be analysed (${why}): pick another tensor of the file`);
        const wholeHandle = `${key}@full`;
        // bytes read and cancel for the UI (checkpoint slice; src/engine/modelJob.ts sends the cancel)
        const jobId = `read:${key}:${Date.now().toString(36)}`;
        store.getState().tensorReadStarted(jobId, c.tensor);
        let info: SliceInfo;
        try {
          info = await w(0).loadFileTensor(wholeHandle, c.file, files, c.tensor, jobId,
            proxy((b: number, t: number) => store.getState().tensorReadProgress(jobId, b, t)));
        } finally {
          store.getState().tensorReadEnded(jobId);
        }
        ({ rows, cols, shape } = info);
        name = c.tensor;
        full = Promise.resolve(wholeHandle);
        fullNow = wholeHandle;
        slices = planSlices(rows, cols, pool.size);
        // worker 0 views its rows of the whole tensor; the others get copies, relayed (transferred, not cloned)
        infos = await Promise.all(slices.map(async (s) => {
          if (s.worker === 0) return w(0).aliasRows(handle, wholeHandle, s.rowStart, s.rowEnd);
          const part = await w(0).copyRows(wholeHandle, s.rowStart, s.rowEnd);
          return w(s.worker).adoptRows(handle, transfer(part, [part.buffer as ArrayBuffer]), s.rowStart, s.rowEnd, rows, cols, shape);
        }));
      } else {
        const spec = { kind: c.sample, size: c.size, seed: c.sampleSeed };
        slices = planSlices(c.size, c.size, pool.size);
        infos = await Promise.all(slices.map((s) => w(s.worker).loadSample(handle, spec, s.rowStart, s.rowEnd)));
        rows = cols = c.size;
        shape = [c.size, c.size];
        name = SAMPLE_INFO[c.sample].label;
      }
      const stats = infos.map((i) => i.stats).reduce(mergeStatSums);
      const summary = summarize(stats);
      const edges = sharedBinEdges(stats.count ? [summary.min, summary.max] : [0, 1], DEFAULT_VALUE_BINS);
      const hists = await Promise.all(slices.map((s) => w(s.worker).histogramSlice(handle, edges)));
      const valueHistogram: Histogram = {
        edges,
        counts: hists.map((h) => h.counts).reduce((a, b) => a.map((v, i) => v + b[i])),
        outside: hists.reduce((n, h) => n + h.outside, 0),
        nonfinite: hists.reduce((n, h) => n + h.nonfinite, 0),
      };
      const meta: TensorMeta = {
        key, name, rows, cols, shape, summary, slices: slices.length, loadMs: performance.now() - t0, valueHistogram,
      };
      const next: Loaded = { key, meta, slices, full, fullNow };
      loadedByKey.set(key, next);
      startMirror(next);
      // free tensors nobody wants any more (jobs still using them are stale and get dropped)
      const current = tensorKey(store.getState().config);
      for (const [k, l] of loadedByKey) {
        if (k !== key && k !== current) {
          loadedByKey.delete(k);
          void dropLoaded(l);
        }
      }
      return next;
    })();
    loading = { key, promise };
    try {
      return await promise;
    } finally {
      if (loading?.promise === promise) loading = null;
    }
  }

  async function dropLoaded(l: Loaded): Promise<void> {
    cache.dropTensor(l.key);
    const handle = `${l.key}@slice`;
    await Promise.all(l.slices.map((s) => w(s.worker).drop(handle)));
    if (l.full) await w(0).drop(`${l.key}@full`);
    if (l.mirror) await w(l.mirror.worker).drop(l.mirror.handle);
  }

  /** The whole tensor on worker 0, for jobs that cannot be split by rows. */
  function fullHandle(l: Loaded, c: Config): Promise<string> {
    if (l.slices.length === 1) return Promise.resolve(`${l.key}@slice`);
    if (!l.full) {
      const handle = `${l.key}@full`;
      l.full = w(0).loadSample(handle, { kind: c.sample, size: c.size, seed: c.sampleSeed }, 0, c.size).then(() => {
        l.fullNow = handle;
        return handle;
      });
    }
    return l.full;
  }

  /** The tensor of `c` and its whole handle on worker 0 when both are in already: no await needed. */
  function readyNow(c: Config): { l: Loaded; xHandle: string } | undefined {
    const l = loadedByKey.get(tensorKey(c));
    if (!l) return undefined;
    const xHandle = l.slices.length === 1 ? `${l.key}@slice` : l.fullNow;
    return xHandle ? { l, xHandle } : undefined;
  }

  const analysis = createAnalysisJobs<Loaded>({
    store, w, loadTensor, fullHandle, readyNow, already, wanted, cache, stopped: () => stopped, longBusy: (i) => pool.longBusy?.has(i) ?? false,
    plainFormat: (l, c, opts, background) => formatResult(l, c, opts, background),
    backgroundIdle: async () => {
      await lorc.whenIdle();
      await motion.quiet();
    },
  });
  // a pan or zoom: the heavy jobs' steps wait, and their requests under way rest between bands
  const motion = createViewMotion((ms) => {
    // a worker gone, or a test's stand-in without the call: fine
    for (const x of pool.workers) void Promise.resolve().then(() => x.holdBackground(ms)).catch(() => {});
  });
  const lorc = createLorcRunner(store, {
    /** the picked weight of a file, else the analysed tensor itself (a transferred copy from worker 0) */
    async fileRows(c) {
      const p = c.weightTensor !== null ? await analysis.loadPair(c) : null;
      if (p) {
        const data = await w(0).copyRows(p.handle, 0, p.rows);
        return { data, rows: p.rows, cols: p.cols, name: p.name };
      }
      const l = await loadTensor(c);
      const data = await w(0).copyRows(await fullHandle(l, c), 0, l.meta.rows);
      return { data, rows: l.meta.rows, cols: l.meta.cols, name: l.meta.name };
    },
  });

  async function runTensor(c: Config) {
    const key = tensorKey(c);
    const s = store.getState();
    if (already(JOB.tensor, key)) return;
    s.jobStarted(JOB.tensor, key);
    try {
      const l = await loadTensor(c);
      if (wanted(JOB.tensor, key)) store.getState().jobDone(JOB.tensor, key, l.meta);
    } catch (e) {
      store.getState().jobFailed(JOB.tensor, key, errorText(e));
    }
  }

  /**
   * Per-format computations under way, by cache key (the metrics and trade-off jobs and the precompute
   * may ask for the same one). `kept`: a job that shows it asked; a computation only the precompute
   * asked for stops between chunks once the config changes (`stopped` then), so the next change's
   * requests wait for one chunk, not for the rest of the format.
   */
  const inflight = new Map<string, { promise: Promise<CachedFormat>; kept: boolean; stopped: boolean }>();

  /** Cache key of a format's plain (no transform) result; non-scalar formats ignore the granularity. */
  const plainCacheKey = (l: Loaded, opts: QuantOptions) =>
    formatCacheKey(l.key, 'metrics', getFormat(opts.format).kind === 'scalar' ? opts : { ...opts, granularity: ROW });

  /**
   * One format's merged metrics partial and table row on the loaded tensor, without a transform: row-split
   * over the pool when the options allow, else whole on worker 0. Cached (returned as is, no promise) and
   * shared while under way; the workers get their requests before this returns. `background`: a
   * background job asks (AnalysisContext.plainFormat): true stops between chunks once the config changes,
   * a function once it returns true; a foreground caller of the same format keeps it going.
   */
  function formatResult(
    l: Loaded, c: Config, opts: QuantOptions, background: boolean | (() => boolean) = false,
  ): CachedFormat | Promise<CachedFormat> {
    const ck = plainCacheKey(l, opts);
    const hit = cache.get<CachedFormat>(ck);
    if (hit) return hit;
    let e = inflight.get(ck);
    if (e?.stopped) e = undefined; // stopping: its promise rejects; this caller starts it anew
    if (!e) {
      const entry = { promise: null as unknown as Promise<CachedFormat>, kept: !background, stopped: false };
      const gone = typeof background === 'function' ? background : () => store.getState().config !== c;
      const control: ChunkControl = {
        stop: () => {
          if (!entry.kept && gone()) entry.stopped = true;
          return entry.stopped;
        },
        // the precompute keeps one request queued per worker; once someone waits for it, two
        queued: () => (entry.kept ? 2 : 1),
      };
      entry.promise = computeFormat(l, c, opts, ck, control).finally(() => { if (inflight.get(ck) === entry) inflight.delete(ck); });
      inflight.set(ck, entry);
      e = entry;
    } else if (!background) e.kept = true;
    return e.promise;
  }

  /**
   * The quantSlice results of a format's row slices, each the merge of its chunks in row order
   * (chunkRunner.ts): a chunk request that comes in meanwhile (the heatmaps after a transform change,
   * while formats are precomputed or the trade-off runs) waits for one chunk (~30–50 ms), not for a
   * whole slice; a worker out of chunks takes the other slice's last ones where it holds those rows
   * (worker 0's whole copy, worker 1's mirror). Same results as one request per slice up to the float64
   * summation order of the merged sums.
   */
  async function sliceResults(
    l: Loaded, opts: QuantOptions, tensorAmax: number, control?: ChunkControl,
  ): Promise<QuantSliceResult[]> {
    const handle = `${l.key}@slice`;
    const rows: SliceRows[] = l.slices.map((sl, i) => {
      const holders = new Map<number, string>([[sl.worker, handle]]);
      if (sl.worker !== 0 && l.fullNow) holders.set(0, l.fullNow);
      if (l.mirror?.slice === i) holders.set(l.mirror.worker, l.mirror.handle);
      return { slice: sl, holders };
    });
    const perSlice = await runChunks(rows, l.slices.map((sl) => chunkRows(sl, opts, l.meta.cols)),
      (worker, h, rowStart, rowEnd) => w(worker).quantSlice({ handle: h, opts, tensorAmax, rowStart, rowEnd }), control);
    return perSlice.map(mergeSliceResults);
  }

  /**
   * Worker 0's slice copied to worker 1 (two slices, tensors up to MIRROR_MAX_ELEMENTS), so worker 1 can
   * take that slice's last chunks when worker 0 falls behind (worker 0 takes worker 1's through its whole copy).
   */
  function startMirror(l: Loaded): void {
    if (l.slices.length !== 2 || l.meta.rows * l.meta.cols > MIRROR_MAX_ELEMENTS) return;
    const [s0, s1] = l.slices;
    const handle = `${l.key}@mirror`;
    const { rows, cols, shape } = l.meta;
    void w(s0.worker).copyRows(`${l.key}@slice`, s0.rowStart, s0.rowEnd)
      .then((part) => w(s1.worker).adoptRows(handle, transfer(part, [part.buffer as ArrayBuffer]), s0.rowStart, s0.rowEnd, rows, cols, shape))
      .then(() => {
        if (!stopped && loadedByKey.get(l.key) === l) l.mirror = { worker: s1.worker, slice: 0, handle };
        else void w(s1.worker).drop(handle);
      })
      .catch(() => {}); // no mirror: no stealing from that slice
  }

  async function computeFormat(l: Loaded, c: Config, opts: QuantOptions, ck: string, control?: ChunkControl): Promise<CachedFormat> {
    const t0 = performance.now();
    const tensorAmax = l.meta.summary.absmax;
    const split = splittable(opts, l.slices);
    const parts: QuantSliceResult[] = split
      ? await sliceResults(l, opts, tensorAmax, control)
      : [await w(0).quantSlice({ handle: await fullHandle(l, c), opts, tensorAmax })];
    const merged = mergeSliceResults(parts);
    const row: FormatMetrics = {
      format: opts.format,
      metrics: metricsFromSums(merged.sums),
      saturated: merged.saturated,
      blocksSaturated: merged.blocksSaturated,
      blocks: merged.blocks,
      ms: performance.now() - t0,
      split,
    };
    const result: CachedFormat = { partial: { format: merged.format, sums: merged.sums, buckets: merged.buckets, saturated: merged.saturated }, row };
    cache.set<CachedFormat>(ck, result);
    return result;
  }

  /** the metrics job last started, so later schedules of the same key can wait for it */
  let metricsRun: { key: string; promise: Promise<void> } | null = null;

  function runMetrics(c: Config): Promise<void> {
    const key = c.transform !== 'none' ? `${metricsKey(c)}#${transformMetricsPart(c)}` : metricsKey(c);
    if (already(JOB.metrics, key)) return metricsRun?.key === key ? metricsRun.promise : Promise.resolve();
    store.getState().jobStarted(JOB.metrics, key);
    const promise = computeMetrics(c, key);
    metricsRun = { key, promise };
    return promise;
  }

  async function computeMetrics(c: Config, key: string): Promise<void> {
    // transforms need the whole tensor (column statistics): one worker, analysisJobs
    if (c.transform !== 'none') return analysis.runTransformMetrics(c, key);
    try {
      // a loaded tensor is taken without an await, so the workers get the first format's request inside the
      // store update that changed the config, before React re-renders the page in the same event
      const l = loadedByKey.get(tensorKey(c)) ?? await loadTensor(c);
      const rows: FormatMetrics[] = [];
      const partials: FormatPartial[] = [];
      const failures: MetricsData['failures'] = [];
      const quant = quantOptions(c, c.formats[0]);
      for (const [i, format] of c.formats.entries()) {
        if (!wanted(JOB.metrics, key)) return; // stale: abandon between formats
        // a format computed before on this tensor with the same options is not computed again (no await either)
        const r = formatResult(l, c, quantOptions(c, format));
        // the next format starts behind it as a background computation (one chunk queued per worker, stopped
        // between chunks by a change), so a worker that ends its part of this one goes on at once instead
        // of waiting for the other worker's part (that barrier cost 50-90 ms per change at 4096²)
        const next = c.formats[i + 1];
        if (next !== undefined) {
          const ahead = formatResult(l, c, quantOptions(c, next), true);
          if (ahead instanceof Promise) ahead.catch(() => {}); // awaited (and kept) in its turn, or stopped
        }
        let got: CachedFormat;
        if (r instanceof Promise) {
          try {
            got = await r;
          } catch (e) {
            failures.push({ format, message: errorText(e) });
            continue;
          }
          store.getState().jobProgress(JOB.metrics, key, (i + 1) / c.formats.length);
        } else {
          got = r;
        }
        partials.push(got.partial);
        rows.push(got.row);
      }
      const { rows: nr, cols: nc } = l.meta;
      const done = finishFormats(partials, nr, nc, { quant }, {
        quantize,
        bitsPerElement: (f, g, cols, rws) => bitsPerElement(f, g, cols, rws, c.scale),
      });
      const data: MetricsData = {
        rows,
        failures,
        options: optionsText(c),
        tensor: tensorText(l.meta),
        analysis: { rows: nr, cols: nc, ...done, valueHistogram: l.meta.valueHistogram, absMax: l.meta.summary.absmax },
      };
      store.getState().jobDone(JOB.metrics, key, data);
    } catch (e) {
      store.getState().jobFailed(JOB.metrics, key, errorText(e));
    }
  }

  async function runBlock(c: Config) {
    const key = blockKey(c);
    const s = store.getState();
    if (already(JOB.block, key)) return;
    s.jobStarted(JOB.block, key);
    try {
      const l = await loadTensor(c);
      const row = Math.min(c.row, l.meta.rows - 1);
      const sl = sliceOf(l.slices, row);
      const { format: _f, ...base } = quantOptions(c, c.format);
      void _f;
      const reply = await w(sl.worker).blockView({
        handle: `${l.key}@slice`, format: c.format, row, block: c.block, tensorAmax: l.meta.summary.absmax, base,
      });
      const data: BlockViewData = { ...reply, format: c.format };
      store.getState().jobDone(JOB.block, key, data);
    } catch (e) {
      store.getState().jobFailed(JOB.block, key, errorText(e));
    }
  }

  function schedule(c: Config) {
    analysis.queueHeavy(c);
    void runTensor(c);
    // metrics (table + error histograms) first; the heavy panels (trade-off, matmul, outlier split) queue on
    // the same workers, so they start once the metrics of this config are in (or the config moved on)
    const metrics = runMetrics(c);
    void runBlock(c);
    // without a transform the table and histograms come first: the heatmaps' whole-tensor work on worker 0
    // would otherwise queue between the metrics' row-split requests (first metrics ~200 ms later at first
    // load); with a transform, analysisJobs puts the heatmaps first (what the eye follows after that change)
    if (c.transform === 'none') {
      void metrics.finally(() => {
        if (!stopped && store.getState().config === c) analysis.schedule(c);
      });
    } else {
      analysis.schedule(c);
    }
    void metrics.finally(() => afterPaint(() => {
      if (!stopped && store.getState().config === c) analysis.scheduleHeavy(c);
    }));
  }

  /** List the opened files' tensors; keep the linked tensor when the file has it, else pick one and say so. */
  async function listFiles(files: File[]) {
    const fileKey = fileIdentity(files);
    const s = store.getState();
    try {
      const tensors = await w(0).listFile(fileKey, files);
      if (store.getState().files !== files) return;
      s.setListing(tensors);
      const choice = chooseTensor(tensors, store.getState().config.tensor);
      if (choice.keep) return;
      if (choice.notice) s.showNotice({ id: 'tensor-missing', tone: 'warning', title: choice.notice.title, details: [choice.notice.detail] });
      if (choice.pick) s.setConfig({ tensor: choice.pick }, 'replace');
      else s.jobFailed(JOB.tensor, store.getState().results[JOB.tensor]?.wantedKey ?? '', NO_USABLE_TENSOR);
    } catch (e) {
      s.setListing([]);
      s.showNotice({ id: 'file-error', tone: 'error', title: 'The file could not be opened', details: [errorText(e)] });
    }
  }

  schedule(store.getState().config);
  const unsubscribe = store.subscribe((state, prev) => {
    if (state.files !== prev.files && state.files) {
      state.dismissNotice('file-error');
      void listFiles(state.files).then(() => schedule(store.getState().config));
      return;
    }
    if (state.config !== prev.config) {
      if (onlyViewportMoved(prev.config, state.config)) motion.moved();
      schedule(state.config);
    }
    if (state.lorcCancel !== prev.lorcCancel) lorc.cancel();
    if (state.lorcRequest !== prev.lorcRequest) void lorc.run(state.config);
    if (state.probe !== prev.probe) analysis.probe(state.config, state.probe);
  });
  return () => {
    stopped = true;
    lorc.stop();
    unsubscribe();
  };
}
