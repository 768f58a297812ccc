/**
 * The analysis jobs of issue 5, run by the scheduler: metrics through a
 * transform, the |x| before/after heatmaps (X, and W for SmoothQuant), the
 * error heatmap, the trade-off curve, the W×A matmul table and the outlier
 * split. Whole-tensor work runs on worker 0 (transforms need column stats);
 * plain quantization stays row-split in the scheduler. Every job carries its
 * key; multi-step jobs check between steps that their key is still wanted
 * (a stale job stops there) and report progress.
 */
import type { Remote } from 'comlink';
import type { EngineApi } from '../../workers/api.ts';
import type { PrepRequest } from '../../workers/analysisApi.ts';
import { STALE_REQUEST, type StaleTicket } from '../../workers/staleTicket.ts';
import { ALL_FORMAT_IDS, getFormat } from '../core/formats/registry.ts';
import { finishFormats, type FormatPartial } from '../core/analysis/index.ts';
import { splitHeatmap, splitWorkers, warmSplit } from './splitHeatmapJob.ts';
import { quantize } from '../core/quant/quantize.ts';
import { bitsPerElement } from '../core/quant/bitsPerElement.ts';
import { formatGranularity, type QuantOptions } from '../core/quant/options.ts';
import { metricsFromSums } from '../core/stats/metrics.ts';
import { isPrepable } from '../core/pipeline/transformPrep.ts';
import { parseTransform } from '../core/transforms/parse.ts';
import { fileIdentity } from '../state/slices/sourceSlice.ts';
import type { Config } from '../state/config.ts';
import type { AppStore } from '../state/store.ts';
import { JOB, type ErrorHeatmapData, type FormatMetrics, type HeatmapData, type MetricsData, type TensorMeta } from '../state/resultTypes.ts';
import {
  ANALYSIS_JOB, type ElementProbeData, type ElementProbeRequest, type MatmulRow, type MatmulTableData, type OutlierSplitData,
  type TradeoffData, type WeightHeatmapData,
} from '../state/analysisTypes.ts';
import { optionsText, quantBaseOf, tensorText } from '../state/config.ts';
import type { TradeoffPoint } from '../core/analysis/types.ts';
import { quantOptions, tensorKey, type RowSlice } from './plan.ts';
import { FormatCache, formatCacheKey } from './formatCache.ts';
import {
  PAIR_MISSING, configViewport, errorViewKey, heatmapKey, transformSeed, matmulCombos, matmulExtent, matmulKey, needsPair, outlierSplitKey,
  pairKey, probeKey, safeTransform, tradeoffConfigs, tradeoffKey, transformMetricsPart, viewTransform, weightHeatmapKey,
} from './analysisPlan.ts';

export interface LoadedTensor {
  key: string;
  meta: TensorMeta;
  /** the row slices the pool holds (under `${key}@slice`), slice 0 first; worker 0 holds the whole tensor too */
  slices?: readonly RowSlice[];
}

export interface AnalysisContext<L extends LoadedTensor> {
  store: AppStore;
  w(i: number): Remote<EngineApi>;
  loadTensor(c: Config): Promise<L>;
  /** handle of the whole tensor on worker 0 */
  fullHandle(l: L, c: Config): Promise<string>;
  /**
   * The tensor of `c` and its whole handle on worker 0 when both are in already (else undefined): a job
   * can then post to the workers within the config change, before React renders it.
   */
  readyNow?(c: Config): { l: L; xHandle: string } | undefined;
  /** the job for `key` is running or done */
  already(job: string, key: string): boolean;
  /** `key` is still what the UI wants */
  wanted(job: string, key: string): boolean;
  /** the scheduler was stopped (background work ends) */
  stopped?(): boolean;
  /** worker i runs a long request that cannot be dropped (client.ts Pool.longBusy) */
  longBusy?(i: number): boolean;
  /** per-format results (formatCache.ts); the scheduler drops a tensor's entries with the tensor */
  cache?: FormatCache;
  /**
   * One format's metrics partial without a transform, computed the way the metrics job does (row-split over
   * the pool, shared cache): the trade-off job uses it for transform none instead of worker 0 alone.
   */
  /**
   * Resolves when no LoRC curve is being computed and the heatmap viewport has not moved for a moment
   * (viewMotion.ts): the background jobs (precompute, trade-off, matmul, outlier split) wait for it
   * before each step, so the curve, pan or zoom the user is driving gets the cores.
   */
  backgroundIdle?(): Promise<void>;
  /**
   * `background`: a background job asks, and the computation stops between chunks (rejecting) once the
   * config changes (true: the idle precompute) or once `background()` says so (the trade-off: its key
   * moved on), unless a foreground caller waits for the same format meanwhile.
   */
  plainFormat?(l: L, c: Config, opts: QuantOptions, background?: boolean | (() => boolean)): { partial: FormatPartial } | Promise<{ partial: FormatPartial }>;
}

export interface PairWeight {
  key: string;
  handle: string;
  rows: number;
  cols: number;
  name: string;
}

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
/** a worker request that ended because its ticket was marked stale (see `ticket` in createAnalysisJobs) */
const isStale = (e: unknown): boolean => errorText(e) === STALE_REQUEST;

/** the jobs whose worker requests carry a stale ticket (the heavy ones that start once the settings rest) */
const TICKETED_JOBS = [ANALYSIS_JOB.tradeoff, ANALYSIS_JOB.matmul, ANALYSIS_JOB.outlierSplit];

/** heatmap cells: at most 256 × 512, never more than the data in view */
const HEATMAP_ROWS = 256;
const HEATMAP_COLS = 512;
/** tensors up to this size get the other formats' metrics precomputed (~3 s of both workers at 4096²) */
const PRECOMPUTE_MAX_ELEMENTS = 1 << 25;
/** ms the config must rest before the heavy jobs (trade-off, matmul, outlier split) start */
export const HEAVY_IDLE_MS = 800;

/** the options of a view job's result for its caption: the transform is the one the view applies */
const viewOptionsText = (c: Config): string => optionsText({ ...c, transform: viewTransform(c) });

export function createAnalysisJobs<L extends LoadedTensor>(ctx: AnalysisContext<L>) {
  const { store, w, loadTensor, fullHandle, already, wanted } = ctx;

  /**
   * The heavy background jobs' worker requests carry a ticket (job + key, and a sequence number). When a job's
   * wanted key moves on, worker 0 is told that the old key's requests so far are stale: the one under way
   * stops at its next band and the queued ones end at their start, so a settings change does not leave worker
   * 0 finishing seconds of work for settings nobody looks at (the new heatmaps and metrics wait behind it).
   */
  let ticketSeq = 0;
  const ticket = (job: string, key: string): { ticket: StaleTicket } => ({ ticket: { id: `${job}\n${key}`, seq: ++ticketSeq } });
  store.subscribe((s, prev) => {
    if (ctx.stopped?.()) return;
    for (const job of TICKETED_JOBS) {
      const was = prev.results[job]?.wantedKey;
      if (was == null || was === s.results[job]?.wantedKey) continue;
      const before = ticketSeq + 1;
      // after this store update (not inside it); a worker that is gone or a stand-in without the call is fine
      void Promise.resolve().then(() => w(0).staleBefore(`${job}\n${was}`, before)).catch(() => {});
    }
  });

  const cache = ctx.cache ?? new FormatCache(64);
  /** the pair weight being loaded for `key`; `ready` once it is on worker 0 (prepRequestNow uses it) */
  let pair: { key: string; promise: Promise<PairWeight>; ready?: PairWeight } | null = null;
  /**
   * Heatmap key → resolves once that heatmap's request is on worker 0's queue (or failed). The transform
   * metrics wait for it, so after a transform change the worker pools the heatmaps (what the eye follows)
   * before it quantizes four formats; the worker serves requests in order.
   */
  const heatmapPosted = new Map<string, Promise<void>>();
  let heavyTimer: ReturnType<typeof setTimeout> | null = null;
  /** preps (X handle | W handle | transform | seed) whose X' was made row-split and now sits on worker 0 */
  const splitPreps = new Set<string>();
  /** job → its one worker request in flight (viewport-driven jobs keep at most one queued on worker 0) */
  const inflight = new Map<string, Promise<unknown>>();

  /**
   * Posts `post()` once no earlier request of `job` is in flight, and only if `key` is still wanted then:
   * a burst of pans/zooms asks the worker for the first and the latest viewport, not for every step.
   * Returns undefined when a newer key took over while waiting.
   */
  async function latestOnly<T>(job: string, key: string, post: () => Promise<T>, onPosted?: () => void): Promise<T | undefined> {
    for (let busy = inflight.get(job); busy; busy = inflight.get(job)) {
      await busy.catch(() => {});
      if (!wanted(job, key)) return undefined;
    }
    const p = post();
    onPosted?.();
    inflight.set(job, p);
    try {
      return await p;
    } finally {
      if (inflight.get(job) === p) inflight.delete(job);
    }
  }

  /** The weight W of the pair, whole on worker 0; null when a file view has no weight picked. */
  function loadPair(c: Config): Promise<PairWeight> | null {
    const key = pairKey(c);
    if (key === null) return null;
    if (pair?.key === key) return pair.promise;
    const old = pair;
    const handle = `${key}@pairW`;
    const promise = (async (): Promise<PairWeight> => {
      if (c.file !== null) {
        const files = store.getState().files;
        if (!files || fileIdentity(files) !== c.file) throw new Error(`open "${c.file.replace(/:[0-9]+$/, '')}" to see it`);
        const info = await w(0).loadFileTensor(handle, c.file, files, c.weightTensor!);
        return { key, handle, rows: info.rows, cols: info.cols, name: c.weightTensor! };
      }
      const info = await w(0).loadSample(handle, { kind: 'weight', size: c.size, seed: c.sampleSeed }, 0, c.size);
      return { key, handle, rows: info.rows, cols: info.cols, name: 'Linear weight sample (same size and seed)' };
    })();
    const entry: { key: string; promise: Promise<PairWeight>; ready?: PairWeight } = { key, promise };
    pair = entry;
    promise.then((p) => { entry.ready = p; }, () => {
      if (pair !== null && pair.promise === promise) pair = null;
    });
    // the old weight is dropped; a stale job still using it fails, and stale failures are ignored
    if (old) void old.promise.then((p) => w(0).drop(p.handle)).catch(() => {});
    return promise;
  }

  /** prepRequest without an await: when the tensor and its whole handle are in, and the weight too if needed. */
  function prepRequestNow(c: Config, transform: string): { l: L; req: PrepRequest & { pair: PairWeight | null } } | undefined {
    let p: PairWeight | null = null;
    if (needsPair(transform)) {
      const key = pairKey(c);
      if (key === null || pair?.key !== key || !pair.ready) return undefined;
      p = pair.ready;
    }
    const now = ctx.readyNow?.(c);
    return now && { l: now.l, req: { xHandle: now.xHandle, wHandle: p?.handle, transform, seed: transformSeed(transform, c.seed), pair: p } };
  }

  /** The pair weight, or the error that says what to pick. */
  async function requirePair(c: Config): Promise<PairWeight> {
    const p = loadPair(c);
    if (!p) throw new Error(PAIR_MISSING);
    return p;
  }

  /** X (and W when the transform needs one, or `withWeight`) on worker 0 for `transform`. */
  async function prepRequest(c: Config, l: L, transform: string, withWeight = false): Promise<PrepRequest & { pair: PairWeight | null }> {
    const xHandle = await fullHandle(l, c);
    const p = needsPair(transform) || withWeight ? await requirePair(c) : null;
    return { xHandle, wHandle: p?.handle, transform, seed: transformSeed(transform, c.seed), pair: p };
  }

  /** Metrics of every compared format through the transform (the scheduler's metrics job when transform ≠ none). */
  async function runTransformMetrics(c: Config, key: string): Promise<void> {
    try {
      const l = await loadTensor(c);
      const t = safeTransform(c.transform) ?? parseTransform(c.transform); // the second throws why it is not valid
      const req = await prepRequest(c, l, c.transform);
      await heatmapPosted.get(heatmapKey(c));
      const rows: FormatMetrics[] = [];
      const partials: FormatPartial[] = [];
      const failures: MetricsData['failures'] = [];
      for (const [i, format] of c.formats.entries()) {
        if (!wanted(JOB.metrics, key)) return;
        const t0 = performance.now();
        const opts = quantOptions(c, format);
        const ck = formatCacheKey(l.key, 'metrics', opts, `${c.transform}|${transformMetricsPart(c)}`);
        const hit = cache.get<{ partial: FormatPartial; row: FormatMetrics }>(ck);
        if (hit) {
          partials.push(hit.partial);
          rows.push(hit.row);
          continue;
        }
        try {
          const part = isPrepable(t)
            ? await w(0).transformQuant({ ...req, opts })
            : await w(0).pipelineFormat({ ...req, opts });
          const row: FormatMetrics = {
            format, metrics: metricsFromSums(part.sums), saturated: part.saturated, blocksSaturated: part.blocksSaturated,
            blocks: part.blocks, ms: performance.now() - t0, split: false,
          };
          cache.set(ck, { partial: part, row });
          partials.push(part);
          rows.push(row);
        } catch (e) {
          failures.push({ format, message: errorText(e) });
        }
        store.getState().jobProgress(JOB.metrics, key, (i + 1) / c.formats.length);
      }
      // a transform that fails for every format (e.g. a Hadamard G that does not divide the channels) is the job's error
      if (partials.length === 0 && failures.length > 0 && failures.every((f) => f.message === failures[0].message)) {
        throw new Error(failures[0].message);
      }
      const { rows: nr, cols: nc } = l.meta;
      const done = finishFormats(partials, nr, nc, { quant: quantOptions(c, c.formats[0]) }, {
        quantize,
        bitsPerElement: (f, g, cols, rws) => bitsPerElement(f, g, cols, rws, c.scale),
      });
      const data: MetricsData = {
        rows, failures, options: optionsText(c), tensor: tensorText(l.meta),
        analysis: { rows: nr, cols: nc, ...done, valueHistogram: l.meta.valueHistogram, absMax: l.meta.summary.absmax },
      };
      store.getState().jobDone(JOB.metrics, key, data);
    } catch (e) {
      store.getState().jobFailed(JOB.metrics, key, errorText(e));
    }
  }

  /** |x| before and X' after the transform (pair transforms without a weight: before only). */
  async function runHeatmap(c: Config) {
    const key = heatmapKey(c);
    if (already(JOB.heatmap, key)) return;
    store.getState().jobStarted(JOB.heatmap, key);
    let posted!: () => void;
    heatmapPosted.set(key, new Promise<void>((resolve) => { posted = resolve; }));
    if (heatmapPosted.size > 8) heatmapPosted.delete(heatmapPosted.keys().next().value!);
    try {
      let transform = viewTransform(c);
      if (needsPair(transform) && pairKey(c) === null) transform = 'none';
      // no await when all is in: the workers get the request before React renders the change (~15-20 ms)
      const fast = prepRequestNow(c, transform);
      const l = fast?.l ?? await loadTensor(c);
      const req = fast?.req ?? await prepRequest(c, l, transform);
      const vp = configViewport(c, l.meta.rows, l.meta.cols);
      const prepId = `${req.xHandle}|${req.wHandle ?? ''}|${req.transform}|${req.seed}`;
      // once X' is on worker 0 (a pan or zoom after the transform change), it pools there alone
      const split = splitPreps.has(prepId) ? null : splitWorkers(l, transform, ctx.longBusy);
      if (split) {
        splitPreps.add(prepId);
        if (splitPreps.size > 8) splitPreps.delete(splitPreps.values().next().value!);
      }
      const data = await latestOnly(JOB.heatmap, key,
        () => split
          ? splitHeatmap(w, l, { xHandle: req.xHandle, wHandle: req.wHandle, transform: req.transform, seed: req.seed }, split,
            { viewport: vp, outRows: HEATMAP_ROWS, outCols: HEATMAP_COLS }, posted)
          : w(0).transformHeatmap({ ...req, side: 'x', viewport: vp, outRows: HEATMAP_ROWS, outCols: HEATMAP_COLS }),
        // the split posts its request to worker 0 after a round trip for smooth's scales: it calls posted itself then
        split ? undefined : posted);
      if (data) store.getState().jobDone(JOB.heatmap, key, { ...data, tensor: tensorText(l.meta) } satisfies HeatmapData);
    } catch (e) {
      store.getState().jobFailed(JOB.heatmap, key, errorText(e));
    } finally {
      posted();
    }
  }

  /** W before/after SmoothQuant: where the activation's difficulty went. */
  async function runWeightHeatmap(c: Config) {
    const t = safeTransform(c.transform);
    if (t?.kind !== 'smooth' || pairKey(c) === null) return;
    const key = weightHeatmapKey(c);
    if (already(ANALYSIS_JOB.weightHeatmap, key)) return;
    store.getState().jobStarted(ANALYSIS_JOB.weightHeatmap, key);
    try {
      const l = await loadTensor(c);
      const req = await prepRequest(c, l, c.transform);
      const p = req.pair!;
      const vp = configViewport({ ...c, r0: null, r1: null }, p.rows, p.cols);
      // X's heatmaps first (the view's main figure): worker 0 gets this request once theirs is posted
      await heatmapPosted.get(heatmapKey(c));
      const heatmap = await w(0).transformHeatmap({ ...req, side: 'w', viewport: vp, outRows: HEATMAP_ROWS, outCols: HEATMAP_COLS });
      const data: WeightHeatmapData = { heatmap, shape: [p.rows, p.cols], name: p.name };
      store.getState().jobDone(ANALYSIS_JOB.weightHeatmap, key, data);
    } catch (e) {
      store.getState().jobFailed(ANALYSIS_JOB.weightHeatmap, key, errorText(e));
    }
  }

  async function runErrorHeatmap(c: Config) {
    const key = errorViewKey(c);
    if (already(JOB.errorHeatmap, key)) return;
    store.getState().jobStarted(JOB.errorHeatmap, key);
    try {
      const l = await loadTensor(c);
      const req = await prepRequest(c, l, viewTransform(c));
      const vp = configViewport(c, l.meta.rows, l.meta.cols);
      await heatmapPosted.get(heatmapKey(c)); // behind the |x| heatmaps' request on worker 0
      if (!wanted(JOB.errorHeatmap, key)) return;
      const data = await latestOnly(JOB.errorHeatmap, key, () => w(0).transformErrorHeatmap({
        ...req, opts: quantOptions(c, c.format), viewport: vp, outRows: HEATMAP_ROWS, outCols: HEATMAP_COLS,
        mode: c.errorMode === 'rel' ? 'cellRel' : 'abs',
      }));
      if (data) {
        const spec = getFormat(c.format);
        const result: ErrorHeatmapData = {
          ...data, tensor: tensorText(l.meta), options: viewOptionsText(c),
          formatLabel: `${spec.label}${spec.kind === 'scalar' ? ` (${c.granularity})` : ''}`,
        };
        store.getState().jobDone(JOB.errorHeatmap, key, result);
      }
    } catch (e) {
      store.getState().jobFailed(JOB.errorHeatmap, key, errorText(e));
    }
  }

  /**
   * x̂ of the element the heatmap readout asks about (hover / keyboard focus), under every compared format,
   * through the heatmap's transform: one small request to worker 0 (the panel debounces).
   */
  async function runProbe(c: Config, p: ElementProbeRequest | null) {
    const job = ANALYSIS_JOB.probe;
    if (!p) return;
    const key = probeKey(c, p);
    if (already(job, key)) return;
    store.getState().jobStarted(job, key);
    try {
      const l = await loadTensor(c);
      // the weight heatmaps show W through the config's transform (runWeightHeatmap); the main ones the view's
      let transform = p.tensor === 'w' ? c.transform : viewTransform(c);
      if (needsPair(transform) && pairKey(c) === null) {
        if (p.tensor === 'w') throw new Error('pick the weight of the pair first');
        transform = 'none';
      }
      const req = await prepRequest(c, l, transform, p.tensor === 'w');
      const [rows, cols] = p.tensor === 'w' ? [req.pair!.rows, req.pair!.cols] : [l.meta.rows, l.meta.cols];
      if (p.row >= rows || p.col >= cols) throw new Error(`element [${p.row}, ${p.col}] is outside the tensor`);
      if (!wanted(job, key)) return;
      const r = await w(0).probeElement({
        ...req, row: p.row, col: p.col, formats: c.formats, quant: quantBaseOf(c), ...(p.tensor === 'w' ? { side: 'w' as const } : {}),
      });
      const data: ElementProbeData = { ...r, side: p.side, transform, ...(p.tensor ? { tensor: p.tensor } : {}) };
      store.getState().jobDone(job, key, data);
    } catch (e) {
      store.getState().jobFailed(job, key, errorText(e));
    }
  }

  async function runTradeoff(c: Config) {
    const key = tradeoffKey(c);
    const job = ANALYSIS_JOB.tradeoff;
    if (already(job, key)) return;
    store.getState().jobStarted(job, key);
    try {
      const l = await loadTensor(c);
      const transform = viewTransform(c);
      const req = await prepRequest(c, l, transform);
      const configs = tradeoffConfigs(c.formats, l.meta.cols);
      const points: TradeoffPoint[] = [];
      const errors: string[] = [];
      for (const [i, cfg] of configs.entries()) {
        await ctx.backgroundIdle?.();
        if (!wanted(job, key)) return;
        const opts = { ...quantOptions(c, cfg.format), granularity: cfg.granularity };
        const ck = formatCacheKey(l.key, 'tradeoff', opts, `${transform}|${transformMetricsPart(c)}|${cfg.group}`);
        const hit = cache.get<TradeoffPoint | { error: string }>(ck);
        if (hit !== undefined) {
          if ('error' in hit) errors.push(hit.error);
          else points.push(hit);
          continue;
        }
        try {
          const part = transform === 'none' && ctx.plainFormat
            // stopped between chunks once this key is not wanted (a seed change found each worker with
            // two trade-off chunks queued, 40-80 ms before the new metrics could start)
            ? (await ctx.plainFormat(l, c, opts, () => !wanted(job, key))).partial
            : await w(0).transformQuant({ ...req, opts, ...ticket(job, key) });
          const m = metricsFromSums(part.sums);
          const point: TradeoffPoint = {
            format: cfg.format, label: getFormat(cfg.format).label, granularity: cfg.group,
            bitsPerElement: bitsPerElement(cfg.format, cfg.granularity, l.meta.cols, l.meta.rows, c.scale),
            sqnrDb: m.sqnrDb, mse: m.mse, saturated: part.saturated,
          };
          cache.set(ck, point);
          points.push(point);
        } catch (e) {
          // a stale request: this run is over (a newer one, maybe for the same key again, does the work)
          if (isStale(e)) return;
          // stopped because the key moved on: this run is over
          if (!wanted(job, key)) return;
          // e.g. pow2-row with tensor granularity: that point does not exist
          const error = errorText(e);
          cache.set(ck, { error });
          errors.push(error);
        }
        store.getState().jobProgress(job, key, (i + 1) / configs.length);
      }
      // no point at all (e.g. a Hadamard G that does not divide the channels): the job's error, not an empty chart
      if (points.length === 0 && errors.length > 0) throw new Error(errors[0]);
      const data: TradeoffData = { points, transform, tensor: tensorText(l.meta), scale: c.scale };
      store.getState().jobDone(job, key, data);
    } catch (e) {
      if (!isStale(e)) store.getState().jobFailed(job, key, errorText(e));
    }
  }

  async function runMatmul(c: Config) {
    const key = matmulKey(c);
    const job = ANALYSIS_JOB.matmul;
    if (already(job, key)) return;
    store.getState().jobStarted(job, key);
    try {
      const l = await loadTensor(c);
      const p = await requirePair(c);
      const transform = viewTransform(c);
      const transforms = transform === 'none' ? ['none'] : ['none', transform];
      const combos = matmulCombos(c);
      const ext = matmulExtent(l.meta.rows, p.rows, l.meta.cols);
      const rows: MatmulRow[] = [];
      const total = combos.length * transforms.length;
      let done = 0;
      for (const tr of transforms) {
        const req = await prepRequest(c, l, tr, true);
        for (const combo of combos) {
          await ctx.backgroundIdle?.();
          if (!wanted(job, key)) return;
          const quant = quantOptions(c, combo.xFormat);
          const r = await w(0).matmulCombo({
            ...req, wHandle: p.handle, xFormat: combo.xFormat, wFormat: combo.wFormat, quant, ...ext, ...ticket(job, key),
          });
          rows.push({
            tag: combo.tag, wFormat: combo.wFormat, xFormat: combo.xFormat, transform: tr, matmul: r.matmul, x: r.x, w: r.w,
            wBits: bitsPerElement(combo.wFormat, quant.granularity, p.cols, p.rows, c.scale),
            xBits: bitsPerElement(combo.xFormat, quant.granularity, l.meta.cols, l.meta.rows, c.scale),
          });
          store.getState().jobProgress(job, key, ++done / total);
        }
      }
      const data: MatmulTableData = { rows, ...ext, channels: l.meta.cols, weightName: p.name, tensor: tensorText(l.meta), granularity: c.granularity };
      store.getState().jobDone(job, key, data);
    } catch (e) {
      if (!isStale(e)) store.getState().jobFailed(job, key, errorText(e));
    }
  }

  async function runOutlierSplit(c: Config) {
    if (c.outliers === null) return;
    const key = outlierSplitKey(c);
    const job = ANALYSIS_JOB.outlierSplit;
    if (already(job, key)) return;
    store.getState().jobStarted(job, key);
    try {
      const l = await loadTensor(c);
      const req = await prepRequest(c, l, viewTransform(c));
      const rows: OutlierSplitData['rows'] = [];
      for (const [i, format] of c.formats.entries()) {
        await ctx.backgroundIdle?.();
        if (!wanted(job, key)) return;
        const opts = quantOptions(c, format);
        const ck = formatCacheKey(l.key, 'outlierSplit', opts, `${viewTransform(c)}|${transformMetricsPart(c)}|${c.outliers}`);
        const hit = cache.get<OutlierSplitData['rows'][number]>(ck);
        if (hit) {
          rows.push(hit);
          continue;
        }
        const without = await w(0).transformQuant({ ...req, opts, ...ticket(job, key) });
        const withQ = await w(0).transformQuant({ ...req, opts, outliers: c.outliers, ...ticket(job, key) });
        const bits = bitsPerElement(format, opts.granularity, l.meta.cols, l.meta.rows, c.scale);
        const row: OutlierSplitData['rows'][number] = {
          format, label: getFormat(format).label, without: metricsFromSums(without.sums), with: metricsFromSums(withQ.sums),
          bitsWithout: bits, bitsWith: bits + (withQ.addedBits ?? 0), keptFraction: withQ.outlierFraction ?? 0,
        };
        cache.set(ck, row);
        rows.push(row);
        store.getState().jobProgress(job, key, (i + 1) / c.formats.length);
      }
      const data: OutlierSplitData = {
        quantile: c.outliers, rows, tensor: tensorText(l.meta), options: viewOptionsText(c),
      };
      store.getState().jobDone(job, key, data);
    } catch (e) {
      if (!isStale(e)) store.getState().jobFailed(job, key, errorText(e));
    }
  }

  /** Starts the light analysis jobs the config wants (each returns at once when already running or done). */
  function schedule(c: Config) {
    void runHeatmap(c);
    void runWeightHeatmap(c);
    void runErrorHeatmap(c);
    void runProbe(c, store.getState().probe);
  }

  /**
   * Starts the heavy jobs (trade-off: every format at 4 granularities; matmul; outlier split). The scheduler
   * calls this once the metrics job of `c` is in, so they never queue ahead of the metrics on the workers.
   */
  /**
   * While the config rests: the metrics of every registry format not compared yet, under the current
   * options, into the metrics job's cache (scheduler formatResult), so adding one to the comparison
   * shows at once instead of after a quantization pass over the tensor (~0.2 s per format at 4096²
   * on two workers). Plain view only (a transform's metrics run whole on worker 0), round-to-nearest
   * only (the stochastic kernels are several times slower); one format at a time, stopping between
   * chunks as soon as the config changes, so a user's request waits for at most one chunk per worker.
   */
  async function precomputeFormats(c: Config): Promise<void> {
    if (!ctx.plainFormat || c.transform !== 'none' || c.rounding !== 'rne') return;
    let l: L;
    try {
      l = await loadTensor(c);
    } catch {
      return;
    }
    // bigger tensors would keep both cores busy for tens of seconds after every settings change
    if (l.meta.rows * l.meta.cols > PRECOMPUTE_MAX_ELEMENTS) return;
    for (const f of ALL_FORMAT_IDS) {
      await ctx.backgroundIdle?.();
      if (store.getState().config !== c || ctx.stopped?.()) return;
      if (c.formats.includes(f)) continue;
      try {
        await ctx.plainFormat(l, c, quantOptions(c, f), true);
      } catch {
        // options that do not apply to this format (e.g. pow2-row with tensor granularity), or stopped
        // because the config changed: nothing to keep
      }
    }
  }

  /** tensors whose X' buffers were warmed (warmTransformBuffers) */
  const warmedTensors = new Set<string>();

  /** Pre-touched X' buffers for the next transform changes of `c`'s tensor (splitHeatmapJob warmSplit); failures are of no consequence. */
  async function warmTransformBuffers(c: Config): Promise<void> {
    try {
      const l = await loadTensor(c);
      await warmSplit(w, l, await fullHandle(l, c));
    } catch {
      // a worker gone or a tensor that failed to load: the changes then allocate as before
    }
  }

  /** The heavy panels' keys for `c` are wanted: they show their last result dimmed until their jobs run. */
  function queueHeavy(c: Config) {
    const s = store.getState();
    s.jobQueued(ANALYSIS_JOB.tradeoff, tradeoffKey(c));
    s.jobQueued(ANALYSIS_JOB.matmul, matmulKey(c));
    if (c.outliers !== null) s.jobQueued(ANALYSIS_JOB.outlierSplit, outlierSplitKey(c));
  }

  function scheduleHeavy(c: Config) {
    // one heavy request on 4096² holds worker 0 for seconds (a matmul combination quantizes X and W), and a
    // request in flight cannot be dropped: start them once the config has rested HEAVY_IDLE_MS, so a run of
    // quick changes (transform, α, G) keeps worker 0 for the heatmaps and metrics the user is looking at
    // (counted from when the config's heatmaps are in: at 4096² they come after the metrics)
    if (heavyTimer !== null) clearTimeout(heavyTimer);
    queueHeavy(c);
    // once per tensor, after its first metrics are on screen (worker 0 touches them in steps between requests)
    const tk = tensorKey(c);
    if (!warmedTensors.has(tk)) {
      warmedTensors.add(tk);
      void warmTransformBuffers(c);
    }
    // the metrics too: through a transform they run whole on worker 0, where the heavy requests would queue
    // and then hold the next change's heatmaps back
    const lightBusy = () => [JOB.metrics, JOB.heatmap, JOB.errorHeatmap, ANALYSIS_JOB.weightHeatmap, ANALYSIS_JOB.probe]
      .some((j) => store.getState().results[j]?.status === 'running');
    let quietSince = lightBusy() ? null : performance.now();
    const tick = () => {
      heavyTimer = null;
      if (store.getState().config !== c) return;
      const now = performance.now();
      if (lightBusy()) quietSince = null;
      else quietSince ??= now;
      if (quietSince === null || now - quietSince < HEAVY_IDLE_MS) {
        heavyTimer = setTimeout(tick, quietSince === null ? 100 : HEAVY_IDLE_MS - (now - quietSince));
        return;
      }
      void precomputeFormats(c).then(() => {
        if (store.getState().config !== c) return;
        void runTradeoff(c);
        void runMatmul(c);
        void runOutlierSplit(c);
      });
    };
    heavyTimer = setTimeout(tick, quietSince === null ? 100 : HEAVY_IDLE_MS);
  }

  /** The readout asked about another element (AnalysisSlice.probe). */
  function probe(c: Config, p: ElementProbeRequest | null) {
    void runProbe(c, p);
  }

  return { schedule, scheduleHeavy, queueHeavy, runTransformMetrics, loadPair, probe, formatGranularity };
}
