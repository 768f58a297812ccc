/**
 * Worker-side jobs of the methods panel (issue 9: none / SmoothQuant / Hadamard
 * / AWQ / SVDQuant on one activation/weight pair). Each call is one small
 * "point" (one α of an AWQ search, one rank of an SVDQuant curve, one table
 * cell), so the engine can spread points over the pool, show them as they
 * arrive, drop stale ones and cancel between points; a call never holds a
 * worker for more than about one matmul.
 *
 * Every number equals what runPipeline (the CLI's `quantize`) gives for the
 * same options (test/features/methods/methodsJob.test.ts):
 *  - table rows none / smooth:α / hadamard:G call runPipeline itself;
 *  - an AWQ point is awqApply(α) with the same Y and channel means that
 *    awqSearch uses, so `awq` = the point with the smallest MSE, and
 *    `awq:α` = the point at α;
 *  - an SVDQuant point repeats one step of svdQuant's rank loop (same smoothing,
 *    same seeded decomposition at `decompRank`, same fp16 branch, same
 *    float32 operations), so with decompRank = RANK it equals
 *    `svdquant:RANK:α`.
 * The pair is held whole under this module's handles ('methods:x',
 * 'methods:w'), with Y = X·Wᵀ and the decompositions cached per pair.
 */
import type { FormatId } from '../src/core/formats/registry.ts';
import type { QuantOptions } from '../src/core/quant/options.ts';
import type { SampleSize } from '../src/core/samples/samples.ts';
import type { Metrics } from '../src/core/stats/metrics.ts';
import type { HeatmapCompareResult } from '../src/core/analysis/index.ts';
import type { Tensor2D } from '../src/core/tensor.ts';
import { generateSampleRows } from '../src/core/samples/samples.ts';
import { blobSource, openTensorFile } from '../src/core/io/index.ts';
import { view2D } from '../src/core/tensor.ts';
import { quantize } from '../src/core/quant/quantize.ts';
import { bitsPerElement } from '../src/core/quant/bitsPerElement.ts';
import { computeMetrics } from '../src/core/stats/metrics.ts';
import { errorStats } from '../src/core/linalg/errorStats.ts';
import { matmulXWt } from '../src/core/linalg/matmul.ts';
import { topSingular } from '../src/core/linalg/topSingular.ts';
import { runPipeline, type FormatOrNone } from '../src/core/pipeline/runPipeline.ts';
import { parseTransform } from '../src/core/transforms/parse.ts';
import { awqApply, awqScalesFromMeans, meanAbsColumns } from '../src/core/transforms/awq.ts';
import { scaleColumns, smooth, type SmoothResult } from '../src/core/transforms/smooth.ts';
import { lowRankBytes, lowRankDense, lowRankFp16, type LowRankFp16 } from '../src/core/transforms/lowRank.ts';
import { checkPair, like, type Quantizer } from '../src/core/transforms/types.ts';
import { compareHeatmaps } from '../src/core/analysis/index.ts';
import { fullViewport } from '../src/core/stats/pooling.ts';

export type QuantBase = Omit<QuantOptions, 'format'>;

/** Where the pair comes from: the built-in activation/weight samples (same size and seed), or two tensors of an opened file. */
export type MethodsPairSource =
  | { kind: 'sample'; size: SampleSize; seed: number }
  | { kind: 'file'; fileKey: string; files: File[]; x: string; w: string };

export interface MethodsPairInfo {
  key: string;
  /** X [T, C], W [O, C] */
  xShape: [number, number];
  wShape: [number, number];
}

export type MethodsTask =
  /** one table row through runPipeline (none, smooth:α, hadamard:G, …) */
  | { kind: 'pipe'; transform: string; format: FormatOrNone; weightFormat: FormatOrNone; quant: QuantBase }
  /** one α of AWQ (weight-only): Ŷ = (X/s)·Q(W·s)ᵀ */
  | { kind: 'awq'; alpha: number; weightFormat: FormatId; quant: QuantBase }
  /** AWQ scales at α and the channel magnitudes they come from */
  | { kind: 'awq-info'; alpha: number }
  /** one rank of SVDQuant (W4A4): smoothing α, fp16 branch of rank `rank` from the top-`decompRank` decomposition */
  | { kind: 'svd'; alpha: number; decompRank: number; rank: number; format: FormatId; weightFormat: FormatId; quant: QuantBase }
  /** spectrum of W′ and the residual |W′ − L| heatmap next to |W′| (shared viewport and colour domain) */
  | { kind: 'svd-info'; alpha: number; decompRank: number; rank: number; seed: number; outRows: number; outCols: number };

export interface PipePoint {
  kind: 'pipe';
  /** Ŷ versus Y = X·Wᵀ */
  matmul: Metrics;
  xBits: number;
  wBits: number;
}

export interface AwqPoint {
  kind: 'awq';
  alpha: number;
  /** MSE(Ŷ, Y) exactly as awqSearch ranks it */
  mse: number;
  matmul: Metrics;
  /** bits/element of W (X stays unquantized: 32) */
  wBits: number;
  xBits: number;
}

export interface AwqInfo {
  kind: 'awq-info';
  alpha: number;
  /** s [C] */
  scales: Float32Array;
  /** a_j = mean |X[:, j]| [C] */
  means: Float32Array;
}

export interface SvdPoint {
  kind: 'svd';
  rank: number;
  /** Ŷ versus Y (full metrics) and the MSEs svdQuant's curve reports */
  matmul: Metrics;
  matmulMse: number;
  weightMse: number;
  xBits: number;
  /** bits/element of W including the fp16 branch */
  wBits: number;
  extraBytes: number;
}

export interface SvdInfo {
  kind: 'svd-info';
  rank: number;
  /** top singular values of W′, descending */
  singularValues: Float64Array;
  /** ‖W′‖_F² */
  frobSq: number;
  /** before: |W′|, after: |W′ − L_rank| */
  heatmap: HeatmapCompareResult;
  extraBytes: number;
  /** bits per weight element the branch adds */
  addedBits: number;
}

export type MethodsPoint = PipePoint | AwqPoint | AwqInfo | SvdPoint | SvdInfo;

interface Pair {
  key: string;
  x: Tensor2D;
  w: Tensor2D;
  y: Float32Array | null;
  means: Float32Array | null;
  smooth: Map<number, SmoothResult>;
  /** `${alpha}|${decompRank}|${seed}` → branch (and σ) */
  decomp: Map<string, { lowRank: LowRankFp16; s: Float64Array }>;
  /** `${alpha}|${format}|${quantKey}` → Q_X(X′) */
  xq: Map<string, Float32Array>;
  /** the last dense branch: `${decompKey}|${rank}` */
  dense: { key: string; l: Float32Array } | null;
}

let pair: Pair | null = null;

/** The pair this worker holds (key, shapes), or null. */
export function heldPair(): MethodsPairInfo | null {
  return pair && { key: pair.key, xShape: [pair.x.rows, pair.x.cols], wShape: [pair.w.rows, pair.w.cols] };
}

function tensor(data: Float32Array, shape: number[]): Tensor2D {
  const [rows, cols] = view2D(shape);
  return { data, rows, cols, shape };
}

/** Loads the pair whole (X = 'methods:x', W = 'methods:w'), unless this worker already holds `key`. */
export async function loadPair(key: string, src: MethodsPairSource): Promise<MethodsPairInfo> {
  if (pair?.key !== key) {
    pair = null;
    let x: Tensor2D, w: Tensor2D;
    if (src.kind === 'sample') {
      const n = src.size;
      x = tensor(generateSampleRows({ kind: 'activation', size: src.size, seed: src.seed }, 0, n), [n, n]);
      w = tensor(generateSampleRows({ kind: 'weight', size: src.size, seed: src.seed }, 0, n), [n, n]);
    } else {
      const f = await openTensorFile(src.files.map((b) => blobSource(b)));
      try {
        const xt = await f.read(src.x);
        const wt = await f.read(src.w);
        x = tensor(xt.data, xt.shape);
        w = tensor(wt.data, wt.shape);
      } finally {
        await f.close().catch(() => {});
      }
    }
    checkPair(x, w, 'the methods panel');
    pair = { key, x, w, y: null, means: null, smooth: new Map(), decomp: new Map(), xq: new Map(), dense: null };
  }
  return heldPair()!;
}

export function dropPair(): void {
  pair = null;
}

function held(key: string): Pair {
  if (!pair || pair.key !== key) throw new Error('the activation/weight pair is not loaded in this worker');
  return pair;
}

const quantKey = (q: QuantBase) => JSON.stringify(q);

/** The quantizer runPipeline builds for a format (without outliers=Q). */
function quantizer(format: FormatOrNone, quant: QuantBase): Quantizer {
  return (t) => (format === 'none' ? new Float32Array(t.data.subarray(0, t.rows * t.cols)) : quantize(t, { ...quant, format }).xhat);
}

function yOf(p: Pair): Float32Array {
  p.y ??= matmulXWt(p.x, p.w);
  return p.y;
}

function smoothOf(p: Pair, alpha: number): SmoothResult {
  let s = p.smooth.get(alpha);
  if (!s) {
    s = smooth(p.x, p.w, alpha);
    p.smooth.set(alpha, s);
  }
  return s;
}

/** The fp16 branch of svdQuant for smoothing α and topRank = decompRank (seeded like runPipeline: quant.seed). */
function decompOf(p: Pair, alpha: number, decompRank: number, seed: number) {
  const key = `${alpha}|${decompRank}|${seed}`;
  let d = p.decomp.get(key);
  if (!d) {
    const sm = smoothOf(p, alpha);
    const O = p.w.rows, C = p.w.cols;
    const svd = decompRank > 0
      ? topSingular(like(sm.wPrime, O, C), decompRank, { seed })
      : { u: new Float64Array(0), s: new Float64Array(0), v: new Float64Array(0), m: O, n: C, p: 0 };
    d = { lowRank: lowRankFp16(svd, decompRank), s: svd.s };
    if (p.decomp.size >= 3) p.decomp.delete(p.decomp.keys().next().value!);
    p.decomp.set(key, d);
  }
  return { key, ...d };
}

function denseOf(p: Pair, dk: string, lr: LowRankFp16, rank: number): Float32Array {
  const key = `${dk}|${rank}`;
  if (p.dense?.key !== key) p.dense = { key, l: lowRankDense(lr, rank) };
  return p.dense.l;
}

function checkRank(p: Pair, rank: number, what: string): void {
  const max = Math.min(p.w.rows, p.w.cols);
  if (!Number.isInteger(rank) || rank < 0 || rank > max) throw new Error(`${what} needs a rank from 0 to min(out, in) = ${max}`);
}

/** Runs one task on the held pair. */
export function runMethodsTask(key: string, task: MethodsTask): MethodsPoint {
  const p = held(key);
  const { x, w } = p;
  const T = x.rows, C = x.cols, O = w.rows;
  switch (task.kind) {
    case 'pipe': {
      const r = runPipeline(x, w, { format: task.format, weightFormat: task.weightFormat, quant: task.quant, transform: parseTransform(task.transform) });
      return { kind: 'pipe', matmul: r.matmul!, xBits: r.x.bitsPerElement, wBits: r.w!.bitsPerElement };
    }
    case 'awq': {
      p.means ??= meanAbsColumns(x);
      const y = yOf(p);
      const r = awqApply(x, w, task.alpha, quantizer(task.weightFormat, task.quant), { y, means: p.means });
      return {
        kind: 'awq', alpha: task.alpha, mse: r.mse, matmul: computeMetrics(y, r.yhat),
        wBits: bitsPerElement(task.weightFormat, task.quant.granularity, C, O), xBits: 32,
      };
    }
    case 'awq-info': {
      p.means ??= meanAbsColumns(x);
      return { kind: 'awq-info', alpha: task.alpha, scales: awqScalesFromMeans(p.means, task.alpha), means: p.means.slice() };
    }
    case 'svd': {
      checkRank(p, task.decompRank, `svdquant:${task.decompRank}`);
      checkRank(p, task.rank, `svdquant:${task.rank}`);
      const sm = smoothOf(p, task.alpha);
      const d = decompOf(p, task.alpha, task.decompRank, task.quant.seed);
      const xqKey = `${task.alpha}|${task.format}|${quantKey(task.quant)}`;
      let xqPrime = p.xq.get(xqKey);
      if (!xqPrime) {
        xqPrime = quantizer(task.format, task.quant)(like(sm.xPrime, T, C));
        if (p.xq.size >= 4) p.xq.delete(p.xq.keys().next().value!);
        p.xq.set(xqKey, xqPrime);
      }
      // one step of svdQuant's rank loop (svdquant.ts): R = f32(W′ − L), Ŵ′ = f32(L + Q_W(R)), Ŷ = Q_X(X′)·Ŵ′ᵀ
      const l = denseOf(p, d.key, d.lowRank, task.rank);
      const resid = new Float32Array(O * C);
      for (let i = 0; i < resid.length; i++) resid[i] = sm.wPrime[i] - l[i];
      const rq = quantizer(task.weightFormat, task.quant)(like(resid, O, C));
      const whatPrime = resid; // reuse the buffer: Ŵ′
      for (let i = 0; i < whatPrime.length; i++) whatPrime[i] = l[i] + rq[i];
      const y = yOf(p);
      const yhat = matmulXWt(like(xqPrime, T, C), like(whatPrime, O, C));
      const what = scaleColumns(whatPrime, sm.scales, 'div');
      const extraBytes = lowRankBytes(task.rank, O, C);
      const g = task.quant.granularity;
      return {
        kind: 'svd', rank: task.rank, matmul: computeMetrics(y, yhat),
        matmulMse: errorStats(y, yhat).mse, weightMse: errorStats(w.data, what).mse,
        xBits: bitsPerElement(task.format, g, C, T),
        wBits: bitsPerElement(task.weightFormat, g, C, O) + (8 * extraBytes) / (O * C),
        extraBytes,
      };
    }
    case 'svd-info': {
      checkRank(p, task.decompRank, `svdquant:${task.decompRank}`);
      checkRank(p, task.rank, `svdquant:${task.rank}`);
      const sm = smoothOf(p, task.alpha);
      const d = decompOf(p, task.alpha, task.decompRank, task.seed);
      const l = denseOf(p, d.key, d.lowRank, task.rank);
      const resid = new Float32Array(O * C);
      for (let i = 0; i < resid.length; i++) resid[i] = sm.wPrime[i] - l[i];
      let frobSq = 0;
      for (let i = 0; i < sm.wPrime.length; i++) frobSq += sm.wPrime[i] * sm.wPrime[i];
      const heatmap = compareHeatmaps(like(sm.wPrime, O, C), like(resid, O, C), fullViewport(O, C), Math.min(task.outRows, O), Math.min(task.outCols, C));
      const extraBytes = lowRankBytes(task.rank, O, C);
      return { kind: 'svd-info', rank: task.rank, singularValues: d.s.slice(), frobSq, heatmap, extraBytes, addedBits: (8 * extraBytes) / (O * C) };
    }
  }
}

/** The methods part of the pool worker's API (spread into EngineApi). */
export interface MethodsApi {
  /** Hold the activation/weight pair whole (once per key; a new key replaces the old pair). */
  methodsLoad(key: string, src: MethodsPairSource): Promise<MethodsPairInfo>;
  /** One point of the methods panel on the held pair `key`. */
  methodsRun(key: string, task: MethodsTask): Promise<MethodsPoint>;
  /** Forget the pair and its caches. */
  methodsDrop(): Promise<void>;
}

export function createMethodsApi(): MethodsApi {
  return {
    methodsLoad: (key, src) => loadPair(key, src),
    methodsRun: async (key, task) => runMethodsTask(key, task),
    methodsDrop: async () => dropPair(),
  };
}
