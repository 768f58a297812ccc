/**
 * Shapes of the job results the scheduler puts in the results slice
 * (results[JOB.x].data). Plain data: numbers and small typed arrays.
 */
import type { BlockViewResult } from '../core/explorer/blockView.ts';
import type { FormatId } from '../core/formats/registry.ts';
import type { TensorSummary } from '../core/samples/tensorStats.ts';
import type { Metrics } from '../core/stats/metrics.ts';

/** Job names: keys of the results slice. */
export const JOB = {
  tensor: 'tensor',
  metrics: 'metrics',
  block: 'block',
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

export interface MetricsData {
  rows: FormatMetrics[];
}

export interface BlockViewData extends BlockViewResult {
  row: number;
  block: number;
  col: number;
  blocksPerRow: number;
  format: FormatId;
}
