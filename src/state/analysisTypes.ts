/**
 * Job names and result shapes of the analysis view (issue 5), next to
 * resultTypes.ts (which keeps JOB.heatmap = the |x| before/after view of the
 * analysed tensor and JOB.errorHeatmap). Plain data only.
 */
import type { FormatId } from '../core/formats/registry.ts';
import type { Metrics } from '../core/stats/metrics.ts';
import type { HeatmapCompareResult } from '../core/analysis/index.ts';
import type { TradeoffPoint } from '../core/analysis/types.ts';
import type { ElementProbe } from '../core/pipeline/elementProbe.ts';

export const ANALYSIS_JOB = {
  /** W before/after the transform (SmoothQuant difficulty migration): WeightHeatmapData */
  weightHeatmap: 'weightHeatmap',
  /** SQNR vs bits per element: TradeoffData */
  tradeoff: 'tradeoff',
  /** W-format × A-format matmul error, with and without the transform: MatmulTableData */
  matmul: 'matmul',
  /** error with and without keeping the top quantile in bf16: OutlierSplitData */
  outlierSplit: 'outlierSplit',
  /** LoRC error vs rank (started by the user): LorcData */
  lorc: 'lorc',
  /** x̂ of the hovered / focused heatmap element under each compared format: ElementProbeData */
  probe: 'elementProbe',
} as const;

/** The heatmap element the readout asks about (AnalysisSlice.probe): real tensor indices. */
export interface ElementProbeRequest {
  /** which heatmap: the tensor as is, or after the transform */
  side: 'before' | 'after';
  /** 'w': the SmoothQuant weight heatmaps (W before, W' after the config's transform); absent: the analysed tensor */
  tensor?: 'w';
  row: number;
  col: number;
}

export interface ElementProbeData extends ElementProbe {
  side: 'before' | 'after';
  tensor?: 'w';
  /** the transform x̂ went through ('none' when the view shows the tensor as is) */
  transform: string;
}

export interface WeightHeatmapData {
  heatmap: HeatmapCompareResult;
  /** [rows, cols] of W */
  shape: [number, number];
  name: string;
}

export interface TradeoffData {
  points: TradeoffPoint[];
  transform: string;
  /** the tensor and scale option the points are for (config.ts tensorText): a dimmed result keeps its own caption */
  tensor: string;
  scale: string;
}

export interface MatmulRow {
  /** e.g. "W4A8" */
  tag: string;
  wFormat: FormatId;
  xFormat: FormatId;
  /** 'none' or the transform text */
  transform: string;
  matmul: Metrics;
  x: Metrics;
  w: Metrics;
  /** bits per element of W and of X (incl. scales) */
  wBits: number;
  xBits: number;
}

export interface MatmulTableData {
  rows: MatmulRow[];
  /** Y is [tokens, outFeatures]: the first rows of X and W (the whole tensors are quantized) */
  tokens: number;
  outFeatures: number;
  channels: number;
  weightName: string;
  /** X (config.ts tensorText) and the granularity both were quantized at, for the caption of a dimmed result */
  tensor: string;
  granularity: string;
}

export interface OutlierSplitRow {
  format: FormatId;
  label: string;
  without: Metrics;
  with: Metrics;
  bitsWithout: number;
  /** bits with the bf16 side tensor (value + index per kept element) */
  bitsWith: number;
  keptFraction: number;
}

export interface OutlierSplitData {
  quantile: number;
  rows: OutlierSplitRow[];
  /** the tensor and options these rows are for (config.ts tensorText, optionsText), for the caption of a dimmed result */
  tensor: string;
  options: string;
}

export interface LorcData {
  format: FormatId;
  weightName: string;
  /** [rows, cols] of W */
  shape: [number, number];
  ranks: number[];
  relErr: number[];
  sqnrDb: number[];
  extraBytes: number[];
  ms: number;
  /** LoRC workers that shared the decomposition */
  workers: number;
}
