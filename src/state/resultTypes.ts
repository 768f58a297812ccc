/**
 * Shapes of the job results the scheduler puts in the results slice
 * (results[JOB.x].data). Plain data: numbers and small typed arrays.
 */
import type { BlockViewResult } from '../core/explorer/blockView.ts';
import type { FormatId } from '../core/formats/registry.ts';
import type { TensorSummary } from '../core/samples/tensorStats.ts';
import type { Metrics } from '../core/stats/metrics.ts';
import type { Histogram } from '../core/stats/histogram.ts';
import type { AnalyzeFormatsResult, ErrorHeatmapResult, HeatmapCompareResult } from '../core/analysis/index.ts';

export type { AnalyzeFormatsResult, ErrorHeatmapResult, HeatmapCompareResult };

/** Job names: keys of the results slice. */
export const JOB = {
  tensor: 'tensor',
  metrics: 'metrics',
  block: 'block',
  /** |x| heatmap of the whole tensor (HeatmapCompareResult) */
  heatmap: 'heatmap',
  /** signed error heatmap of the focused format (ErrorHeatmapData) */
  errorHeatmap: 'errorHeatmap',
} as const;

export interface TensorMeta {
  /** tensorKey of the config it was loaded for */
  key: string;
  name: string;
  rows: number;
  cols: number;
  shape: number[];
  summary: TensorSummary;
  /** how many workers hold slices of it */
  slices: number;
  loadMs: number;
  /** histogram of x over [min, max] of its finite values (128 bins) */
  valueHistogram: Histogram;
}

export interface FormatMetrics {
  format: FormatId;
  metrics: Metrics;
  saturated: number;
  blocksSaturated: number;
  blocks: number;
  /** wall time of this format's job, ms */
  ms: number;
  /** true when the job ran split over several workers */
  split: boolean;
}

/** The |x| heatmap job's result, with the tensor it was pooled from (config.ts tensorText) for the caption. */
export interface HeatmapData extends HeatmapCompareResult {
  tensor: string;
}

/** The error heatmap job's result: the grid, with what it is of for the caption (a dimmed result keeps its own). */
export interface ErrorHeatmapData extends ErrorHeatmapResult {
  /** config.ts tensorText, optionsText (with the view's transform) and the focused format's label */
  tensor: string;
  options: string;
  formatLabel: string;
}

export interface MetricsData {
  /** one row per compared format, in the order of config.formats */
  rows: FormatMetrics[];
  /** the analysis core's result (shared error bins, bits per element, value histogram) for the panels */
  analysis: AnalyzeFormatsResult;
  /** formats that could not be quantized with these options, and why */
  failures: { format: FormatId; message: string }[];
  /** the options these numbers are for (config.ts optionsText), for captions: a dimmed result keeps its own */
  options: string;
  /** the tensor they are for, "name [rows, cols]", for the same captions */
  tensor: string;
}

export interface BlockViewData extends BlockViewResult {
  row: number;
  block: number;
  col: number;
  blocksPerRow: number;
  format: FormatId;
}
