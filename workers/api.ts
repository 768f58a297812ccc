/**
 * The engine worker's API (the only thing src/engine knows about the worker).
 * Each worker of the pool holds tensors under a string handle: either the
 * whole tensor or a slice of its rows [rowStart, rowEnd). Requests are small;
 * replies are small typed arrays and numbers (transferred, never megabytes).
 * Numerics all come from src/core (ARCHITECTURE rule 1).
 */
import type { FormatId } from '../src/core/formats/registry.ts';
import type { QuantOptions } from '../src/core/quant/options.ts';
import type { SampleSpec } from '../src/core/samples/samples.ts';
import type { StatSums } from '../src/core/samples/tensorStats.ts';
import type { MetricSums } from '../src/core/stats/metrics.ts';
import type { BlockViewResult } from '../src/core/explorer/blockView.ts';
import type { FormatPartial, HeatmapCompareResult, ErrorHeatmapResult, ErrorMode, Viewport } from '../src/core/analysis/index.ts';
import type { Histogram } from '../src/core/stats/histogram.ts';
import type { HeatmapSidePart } from '../src/core/analysis/splitHeatmap.ts';
import type { MethodsApi } from './methods.ts';
import type { ModelJobsApi } from './modelJobs.ts';
import type { AnalysisApi } from './analysisApi.ts';

export type { BlockViewResult, MetricSums, StatSums };

/** What a held slice is: rows [rowStart, rowEnd) of a [rows, cols] tensor. */
export interface SliceInfo {
  handle: string;
  rowStart: number;
  rowEnd: number;
  /** rows of the whole tensor */
  rows: number;
  cols: number;
  shape: number[];
  /** statistics of the held rows (merge them with mergeStatSums) */
  stats: StatSums;
  /** worker time spent, ms */
  ms: number;
}

export interface QuantSliceRequest {
  handle: string;
  opts: QuantOptions;
  /** finite absmax of the whole tensor (NVFP4 per-tensor scale, tensor granularity) */
  tensorAmax: number;
  /** rows of the held data to quantize; default: all held rows */
  rowStart?: number;
  rowEnd?: number;
}

/**
 * Mergeable result of quantizing one slice: a core/analysis FormatPartial
 * (metric sums, error buckets, saturated; merge with mergeFormatPartials) plus
 * per-block saturation counts.
 */
export interface QuantSliceResult extends FormatPartial {
  format: FormatId;
  sums: MetricSums;
  saturated: number;
  /** blocks (block formats) with at least one saturated element, and blocks in all */
  blocksSaturated: number;
  blocks: number;
  ms: number;
}

export interface BlockViewRequest {
  handle: string;
  format: FormatId;
  /** absolute row of the tensor (must be held by this worker) */
  row: number;
  /** block index along the row (block size of the format, 32 for scalar formats) */
  block: number;
  tensorAmax: number;
  base: Omit<QuantOptions, 'format'>;
}

export interface BlockViewReply extends BlockViewResult {
  row: number;
  block: number;
  /** first column of the block */
  col: number;
  blocksPerRow: number;
}

/** A tensor listed in an opened file (metadata only). */
export interface FileTensor {
  name: string;
  dtype: string;
  shape: number[];
  /** set when the tensor cannot be decoded; says why */
  notDecoded?: string;
}

/** The pool worker's API; the analysis jobs (transforms, before/after, matmul table) are in analysisApi.ts. */
export interface EngineApi extends AnalysisApi, MethodsApi, ModelJobsApi {
  /** Open files (read lazily with blob.slice) and list their tensors. */
  listFile(fileKey: string, files: File[]): Promise<FileTensor[]>;
  /**
   * Read one tensor of an opened file, whole, under `handle`. With a `jobId`,
   * `cancelJob(jobId)` aborts the read; `onProgress` (a comlink proxy, so a
   * top-level argument) gets the bytes read of the stored tensor.
   */
  loadFileTensor(handle: string, fileKey: string, files: File[], name: string, jobId?: string, onProgress?: (bytesRead: number, total: number) => void): Promise<SliceInfo>;
  /** A copy of held rows [rowStart, rowEnd), transferred (for handing slices to other workers). */
  copyRows(handle: string, rowStart: number, rowEnd: number): Promise<Float32Array>;
  /** Hold rows given by another worker (transferred in). */
  adoptRows(handle: string, data: Float32Array, rowStart: number, rowEnd: number, rows: number, cols: number, shape: number[]): Promise<SliceInfo>;
  /** Hold rows [rowStart, rowEnd) of a whole tensor already held here, without copying. */
  aliasRows(handle: string, wholeHandle: string, rowStart: number, rowEnd: number): Promise<SliceInfo>;
  /** Generate rows [rowStart, rowEnd) of a built-in sample and hold them under `handle`. */
  loadSample(handle: string, spec: SampleSpec, rowStart: number, rowEnd: number): Promise<SliceInfo>;
  /** Quantize held rows and return mergeable metric sums and saturation counts. */
  quantSlice(req: QuantSliceRequest): Promise<QuantSliceResult>;
  /** One block of a held row under every scale rule (format explorer). */
  blockView(req: BlockViewRequest): Promise<BlockViewReply>;
  /** Histogram of the held rows on shared bin edges (counts add across slices). */
  histogramSlice(handle: string, edges: Float64Array): Promise<Histogram>;
  /** Heatmap of |x| pooled by max over `viewport` (whole tensor: the handle must hold all rows). */
  heatmap(handle: string, viewport: Viewport, outRows: number, outCols: number): Promise<HeatmapCompareResult>;
  /** Pooled signed error of one format over `viewport` (whole tensor). */
  errorHeatmap(req: QuantSliceRequest & { viewport: Viewport; outRows: number; outCols: number; mode: ErrorMode }): Promise<ErrorHeatmapResult>;
  /**
   * X' of the held rows for a row-split transform (smooth with its scales, Hadamard) and their share of
   * the |X'| heatmap (splitHeatmap.ts); the rows go to worker 0's adoptPrimeRows (transferred).
   * `scratch`: the rows buffer of an earlier part, back from adoptPrimeRows, written again when its
   * size fits (written pages are ~10× cheaper to write than fresh ones on the test machine).
   */
  /** A pre-touched buffer for this worker's rows of `handle` (transferred): the scratch of its first transformSlicePart. */
  warmSliceRows(handle: string): Promise<Float32Array>;
  transformSlicePart(req: { handle: string; transform: string; seed: number; scales?: Float32Array; viewport: Viewport; outRows: number; outCols: number; scratch?: Float32Array }): Promise<{ part: HeatmapSidePart; rows: Float32Array; rowStart: number }>;
  /** Forget a handle (frees its memory). */
  drop(handle: string): Promise<void>;
  /** Handles currently held, for tests. */
  held(): Promise<string[]>;
}
