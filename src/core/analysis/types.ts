/**
 * Result types of the analysis jobs (src/core/analysis/*), exactly what the
 * engine worker exposes. Plain objects of numbers, strings and typed arrays
 * (transferable; no classes, no functions), all arrays row-major.
 * Index conventions: the 2-D view [rows, cols] of DOMAIN.md §1; viewports are
 * half-open [row0, row1) × [col0, col1) in real tensor indices.
 */
import type { FormatId } from '../formats/registry.ts';
import type { Granularity, QuantOptions, ScaleOption } from '../quant/options.ts';
import type { QuantContext, QuantizeResult } from '../quant/types.ts';
import type { Tensor2D } from '../tensor.ts';
import type { Metrics, MetricSums } from '../stats/metrics.ts';
import type { Histogram } from '../stats/histogram.ts';
import type { PooledGrid, Viewport } from '../stats/pooling.ts';
import type { PooledProfile } from '../stats/channelGrid.ts';
import type { OutlierRule } from '../stats/channelStats.ts';

export type { Metrics, MetricSums, Histogram, PooledGrid, Viewport, PooledProfile, OutlierRule };

/** quantize.ts signature (injected so tests and row-split workers can pass their own) */
export type QuantizeFn = (x: Tensor2D, opts: QuantOptions, out?: Float32Array, ctx?: QuantContext) => QuantizeResult;
/** bitsPerElement.ts signature: element bits + scale bits per element (the scale option changes scale storage) */
export type BitsPerElementFn = (formatId: FormatId, granularity: Granularity, cols: number, rows: number, scale?: ScaleOption) => number;

export interface AnalysisDeps {
  quantize: QuantizeFn;
  bitsPerElement: BitsPerElementFn;
}

/** The options every compared format shares (DOMAIN.md §3–4); `format` is filled per format. */
export type SharedQuantOptions = Omit<QuantOptions, 'format'>;

// ---------------------------------------------------------------------------
// analyzeFormats

export interface AnalyzeOptions {
  quant: SharedQuantOptions;
  /** error histogram bins: a power of two, 2…256 (default 64) */
  errorBins?: number;
  /** value histogram bins (default 128) */
  valueBins?: number;
  /** passed to quantize (row slices: rowOffset, whole-tensor amax) */
  ctx?: QuantContext;
}

/** One format over one row slice: everything adds exactly across slices. */
export interface FormatPartial {
  format: FormatId;
  /** float64 metric sums (metrics.ts) */
  sums: MetricSums;
  /** error buckets (histogram.ts, ERROR_BUCKETS long) of x̂ − x */
  buckets: Uint32Array;
  saturated: number;
}

export interface FormatAnalysis {
  format: FormatId;
  /** registry label, e.g. "FP8 E4M3" */
  label: string;
  /** DOMAIN.md §6, over finite elements, float64 */
  metrics: Metrics;
  /** elements with |y| > element max before the cast (bf16/fp16: overflowed to ±Inf) */
  saturated: number;
  /** element bits + scale bits per element for this granularity and shape */
  bitsPerElement: number;
  /** counts of x̂ − x in AnalyzeFormatsResult.errorBinEdges (shared by all formats) */
  errorCounts: Uint32Array;
}

export interface AnalyzeFormatsResult {
  rows: number;
  cols: number;
  perFormat: FormatAnalysis[];
  /**
   * errorBins + 1 edges of [−errorRange, errorRange], shared by every format.
   * Sign-symmetric bins: a value's magnitude picks the bin (so −w/2 and +w/2
   * land in mirrored bins); see histogram.ts rebinErrorBuckets.
   */
  errorBinEdges: Float64Array;
  /** smallest power of two above the largest |x̂ − x| of all formats (1 when all are exact) */
  errorRange: number;
  /** histogram of x over [min, max] of its finite values */
  valueHistogram: Histogram;
  /** max |x| over finite values (the per-tensor absmax) */
  absMax: number;
}

// ---------------------------------------------------------------------------
// heatmaps and channels

export interface ChannelProfile {
  /** max |x[:, j]| per column (input channel); length cols */
  colAbsMax: Float32Array;
  /** max |x[i, :]| per row (token / output channel); length rows */
  rowAbsMax: Float32Array;
  /** outlier columns by the rule, by absmax descending */
  outlierCols: Uint32Array;
  /** threshold the rule used (absmax units) */
  outlierThreshold: number;
  /** max / median of colAbsMax (1 = flat; Infinity when the median is 0) */
  colMaxMedianRatio: number;
  rowMaxMedianRatio: number;
}

/** One side of a heatmap view: the pooled |x| grid plus channel bars on the same cells. */
export interface HeatmapSide {
  grid: PooledGrid;
  /** colAbsMax pooled (max) onto grid.colStarts: the bars under the heatmap */
  colBars: PooledProfile;
  /** rowAbsMax pooled onto grid.rowStarts: the bars beside it (per token, or per output feature of a weight) */
  rowBars: PooledProfile;
  /** 1 where a column cell holds an outlier channel */
  outlierCells: Uint8Array;
  profile: ChannelProfile;
}

export interface HeatmapCompareResult {
  before: HeatmapSide;
  /** absent when there is no transform */
  after?: HeatmapSide;
  /** one colour domain [0, max |x|] over both sides' viewports (ARCHITECTURE rule 8) */
  colourDomain: [number, number];
  /** one domain for both sides' channel bars: [min positive, max] of colAbsMax in the viewport */
  barDomain: [number, number];
  /**
   * The same for both sides' row bars (rowAbsMax in the viewport). combineSides sets it; a result
   * built otherwise may omit it, and the view then takes it from the two sides' rowBars.
   */
  rowBarDomain?: [number, number];
}

/**
 * 'abs': x̂ − x of each cell's largest-|error| element; 'rel': (x̂ − x)/|x| of each
 * cell's largest-relative-error element (per element); 'cellRel': the cell's
 * largest-|error| element's x̂ − x divided by the cell's max |x| (the error
 * relative to the magnitude of its region, robust to near-zero elements).
 */
export type ErrorMode = 'abs' | 'rel' | 'cellRel';

export interface ErrorHeatmapResult {
  /** signed error per cell, by `mode` (ErrorMode); grid.index is the element the value comes from */
  grid: PooledGrid;
  mode: ErrorMode;
  /**
   * Saturated elements per cell from the quantizer's per-block counts (block
   * formats); absent when the format has none.
   */
  saturatedCells?: Uint32Array;
  /** saturated elements in the blocks that overlap the viewport (each block once) */
  saturatedInView?: number;
}

// ---------------------------------------------------------------------------
// trade-off curve

export interface TradeoffConfig {
  format: FormatId;
  granularity: Granularity;
}

export interface TradeoffPoint {
  format: FormatId;
  label: string;
  /** canonical granularity text (formatGranularity) */
  granularity: string;
  bitsPerElement: number;
  /** +Infinity when exact */
  sqnrDb: number;
  mse: number;
  saturated: number;
}
