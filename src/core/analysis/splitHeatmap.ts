/**
 * A heatmap side computed in row slices (one per worker) and merged: each
 * slice gives its column absmax, its rows' absmax and its part of the pooled
 * grid (pooling.ts poolMaxAbs with `slice`); the merge gives exactly the side
 * heatmapSide computes over the whole tensor (same cells, same values, same
 * indices, same profile), so a transform's X' can be made and pooled by every
 * worker on the rows it holds.
 */
import type { Viewport } from '../stats/pooling.ts';
import { mergePooledGrids, poolMaxAbs, viewportCoversRows, type PooledGrid } from '../stats/pooling.ts';
import { channelAbsMax, type OutlierRule } from '../stats/channelStats.ts';
import type { HeatmapSide } from './types.ts';
import { DEFAULT_OUTLIER_RULE, profileFromAbsMax, sideFromGrid } from './heatmap.ts';

/** One row slice's share of a heatmap side: rows [rowStart, rowStart + rowAbsMax.length). */
export interface HeatmapSidePart {
  rowStart: number;
  /** max |x[:, j]| over the slice's rows, per column (length cols) */
  colAbsMax: Float32Array;
  /** max |x[i, :]| of each of the slice's rows */
  rowAbsMax: Float32Array;
  /** the slice's elements pooled onto the whole viewport's cells (cells outside the slice: NaN) */
  grid: PooledGrid;
}

/**
 * The part of rows [rowStart, rowStart + data.length / cols) of a [rows, cols]
 * tensor: `data` holds just those rows.
 */
export function heatmapSidePart(
  data: Float32Array, rowStart: number, rows: number, cols: number, viewport: Viewport, outRows: number, outCols: number,
): HeatmapSidePart {
  const sliceRows = cols > 0 ? Math.floor(data.length / cols) : 0;
  const slice = { rowStart, rows: sliceRows };
  if (viewportCoversRows(viewport, rows, cols, rowStart, rowStart + sliceRows)) {
    // the whole view (a transform change's usual case): the absmax come from the pooling pass
    const out = { col: new Float32Array(cols), row: new Float32Array(sliceRows) };
    const grid = poolMaxAbs(data, rows, cols, viewport, outRows, outCols, 'value', undefined, slice, out);
    return { rowStart, colAbsMax: out.col, rowAbsMax: out.row, grid };
  }
  const { col, row } = channelAbsMax(data, sliceRows, cols);
  const grid = poolMaxAbs(data, rows, cols, viewport, outRows, outCols, 'value', undefined, slice);
  return { rowStart, colAbsMax: col, rowAbsMax: row, grid };
}

/** The side of the whole [rows, cols] tensor from the parts of slices that cover its rows exactly once. */
export function mergeHeatmapSideParts(parts: readonly HeatmapSidePart[], rows: number, rule: OutlierRule = DEFAULT_OUTLIER_RULE): HeatmapSide {
  if (parts.length === 0) throw new Error('mergeHeatmapSideParts: no parts');
  const cols = parts[0].colAbsMax.length;
  const colAbsMax = new Float32Array(cols);
  const rowAbsMax = new Float32Array(rows);
  let covered = 0;
  for (const p of parts) {
    if (p.colAbsMax.length !== cols) throw new Error('mergeHeatmapSideParts: the parts have different column counts');
    if (p.rowStart < 0 || p.rowStart + p.rowAbsMax.length > rows) throw new Error('mergeHeatmapSideParts: a part lies outside the tensor');
    for (let c = 0; c < cols; c++) if (p.colAbsMax[c] > colAbsMax[c]) colAbsMax[c] = p.colAbsMax[c];
    rowAbsMax.set(p.rowAbsMax, p.rowStart);
    covered += p.rowAbsMax.length;
  }
  if (covered !== rows) throw new Error(`mergeHeatmapSideParts: the parts cover ${covered} of ${rows} rows`);
  return sideFromGrid(mergePooledGrids(parts.map((p) => p.grid)), profileFromAbsMax(colAbsMax, rowAbsMax, rule));
}
