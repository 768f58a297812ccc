/**
 * The analysis half of the engine worker API (issue 5): transforms, before/
 * after heatmaps, error heatmaps, the W×A matmul table and AWQ/SVDQuant
 * through runPipeline. Whole-tensor work: the tensors must be held whole on
 * this worker (transforms need column statistics). Pure glue over src/core:
 * prepareTransform/quantizePrepared are runPipeline's own steps, so the app
 * shows the CLI's numbers for the same options.
 */
import { transfer } from 'comlink';
import type { Tensor2D } from '../src/core/tensor.ts';
import { STALE_REQUEST, type StaleTicket } from './staleTicket.ts';
import type { FormatId } from '../src/core/formats/registry.ts';
import { getFormat } from '../src/core/formats/registry.ts';
import type { QuantOptions } from '../src/core/quant/options.ts';
import { parseTransform } from '../src/core/transforms/parse.ts';
import { quantizePrepared, toOriginal, wPrimeInBands, type PreparedQuant, type TransformPrep } from '../src/core/pipeline/transformPrep.ts';
import { quantize } from '../src/core/quant/quantize.ts';
import { bandRows, splitsAtRow } from '../src/core/model/bandedMeasure.ts';
import { heatmapSidePart, type HeatmapSidePart } from '../src/core/analysis/splitHeatmap.ts';
import { PrepStore, RequestClock } from './prepStore.ts';
import { gridBuffers, sideToSend, transferCompare, transferErrorHeatmap } from './gridTransfer.ts';
import { runPipeline } from '../src/core/pipeline/runPipeline.ts';
import {
  combineSides, errorHeatmap, heatmapSide,
  type ChannelProfile, type ErrorHeatmapResult, type ErrorMode, type FormatPartial, type HeatmapCompareResult, type HeatmapSide, type Viewport,
} from '../src/core/analysis/index.ts';
import { emptySums, computeMetrics, metricsFromSums, type Metrics } from '../src/core/stats/metrics.ts';
import { accumulateErrorPass, emptyErrorBuckets } from '../src/core/stats/histogram.ts';
import { matmulXWt } from '../src/core/linalg/matmul.ts';
import { like } from '../src/core/transforms/types.ts';
import { finiteAmax } from '../src/core/formats/blockCommon.ts';
import { probeElement, WholeQuantCache, type ElementProbe } from '../src/core/pipeline/elementProbe.ts';

/** Which tensors and which transform: X (and W) held whole under these handles. */
export interface PrepRequest {
  xHandle: string;
  /** the weight of the pair (needed by smooth/awq/svdquant, the W heatmaps and the matmul table) */
  wHandle?: string;
  /** transform text as in the URL/CLI: none | smooth[:α] | hadamard:G | random-hadamard:G */
  transform: string;
  /** the transform's seed (engine/analysisPlan transformSeed): the rounding seed for random-hadamard's signs, as the CLI draws them; 0 for the other transforms */
  seed: number;
  /** a background job's request: dropped between bands once the main thread marks it stale (staleBefore) */
  ticket?: StaleTicket;
}

/** Quantization of X' (or W') mapped back to the original space, measured against X (W). */
export interface TransformQuantResult extends FormatPartial {
  format: FormatId;
  /** blocks (block formats) with a saturated element, and all blocks */
  blocksSaturated: number;
  blocks: number;
  /** outliers=Q: kept fraction and bits per element the bf16 side tensor adds */
  outlierFraction?: number;
  addedBits?: number;
  ms: number;
}

export interface MatmulComboResult {
  xFormat: FormatId;
  wFormat: FormatId;
  transform: string;
  /** Y = X[:tokens]·W[:outFeatures]ᵀ versus X̂[:tokens]·Ŵ[:outFeatures]ᵀ */
  matmul: Metrics;
  x: Metrics;
  w: Metrics;
  tokens: number;
  outFeatures: number;
  ms: number;
}

export interface PipelineFormatResult extends TransformQuantResult {
  /** which side the partial measures: 'w' for AWQ (weight-only), else 'x' */
  side: 'x' | 'w';
  matmul?: Metrics;
  /** AWQ: the α used */
  alpha?: number;
}

export interface AnalysisApi {
  /** Quantize X' (side 'x', default) or W' with opts.format and measure in the original space. */
  transformQuant(req: PrepRequest & { opts: QuantOptions; outliers?: number; side?: 'x' | 'w' }): Promise<TransformQuantResult>;
  /**
   * Requests with ticket id `id` and seq below `seq` are stale: one under way stops at its next band, one
   * still queued ends at its start, each with STALE_REQUEST.
   */
  staleBefore(id: string, seq: number): Promise<void>;
  /**
   * The view is moving (a pan or zoom): requests with a ticket (the heavy background jobs) rest between
   * their bands for the next `ms`, so the pan's grids and the page's frames get the cores.
   */
  holdBackground(ms: number): Promise<void>;
  /**
   * Pre-touched buffers for the X' of the next `count` row-split transform changes of the tensor held
   * whole under `xHandle` (PrepStore.warm; the main thread asks only for tensors up to 64 MiB).
   */
  warmTransforms(xHandle: string, count: number): Promise<void>;
  /** |x| of X (or W) before and X' (W') after the transform, one viewport and one colour domain. */
  transformHeatmap(req: PrepRequest & { side: 'x' | 'w'; viewport: Viewport; outRows: number; outCols: number }): Promise<HeatmapCompareResult>;
  /** Pooled error of X̂ (through the transform) against X over the viewport. */
  transformErrorHeatmap(req: PrepRequest & { opts: QuantOptions; viewport: Viewport; outRows: number; outCols: number; mode: ErrorMode }): Promise<ErrorHeatmapResult>;
  /** One W-format × A-format combination on the first `tokens` rows of X and `outFeatures` rows of W. */
  matmulCombo(req: PrepRequest & { wHandle: string; xFormat: FormatId; wFormat: FormatId; quant: Omit<QuantOptions, 'format'>; tokens: number; outFeatures: number }): Promise<MatmulComboResult>;
  /**
   * x and x̂ of one element X[row, col] under each format through the transform (the heatmap hover readout):
   * a few numbers back; only the element's band of rows is quantized when the options allow (elementProbe.ts).
   */
  probeElement(req: PrepRequest & { row: number; col: number; formats: FormatId[]; quant: Omit<QuantOptions, 'format'>; side?: 'x' | 'w' }): Promise<ElementProbe>;
  /**
   * The row-split |X'| heatmap (smooth, Hadamard), this worker's share: X' rows [0, rowEnd) made into
   * the prep's buffer and pooled; the other workers' rows arrive through adoptPrimeRows (or
   * abandonPrime). `scales`: SmoothQuant's s for smooth (smoothScalesFrom of smoothColumns(req), made by the caller). Returns the cached "before" side and the part.
   */
  transformHeatmapSplit(req: PrepRequest & { viewport: Viewport; outRows: number; outCols: number; rowEnd: number; scales?: Float32Array }): Promise<{ before: HeatmapSide; part: HeatmapSidePart }>;
  /**
   * Rows of X' another worker made (transformSlicePart), for the pending split prep of `req`;
   * returns `rows` once copied (transferred back), for that worker's next part to write into.
   */
  adoptPrimeRows(req: PrepRequest, rows: Float32Array, rowStart: number): Promise<Float32Array>;
  /** The split prep of `req` will not get all its rows: drop it (later requests prepare it whole). */
  abandonPrime(req: PrepRequest): Promise<void>;
  /**
   * The column absmax of X and W of smooth:α with a pair (kept per tensor; copies): the main thread
   * keeps them and makes SmoothQuant's s for each α itself (smoothScalesFrom, the same bits).
   */
  smoothColumns(req: PrepRequest): Promise<{ x: Float32Array; w: Float32Array }>;
  /** AWQ / SVDQuant (and anything else) through runPipeline, one format. */
  pipelineFormat(req: PrepRequest & { opts: QuantOptions; weightFormat?: FormatId; outliers?: number }): Promise<PipelineFormatResult>;
}

/** Looks up a tensor held whole on this worker (engineApi's store). */
export type WholeLookup = (handle: string) => Tensor2D;

/** elements of one band of the banded quantizations (inBands) */
const BAND_ELEMENTS = 1 << 21;

/** Lets the worker run the messages that arrived meanwhile (comlink handles each as it comes), then goes on. */
function yieldToQueue(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

export function createAnalysisApi(whole: WholeLookup): AnalysisApi {
  const clock = new RequestClock();
  const preps = new PrepStore(whole, clock);
  /** ticket id → requests with a lower seq are stale */
  const staleSeq = new Map<string, number>();
  function throwIfStale(t: StaleTicket | undefined): void {
    if (t && (staleSeq.get(t.id) ?? -Infinity) > t.seq) throw new Error(STALE_REQUEST);
  }
  /** performance.now() until which ticketed requests rest between bands (holdBackground) */
  let heldUntil = 0;
  /**
   * Between two bands of a request: the messages that came meanwhile run, then a stale ticket ends it,
   * and a ticketed (background) one rests while the view moves. On a 2-core machine a heavy band beside
   * the pan's pooling left the page's main thread a share of one core (~20 more frames over 32 ms per pan).
   */
  async function betweenBands(t: StaleTicket | undefined): Promise<void> {
    await yieldToQueue();
    throwIfStale(t);
    while (t && heldUntil > performance.now()) {
      await new Promise((resolve) => setTimeout(resolve, heldUntil - performance.now()));
      throwIfStale(t);
    }
  }
  const refs = new Map<string, Float32Array>();
  /** finite max |X'| per prepared X' (tensor granularity / NVFP4 for the element probe) */
  const amaxPrime = new WeakMap<Float32Array, number>();
  const wholeQuant = new WholeQuantCache();
  /** channel profiles of held tensors (X, X', W, W'): they do not depend on the viewport */
  const profiles = new WeakMap<Float32Array, ChannelProfile>();
  /** the last pooled "before" sides (X and W): a transform change keeps the viewport and reuses them */
  const befores: { data: Float32Array; key: string; side: HeatmapSide }[] = [];

  /** the error heatmap's last reconstruction, for the viewport changes that follow */
  let lastErrorQuant: { prep: TransformPrep; key: string; r: Promise<PreparedQuant> } | null = null;

  function sideOf(t: Tensor2D, viewport: Viewport, outRows: number, outCols: number): HeatmapSide {
    const side = heatmapSide(t, viewport, outRows, outCols, undefined, profiles.get(t.data));
    profiles.set(t.data, side.profile);
    return side;
  }

  const prepFor = (req: PrepRequest): Promise<TransformPrep> => preps.get(req);

  /** The "before" side of a heatmap over `viewport` (the last two kept: a transform change keeps the viewport). */
  function beforeSide(before: Tensor2D, viewport: Viewport, outRows: number, outCols: number): HeatmapSide {
    const key = JSON.stringify([viewport, outRows, outCols]);
    let b = befores.find((e) => e.data === before.data && e.key === key)?.side;
    if (!b) {
      b = sideOf(before, viewport, outRows, outCols);
      befores.push({ data: before.data, key, side: b });
      if (befores.length > 2) befores.shift();
    }
    return b;
  }

  /** finite max |·| of a prepared X' or W', kept per array */
  function amaxOf(data: Float32Array): number {
    let amax = amaxPrime.get(data);
    if (amax === undefined) {
      amax = finiteAmax(data);
      amaxPrime.set(data, amax);
    }
    return amax;
  }

  /**
   * Quantizes X' (or W') in bands of about BAND_ELEMENTS (core bandRows: whole rows, whole
   * block:RxC bands) and maps each back, calling `band` with its rows [r0, r1), the quantizer's
   * result and x̂ of those rows, and yielding between bands, when the options allow row slices
   * (draws by global index, the tensor amax of X' passed in). False, without calling `band`, when they do not
   * or X' is one band. A trade-off or matmul job's quantizations, or an error heatmap's, then hold up
   * the next request (a transform change's heatmaps) for one band, not a whole tensor.
   */
  async function inBands(
    prep: TransformPrep, side: 'x' | 'w', opts: QuantOptions,
    band: (r0: number, r1: number, q: ReturnType<typeof quantize>, xhatRows: Float32Array) => void,
    ticket?: StaleTicket,
  ): Promise<boolean> {
    // W' not made yet (~100 ms at 4096²): made in bands too, other requests taken in between
    if (side === 'w' && prep.w) {
      for (const _ of wPrimeInBands(prep, BAND_ELEMENTS / Math.max(1, prep.w.cols))) {
        await betweenBands(ticket);
      }
    }
    const tp = side === 'x' ? prep.xPrime : prep.wPrime;
    if (!tp) return false;
    const { rows, cols } = tp;
    const step = bandRows(opts, rows, cols, BAND_ELEMENTS);
    if (step === 0 || step >= rows) return false;
    const tensorAmax = amaxOf(tp.data);
    for (let r0 = 0; r0 < rows; r0 += step) {
      const r1 = Math.min(rows, r0 + step);
      const q = quantize(like(tp.data.subarray(r0 * cols, r1 * cols), r1 - r0, cols), opts, undefined, { rowOffset: r0, tensorAmax });
      band(r0, r1, q, toOriginal(prep, side, q.xhat));
      if (r1 < rows) {
        await betweenBands(ticket);
      }
    }
    return true;
  }

  /** transformQuant's reply from inBands (null when the options need the whole tensor). */
  async function quantSumsInBands(
    prep: TransformPrep, side: 'x' | 'w', opts: QuantOptions, t0: number, ticket?: StaleTicket,
  ): Promise<TransformQuantResult | null> {
    const ref = side === 'x' ? prep.x : prep.w;
    if (!ref) return null;
    const cols = ref.cols;
    const sums = emptySums();
    const buckets = emptyErrorBuckets();
    let saturated = 0, blocksSaturated = 0, blocks = 0;
    const done = await inBands(prep, side, opts, (r0, r1, q, xhatRows) => {
      accumulateErrorPass(ref.data.subarray(r0 * cols, r1 * cols), xhatRows, sums, buckets);
      saturated += q.saturated;
      const spb = q.saturatedPerBlock;
      if (spb) {
        blocks += spb.length;
        for (let i = 0; i < spb.length; i++) if (spb[i]) blocksSaturated++;
      }
    }, ticket);
    return done ? { format: opts.format, sums, buckets, saturated, blocksSaturated, blocks, ms: performance.now() - t0 } : null;
  }

  /** quantizePrepared (no outlier split) assembled from inBands: the same x̂ and counts; null when the options need the whole tensor. */
  async function quantizePreparedInBands(prep: TransformPrep, side: 'x' | 'w', opts: QuantOptions): Promise<PreparedQuant | null> {
    const tp = side === 'x' ? prep.xPrime : prep.wPrime;
    if (!tp) return null;
    const cols = tp.cols;
    const xhat = new Float32Array(tp.data.length);
    let saturated = 0;
    let blocksPerRow: number | undefined;
    const spbs: Uint16Array[] = [];
    const done = await inBands(prep, side, opts, (r0, _r1, q, xhatRows) => {
      xhat.set(xhatRows, r0 * cols);
      saturated += q.saturated;
      if (q.saturatedPerBlock) spbs.push(q.saturatedPerBlock);
      blocksPerRow = q.blocksPerRow;
    });
    if (!done) return null;
    let saturatedPerBlock: Uint16Array | undefined;
    if (spbs.length) {
      saturatedPerBlock = new Uint16Array(spbs.reduce((n, a) => n + a.length, 0));
      let o = 0;
      for (const a of spbs) { saturatedPerBlock.set(a, o); o += a.length; }
    }
    return { xhat, q: { saturated, saturatedPerBlock, blocksPerRow } };
  }

  /** x̂ of the first n rows (original space), quantized as a slice of the whole; null when the options need the whole tensor. */
  function leadingRowsQuantized(prep: TransformPrep, side: 'x' | 'w', opts: QuantOptions, n: number): Float32Array | null {
    const tp = side === 'x' ? prep.xPrime : prep.wPrime;
    if (!tp || !splitsAtRow(opts, n)) return null;
    const q = quantize(like(tp.data.subarray(0, n * tp.cols), n, tp.cols), opts, undefined, { rowOffset: 0, tensorAmax: amaxOf(tp.data) });
    return toOriginal(prep, side, q.xhat);
  }

  function partial(format: FormatId, ref: Float32Array, xhat: Float32Array, q: { saturated: number; saturatedPerBlock?: Uint16Array }, t0: number): TransformQuantResult {
    const sums = emptySums();
    const buckets = emptyErrorBuckets();
    accumulateErrorPass(ref, xhat, sums, buckets);
    let blocksSaturated = 0;
    const spb = q.saturatedPerBlock;
    if (spb) for (let i = 0; i < spb.length; i++) if (spb[i]) blocksSaturated++;
    return { format, sums, buckets, saturated: q.saturated, blocksSaturated, blocks: spb?.length ?? 0, ms: performance.now() - t0 };
  }

  const api: AnalysisApi = {
    async transformQuant(req) {
      throwIfStale(req.ticket);
      const t0 = performance.now();
      const prep = await prepFor(req);
      const side = req.side ?? 'x';
      const { format, ...quant } = req.opts;
      if (req.outliers === undefined) {
        const banded = await quantSumsInBands(prep, side, req.opts, t0, req.ticket);
        if (banded) return transfer(banded, [banded.buckets.buffer as ArrayBuffer]);
      }
      const r = quantizePrepared(prep, side, format, quant, req.outliers);
      const reply = partial(format, (side === 'x' ? prep.x : prep.w!).data, r.xhat, r.q, t0);
      if (r.outliers) {
        reply.outlierFraction = r.outliers.keptFraction;
        reply.addedBits = r.outliers.addedBitsPerElement;
      }
      return transfer(reply, [reply.buckets.buffer as ArrayBuffer]);
    },

    async transformHeatmap(req) {
      const prep = await prepFor(req);
      const before = req.side === 'x' ? prep.x : prep.w;
      if (!before) throw new Error('no weight tensor is loaded for the weight heatmaps');
      const after = prep.transform.kind === 'none' ? undefined : req.side === 'x' ? prep.xPrime : prep.wPrime;
      if (after && (after.rows !== before.rows || after.cols !== before.cols)) throw new Error('before/after shapes differ');
      const b = beforeSide(before, req.viewport, req.outRows, req.outCols);
      return transferCompare(combineSides(b, after ? sideOf(after, req.viewport, req.outRows, req.outCols) : undefined));
    },

    async transformHeatmapSplit(req) {
      const x = whole(req.xHandle);
      const head = preps.beginSplit(req, req.rowEnd, req.scales);
      const part = heatmapSidePart(head, 0, x.rows, x.cols, req.viewport, req.outRows, req.outCols);
      const before = sideToSend(beforeSide(x, req.viewport, req.outRows, req.outCols));
      return transfer({ before, part }, [
        part.colAbsMax.buffer, part.rowAbsMax.buffer, ...gridBuffers(part.grid), ...gridBuffers(before.grid),
      ] as ArrayBuffer[]);
    },

    async adoptPrimeRows(req, rows, rowStart) {
      preps.adoptRows(req, rows, rowStart); // copies them: nothing here keeps `rows`
      return transfer(rows, [rows.buffer as ArrayBuffer]);
    },

    async abandonPrime(req) {
      preps.abandon(req);
    },

    async smoothColumns(req) {
      const { x, w } = preps.smoothColumns(req);
      return { x: x.slice(), w: w.slice() };
    },

    async warmTransforms(xHandle, count) {
      await preps.warm(whole(xHandle).data.length, count, yieldToQueue);
    },

    async holdBackground(ms) {
      heldUntil = Math.max(heldUntil, performance.now() + ms);
    },

    async staleBefore(id, seq) {
      staleSeq.set(id, Math.max(seq, staleSeq.get(id) ?? -Infinity));
      // one entry per job and key seen; old keys are not asked for again often, so a bound is enough
      if (staleSeq.size > 1024) staleSeq.delete(staleSeq.keys().next().value as string);
    },

    async transformErrorHeatmap(req) {
      const prep = await prepFor(req);
      const { format, ...quant } = req.opts;
      // a pan or zoom asks again with the same quantization: keep the last x̂ (one tensor) and only pool anew
      const qKey = JSON.stringify(req.opts);
      let r = lastErrorQuant?.prep === prep && lastErrorQuant.key === qKey ? await lastErrorQuant.r : null;
      if (!r) {
        lastErrorQuant = null; // free the old x̂ before the new one is made
        // in bands where the options allow (a request that comes meanwhile waits for one band); a pan or
        // zoom asking meanwhile waits for this same x̂
        const made = quantizePreparedInBands(prep, 'x', req.opts).then((b) => b ?? quantizePrepared(prep, 'x', format, quant));
        lastErrorQuant = { prep, key: qKey, r: made };
        try {
          r = await made;
        } catch (e) {
          if (lastErrorQuant?.r === made) lastErrorQuant = null;
          throw e;
        }
      }
      // per-block saturation lives in the transformed space: it marks the same elements only when the transform keeps positions
      const keepsPositions = prep.transform.kind === 'none' || prep.transform.kind === 'smooth';
      const q = keepsPositions ? { xhat: r.xhat, ...r.q } : { xhat: r.xhat };
      return transferErrorHeatmap(errorHeatmap(prep.x, q, req.viewport, req.outRows, req.outCols, req.mode, getFormat(format).blockSize));
    },

    async matmulCombo(req) {
      // a combo quantizes and measures X and W whole (~1 s at 4096²): in bands where the options allow
      // (Ŷ needs only the first T and O rows), else pass by pass, the worker taking the requests that
      // came meanwhile in between (a transform change's heatmaps wait for one band or pass, not the combo)
      throwIfStale(req.ticket);
      const t0 = performance.now();
      const prep = await prepFor(req);
      const x = prep.x, w = prep.w!;
      const T = Math.max(1, Math.min(req.tokens, x.rows));
      const O = Math.max(1, Math.min(req.outFeatures, w.rows));
      const xs = like(x.data.subarray(0, T * x.cols), T, x.cols);
      const ws = like(w.data.subarray(0, O * w.cols), O, w.cols);
      const refKey = `${req.xHandle}|${req.wHandle}|${T}|${O}`;
      let y = refs.get(refKey);
      if (!y) {
        y = matmulXWt(xs, ws);
        refs.clear();
        refs.set(refKey, y);
      }
      const xOpts = { ...req.quant, format: req.xFormat }, wOpts = { ...req.quant, format: req.wFormat };
      const xBands = await quantSumsInBands(prep, 'x', xOpts, t0, req.ticket);
      const wBands = xBands && await quantSumsInBands(prep, 'w', wOpts, t0, req.ticket);
      const xLead = wBands && leadingRowsQuantized(prep, 'x', xOpts, T);
      const wLead = xLead && leadingRowsQuantized(prep, 'w', wOpts, O);
      if (xBands && wBands && xLead && wLead) {
        return {
          xFormat: req.xFormat, wFormat: req.wFormat, transform: prep.name,
          matmul: computeMetrics(y, matmulXWt(like(xLead, T, x.cols), like(wLead, O, w.cols))),
          x: metricsFromSums(xBands.sums), w: metricsFromSums(wBands.sums),
          tokens: T, outFeatures: O, ms: performance.now() - t0,
        };
      }
      // options that need the whole tensor: whole quantizations, other requests taken between them
      const qx = quantizePrepared(prep, 'x', req.xFormat, req.quant);
      await betweenBands(req.ticket);
      const xMetrics = computeMetrics(x.data, qx.xhat);
      await betweenBands(req.ticket);
      const qw = quantizePrepared(prep, 'w', req.wFormat, req.quant);
      await betweenBands(req.ticket);
      const yhat = matmulXWt(like(qx.xhat.subarray(0, T * x.cols), T, x.cols), like(qw.xhat.subarray(0, O * w.cols), O, w.cols));
      return {
        xFormat: req.xFormat, wFormat: req.wFormat, transform: prep.name,
        matmul: computeMetrics(y, yhat), x: xMetrics, w: computeMetrics(w.data, qw.xhat),
        tokens: T, outFeatures: O, ms: performance.now() - t0,
      };
    },

    async probeElement(req) {
      const prep = await prepFor(req);
      const side = req.side ?? 'x';
      const src = (side === 'x' ? prep.xPrime : prep.wPrime)?.data;
      if (!src) throw new Error('no weight tensor is loaded for the weight readout');
      return probeElement(prep, req.row, req.col, req.formats, req.quant, { side, tensorAmaxPrime: amaxOf(src), cache: wholeQuant });
    },

    async pipelineFormat(req) {
      const t0 = performance.now();
      const x = whole(req.xHandle);
      const w = req.wHandle ? whole(req.wHandle) : undefined;
      const { format, ...quant } = req.opts;
      const t = parseTransform(req.transform);
      const r = runPipeline(x, w, { format, weightFormat: req.weightFormat, quant, transform: t, outliers: req.outliers });
      const side = t.kind === 'awq' ? 'w' : 'x';
      const s = side === 'w' ? r.w! : r.x;
      const reply: PipelineFormatResult = {
        ...partial(format, (side === 'w' ? w! : x).data, s.xhat, { saturated: s.saturated }, t0),
        side,
        ...(r.matmul ? { matmul: r.matmul } : {}),
        ...(r.awq ? { alpha: r.awq.alpha } : {}),
      };
      return transfer(reply, [reply.buckets.buffer as ArrayBuffer]);
    },
  };
  // every request counted while under way: the prep store reuses an evicted X' only when none that could read it is
  for (const k of Object.keys(api) as (keyof AnalysisApi)[]) (api as unknown as Record<string, unknown>)[k] = clock.track(api[k] as (...a: unknown[]) => unknown);
  return api;
}
