/**
 * Heatmap jobs: max-|x|-pooled grids over a viewport (ARCHITECTURE rule 7),
 * channel bars on the same cells, and before/after pairs sharing one viewport
 * and one colour domain (rule 8).
 */
import type { Tensor2D } from '../tensor.ts';
import type { QuantizeResult } from '../quant/types.ts';
import { poolMaxAbs, viewportCoversRows, type PooledGrid, type Viewport } from '../stats/pooling.ts';
import { markCells, poolProfileMax } from '../stats/channelGrid.ts';
import { channelAbsMax, maxMedianRatio, outlierChannels, type OutlierRule } from '../stats/channelStats.ts';
import type { ChannelProfile, ErrorHeatmapResult, ErrorMode, HeatmapCompareResult, HeatmapSide } from './types.ts';

export const DEFAULT_OUTLIER_RULE: OutlierRule = { kind: 'sigma', k: 6 };

/** Channel absmax profiles, outlier columns and max/median ratios of the whole tensor. */
export function channelProfile(x: Tensor2D, rule: OutlierRule = DEFAULT_OUTLIER_RULE): ChannelProfile {
  const { col, row } = channelAbsMax(x.data, x.rows, x.cols);
  return profileFromAbsMax(col, row, rule);
}

/** The channel profile from the whole tensor's column and row absmax (channelAbsMax, or merged slices). */
export function profileFromAbsMax(colAbsMax: Float32Array, rowAbsMax: Float32Array, rule: OutlierRule = DEFAULT_OUTLIER_RULE): ChannelProfile {
  const out = outlierChannels(colAbsMax, rule);
  return {
    colAbsMax,
    rowAbsMax,
    outlierCols: out.indices,
    outlierThreshold: out.threshold,
    colMaxMedianRatio: maxMedianRatio(colAbsMax),
    rowMaxMedianRatio: maxMedianRatio(rowAbsMax),
  };
}

/**
 * Pooled |x| grid plus channel bars for one tensor. `profile` may be passed in when cached; else it
 * is made in the pooling pass when the viewport covers the tensor, or by its own pass (channelProfile).
 */
export function heatmapSide(
  x: Tensor2D, viewport: Viewport, outRows: number, outCols: number,
  rule: OutlierRule = DEFAULT_OUTLIER_RULE, profile?: ChannelProfile,
): HeatmapSide {
  if (!profile && viewportCoversRows(viewport, x.rows, x.cols)) {
    const out = { col: new Float32Array(x.cols), row: new Float32Array(x.rows) };
    const grid = poolMaxAbs(x.data, x.rows, x.cols, viewport, outRows, outCols, 'value', undefined, undefined, out);
    return sideFromGrid(grid, profileFromAbsMax(out.col, out.row, rule));
  }
  return sideFromGrid(poolMaxAbs(x.data, x.rows, x.cols, viewport, outRows, outCols), profile ?? channelProfile(x, rule));
}

/** A side from its pooled grid and profile: the bars on the grid's cells and the outlier cells. */
export function sideFromGrid(grid: PooledGrid, profile: ChannelProfile): HeatmapSide {
  const vp = grid.viewport;
  const colBars = poolProfileMax(profile.colAbsMax, vp.col0, vp.col1, grid.outCols);
  const rowBars = poolProfileMax(profile.rowAbsMax, vp.row0, vp.row1, grid.outRows);
  return { grid, colBars, rowBars, outlierCells: markCells(colBars.starts, profile.outlierCols), profile };
}

/**
 * [min positive, max] over the finite bar values of all `profiles` (NaN and ±∞ cells skipped: a
 * channel holding an infinite element draws to the end of the axis): one domain for compared bar
 * charts; [0, 1] when no finite value is positive.
 */
export function sharedBarDomain(...profiles: (ArrayLike<number> | undefined)[]): [number, number] {
  let lo = Infinity, hi = 0;
  for (const values of profiles) {
    if (!values) continue;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (!(v < Infinity)) continue;
      if (v > 0 && v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return lo <= hi ? [lo, hi] : [0, 1];
}

/**
 * Before/after heatmaps of a transform (after = X' in the transformed space)
 * over the same viewport, with one colour domain and one bar domain. The two
 * tensors must have the same shape.
 */
export function compareHeatmaps(
  before: Tensor2D, after: Tensor2D | undefined, viewport: Viewport, outRows: number, outCols: number,
  rule: OutlierRule = DEFAULT_OUTLIER_RULE,
): HeatmapCompareResult {
  if (after && (after.rows !== before.rows || after.cols !== before.cols)) {
    throw new Error(`before/after shapes differ: [${before.rows}, ${before.cols}] vs [${after.rows}, ${after.cols}]`);
  }
  const b = heatmapSide(before, viewport, outRows, outCols, rule);
  const a = after ? heatmapSide(after, viewport, outRows, outCols, rule) : undefined;
  return combineSides(b, a);
}

/**
 * One before/after result from two sides pooled over the same viewport and
 * cells (callers that cache a side, e.g. the worker's unchanged "before"):
 * one colour domain [0, max |x|] and one bar domain over both for the column
 * bars, one for the row bars.
 */
export function combineSides(b: HeatmapSide, a?: HeatmapSide): HeatmapCompareResult {
  const max = Math.max(b.grid.absMax, a?.grid.absMax ?? 0);
  return {
    before: b, after: a, colourDomain: [0, max > 0 ? max : 1],
    barDomain: sharedBarDomain(b.colBars.values, a?.colBars.values),
    rowBarDomain: sharedBarDomain(b.rowBars.values, a?.rowBars.values),
  };
}

/**
 * The error grid divided cell by cell by the max |x| of the same cell (both
 * grids pooled over the same viewport and cells): (x̂ − x)/max|x| in float32,
 * 0 where both are 0. absMax is taken over finite values.
 */
function cellRelative(err: PooledGrid, mag: PooledGrid): PooledGrid {
  const values = new Float32Array(err.values.length);
  let absMax = 0;
  for (let k = 0; k < values.length; k++) {
    const e = err.values[k], m = Math.abs(mag.values[k]);
    const v = e === 0 ? 0 : e / m;
    values[k] = v;
    const a = Math.abs(values[k]);
    if (a > absMax && a !== Infinity) absMax = a;
  }
  return { ...err, values, absMax };
}

/**
 * Pooled signed error of x̂ against x over a viewport ('abs': x̂ − x; 'rel':
 * (x̂ − x)/|x|; 'cellRel': x̂ − x over the cell's max |x|; see ErrorMode), plus saturated counts per cell when the quantizer reported
 * per-block counts (blocks of `blockSize` along each row).
 */
export function errorHeatmap(
  x: Tensor2D, q: Pick<QuantizeResult, 'xhat' | 'saturatedPerBlock' | 'blocksPerRow'>, viewport: Viewport,
  outRows: number, outCols: number, mode: ErrorMode = 'abs', blockSize?: number,
): ErrorHeatmapResult {
  const grid = mode === 'cellRel'
    ? cellRelative(poolMaxAbs(x.data, x.rows, x.cols, viewport, outRows, outCols, 'error', q.xhat), poolMaxAbs(x.data, x.rows, x.cols, viewport, outRows, outCols, 'value'))
    : poolMaxAbs(x.data, x.rows, x.cols, viewport, outRows, outCols, mode === 'abs' ? 'error' : 'relError', q.xhat);
  const res: ErrorHeatmapResult = { grid, mode };
  if (q.saturatedPerBlock && q.blocksPerRow && blockSize) {
    res.saturatedCells = saturatedPerCell(q.saturatedPerBlock, q.blocksPerRow, blockSize, x.cols, grid.rowStarts, grid.colStarts);
    const vp = grid.viewport;
    let n = 0;
    const b0 = Math.floor(vp.col0 / blockSize), b1 = Math.min(q.blocksPerRow, Math.ceil(vp.col1 / blockSize));
    for (let r = vp.row0; r < vp.row1; r++) for (let b = b0; b < b1; b++) n += q.saturatedPerBlock[r * q.blocksPerRow + b];
    res.saturatedInView = n;
  }
  return res;
}

/** Adds the counts of one row's blocks (perBlock[rowBase + b]) to the cells out[o + j] each block overlaps. */
function addRowBlocks(
  out: Uint32Array, o: number, perBlock: Uint16Array, rowBase: number, blocksPerRow: number, blockSize: number, cols: number,
  colStarts: Int32Array,
): void {
  const oC = colStarts.length - 1;
  const c1 = colStarts[oC];
  let j = 0;
  for (let b = Math.floor(colStarts[0] / blockSize); b < blocksPerRow && b * blockSize < c1; b++) {
    const n = perBlock[rowBase + b];
    if (!n) continue;
    const bs = b * blockSize, be = Math.min(cols, bs + blockSize);
    while (j < oC && colStarts[j + 1] <= bs) j++;
    for (let jj = j; jj < oC && colStarts[jj] < be; jj++) out[o + jj] += n;
  }
}

/**
 * Adds each block's saturated count to the cells the block overlaps in
 * [rowStarts] × [colStarts] (a block spanning two cells counts in both).
 */
export function saturatedPerCell(
  perBlock: Uint16Array, blocksPerRow: number, blockSize: number, cols: number,
  rowStarts: Int32Array, colStarts: Int32Array,
): Uint32Array {
  const oR = rowStarts.length - 1, oC = colStarts.length - 1;
  const out = new Uint32Array(oR * oC);
  // one call per row: the nested loops in one function ran in on-stack-replaced code that V8
  // deoptimized at every exit of the inner loop (~900 deopts while loading a 4096² view)
  for (let i = 0; i < oR; i++) {
    for (let r = rowStarts[i]; r < rowStarts[i + 1]; r++) addRowBlocks(out, i * oC, perBlock, r * blocksPerRow, blocksPerRow, blockSize, cols, colStarts);
  }
  return out;
}
