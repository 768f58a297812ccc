/**
 * Pure readings of the config for the analysis view (issue 5), shared by the
 * engine (job keys) and the panel adapters: which transform the before/after
 * view runs, which weight pairs with the analysed tensor, the heatmap viewport.
 */
import { parseTransform, transformNeedsPair, type Transform } from '../core/transforms/parse.ts';
import { isPrepable } from '../core/pipeline/transformPrep.ts';
import { clampViewport, type Viewport } from '../core/stats/pooling.ts';
import type { Config } from './config.ts';

export function safeTransform(text: string): Transform | null {
  try {
    return parseTransform(text);
  } catch {
    return null;
  }
}

/** The transform the prepared path runs: AWQ/SVDQuant (runPipeline only) show the tensor as is. */
export function viewTransform(c: Pick<Config, 'transform'>): string {
  const t = safeTransform(c.transform);
  return t && isPrepable(t) ? c.transform : 'none';
}

export function needsPair(text: string): boolean {
  const t = safeTransform(text);
  return t !== null && transformNeedsPair(t);
}

/**
 * Identity of the weight W paired with the analysed tensor X: for samples the
 * Linear weight sample of the same size and seed (it shares the outlier
 * channels); for files the tensor picked as `weight-tensor` (null when none).
 */
export function pairKey(c: Pick<Config, 'file' | 'size' | 'sampleSeed' | 'weightTensor'>): string | null {
  if (c.file === null) return `sample:weight:${c.size}:${c.sampleSeed}`;
  return c.weightTensor === null ? null : `file:${c.file}:${c.weightTensor}`;
}

/** What the user must do when a pair transform has no weight. */
export const PAIR_MISSING =
  'This transform needs an activation X and a weight W: pick the weight under Tensor → "Weight (for pair transforms)".';

/** The requested viewport inside a [rows, cols] tensor (null edges = the full extent; bad edges fall back to it). */
export function configViewport(c: Pick<Config, 'r0' | 'r1' | 'c0' | 'c1'>, rows: number, cols: number): Viewport {
  const r0 = c.r0 ?? 0, c0 = c.c0 ?? 0;
  const r1 = c.r1 !== null && c.r1 > r0 ? c.r1 : rows;
  const c1 = c.c1 !== null && c.c1 > c0 ? c.c1 : cols;
  return clampViewport({ row0: r0, row1: r1, col0: c0, col1: c1 }, rows, cols);
}

/** The viewport as config fields; the full extent is stored as nulls (so it is omitted from links). */
export function viewportPatch(v: Viewport, rows: number, cols: number): Pick<Config, 'r0' | 'r1' | 'c0' | 'c1'> {
  const full = v.row0 === 0 && v.row1 === rows && v.col0 === 0 && v.col1 === cols;
  return full ? { r0: null, r1: null, c0: null, c1: null } : { r0: v.row0, r1: v.row1, c0: v.col0, c1: v.col1 };
}

/** Identity of a LoRC curve: the weight, the focused format and the quantization options. */
export function lorcKey(c: Config): string {
  const weight = c.file === null ? `sample:weight:${c.size}:${c.sampleSeed}` : `file:${c.file}:${c.weightTensor ?? c.tensor ?? ''}`;
  return `${weight}#lorc#${c.format}#${[c.granularity, c.scale, c.scaleRule, c.clip ?? '', c.rounding, c.seed].join('|')}`;
}
