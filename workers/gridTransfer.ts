/**
 * Heatmap replies go to the main thread with their pooled grids' buffers
 * transferred, not cloned: a structured clone of the two 256×512 grids of a
 * before/after reply (2 MiB) took 8–15 ms of the main thread in Chromium 156
 * on this project's test machine, a lost frame on every pan or zoom step.
 * A grid the worker keeps (the cached "before" side) is copied first, which
 * costs the worker well under a millisecond; the small arrays (bars, profiles,
 * cell starts) stay cloned.
 */
import { transfer } from 'comlink';
import type { PooledGrid } from '../src/core/stats/pooling.ts';
import type { ErrorHeatmapResult, HeatmapCompareResult, HeatmapSide } from '../src/core/analysis/types.ts';

/** A side the worker keeps, with a copy of its grid that can be transferred. */
export const sideToSend = (s: HeatmapSide): HeatmapSide => ({ ...s, grid: { ...s.grid, values: s.grid.values.slice(), index: s.grid.index.slice() } });

export const gridBuffers = (g: PooledGrid): ArrayBuffer[] => [g.values.buffer as ArrayBuffer, g.index.buffer as ArrayBuffer];

/** `r` for transfer; its before side is the worker's cached one, so that grid is copied. */
export function transferCompare(r: HeatmapCompareResult): HeatmapCompareResult {
  const before = sideToSend(r.before);
  const buffers = gridBuffers(before.grid);
  if (r.after) buffers.push(...gridBuffers(r.after.grid));
  return transfer({ ...r, before }, buffers);
}

/** A freshly pooled error heatmap, its grid transferred. */
export function transferErrorHeatmap(r: ErrorHeatmapResult): ErrorHeatmapResult {
  return transfer(r, gridBuffers(r.grid));
}
