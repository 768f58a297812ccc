/**
 * Max-|x| pooling of a row-major [rows, cols] tensor onto a coarser grid
 * (ARCHITECTURE rule 7): each output cell holds the element of largest
 * magnitude among the elements it covers, sign kept, never an average, so a
 * single outlier survives any downsampling. Every element of the viewport
 * belongs to exactly one cell. Ties keep the first element in row-major order;
 * NaN never wins (a cell of only NaN stays NaN); ±Inf wins.
 */
import { poolBandSimd, poolBandSimdFor } from './poolBandSimd.ts';

/** Half-open index ranges of the 2-D view: rows [row0, row1), cols [col0, col1). */
export interface Viewport {
  row0: number;
  row1: number;
  col0: number;
  col1: number;
}

export interface PooledGrid {
  /** signed value of the largest-|v| element of each cell, row-major [outRows, outCols] */
  values: Float32Array;
  /** flat index (r·cols + c in the full tensor) of that element; 0xFFFFFFFF for an all-NaN cell */
  index: Uint32Array;
  outRows: number;
  outCols: number;
  /** [rows, cols] of the tensor pooled (a view keeps drawing a grid on its own tensor's axes while another tensor loads) */
  shape: readonly [number, number];
  viewport: Viewport;
  /** cell k covers rows [rowStarts[k], rowStarts[k + 1]) (real tensor indices) */
  rowStarts: Int32Array;
  colStarts: Int32Array;
  /**
   * max |value| over the grid's finite values (NaN and ±∞ ignored: one infinite element must not
   * turn every other cell of a colour scale [0, absMax] into its bottom colour; 0 when none)
   */
  absMax: number;
  /** the tensor rows [start, end) pooled when only a row slice was (poolMaxAbs with `slice`); absent: all rows */
  pooledRows?: [number, number];
}

export const NO_INDEX = 0xffffffff;

export function fullViewport(rows: number, cols: number): Viewport {
  return { row0: 0, row1: rows, col0: 0, col1: cols };
}

/** Clamps a viewport into [0, rows] × [0, cols] with at least one element each way. */
export function clampViewport(v: Viewport, rows: number, cols: number): Viewport {
  const clamp1 = (a0: number, a1: number, n: number): [number, number] => {
    let s = Math.max(0, Math.min(n - 1, Math.floor(a0)));
    let e = Math.max(s + 1, Math.min(n, Math.ceil(a1)));
    if (e > n) { e = n; s = Math.max(0, n - 1); }
    return [s, e];
  };
  const [row0, row1] = clamp1(v.row0, v.row1, rows);
  const [col0, col1] = clamp1(v.col0, v.col1, cols);
  return { row0, row1, col0, col1 };
}

/**
 * Cell boundaries for pooling [start, end) into `cells` cells (cells is clamped
 * to [1, end − start]): boundary k = start + floor(k·len / cells). Length cells + 1.
 */
export function cellStarts(start: number, end: number, cells: number): Int32Array {
  const len = end - start;
  const n = Math.max(1, Math.min(cells, len));
  const b = new Int32Array(n + 1);
  for (let k = 0; k <= n; k++) b[k] = start + Math.floor((k * len) / n);
  return b;
}

/** The rows a pooled array holds when it is a slice of the tensor: rows [rowStart, rowStart + rows). */
export interface RowSlice {
  rowStart: number;
  rows: number;
}

export type PoolMode =
  /** v = x */
  | 'value'
  /** v = x̂ − x (signed error) */
  | 'error'
  /** v = (x̂ − x) / |x|; 0 where both are 0, ±Inf where only x is 0 */
  | 'relError';

/**
 * Per-column and per-row max |x| of the rows pooled (channelStats.ts channelAbsMax's values: NaN
 * ignored, 0 for an all-NaN or empty line), made in the pooling pass instead of a second read.
 */
export interface ChannelAbsMaxOut {
  /** length cols */
  col: Float32Array;
  /** length of the rows pooled (the slice's, or all rows), indexed from its first row */
  row: Float32Array;
}

/** True when pooling `viewport` reads every element of rows [s0, s1) of a [rows, cols] tensor (all columns). */
export function viewportCoversRows(viewport: Viewport, rows: number, cols: number, s0 = 0, s1 = rows): boolean {
  const vp = clampViewport(viewport, rows, cols);
  return vp.col0 === 0 && vp.col1 === cols && vp.row0 <= s0 && vp.row1 >= s1;
}

/**
 * Pools `x` (or the error of `xhat` against x) over `viewport` onto an
 * outRows × outCols grid (each clamped to the viewport size, so the grid is
 * never finer than the data). `x` is row-major [rows, cols].
 * With `absMaxOut` (mode 'value', a viewport covering all columns and every row pooled:
 * viewportCoversRows), also fills the channel absmax of those rows in the same pass.
 */
export function poolMaxAbs(
  x: Float32Array, rows: number, cols: number, viewport: Viewport,
  outRows: number, outCols: number, mode: PoolMode = 'value', xhat?: Float32Array, slice?: RowSlice,
  absMaxOut?: ChannelAbsMaxOut,
): PooledGrid {
  const s0 = slice?.rowStart ?? 0;
  const s1 = slice ? s0 + slice.rows : rows;
  if (s0 < 0 || s1 > rows || s0 > s1) throw new Error(`poolMaxAbs: rows [${s0}, ${s1}) are not rows of a [${rows}, ${cols}] tensor`);
  if (x.length < (s1 - s0) * cols) throw new Error(`poolMaxAbs: data has ${x.length} values, shape needs ${(s1 - s0) * cols}`);
  if (mode !== 'value' && (!xhat || xhat.length !== x.length)) throw new Error(`poolMaxAbs: mode "${mode}" needs xhat of the same length as x`);
  const vp = clampViewport(viewport, rows, cols);
  if (absMaxOut && (mode !== 'value' || !viewportCoversRows(vp, rows, cols, s0, s1)
    || absMaxOut.col.length !== cols || absMaxOut.row.length !== s1 - s0)) {
    throw new Error('poolMaxAbs: channel absmax needs mode "value", a viewport of every pooled element and outputs of cols and pooled rows');
  }
  const rowStarts = cellStarts(vp.row0, vp.row1, outRows);
  const colStarts = cellStarts(vp.col0, vp.col1, outCols);
  const oR = rowStarts.length - 1;
  const oC = colStarts.length - 1;
  const values = new Float32Array(oR * oC).fill(NaN);
  const index = new Uint32Array(oR * oC).fill(NO_INDEX);
  const { col0, col1 } = vp;
  const w = col1 - col0;
  /** per column of the viewport: max |v| over the band's rows so far (NaN skipped; −1: none yet) */
  const colBest = new Float64Array(w);
  /** the first row of the band where colBest was reached */
  const colRow = new Int32Array(w);
  const scratch = mode === 'value' ? x : new Float32Array(w);
  const h = xhat as Float32Array;
  // Per band of rows: each column's max |v| and the first row reaching it (strict >, so NaN never wins
  // and ties keep the earlier row); a cell's element is the first in row-major order reaching the cell's
  // max: the smallest (row, column) among its columns whose max equals the cell's.
  // x holds rows [s0, s1): element (r, c) is at (r − s0)·cols + c; reported indices are the whole tensor's
  const shift = s0 * cols;
  // the SIMD band: the viewport's columns, or (a width not a multiple of 4, e.g. zoomed in) the next
  // multiple of 4 starting `lead` columns left of col0 so it stays in the tensor; the extra columns'
  // maxima are not read. Not widened with absMaxOut, whose row maxima cover the band's columns.
  let simdW = 0, lead = 0;
  if (mode !== 'relError') {
    const w4 = (w + 3) & ~3;
    if (poolBandSimdFor(w)) simdW = w;
    else if (!absMaxOut && w4 <= cols && poolBandSimdFor(w4)) { simdW = w4; lead = Math.max(0, col0 + w4 - cols); }
  }
  // The loops live in small helpers called once per band: one long function holding them all ran
  // them in on-stack-replaced code that V8 threw away each time an inner loop exited ("exit from
  // OSR'd inner loop": ~300 deopts and ~40 ms TurboFan compiles per 4096² heatmap in Chromium).
  for (let i = 0; i < oR; i++) {
    const r0 = Math.max(rowStarts[i], s0), r1 = Math.min(rowStarts[i + 1], s1);
    if (r0 >= r1) continue; // a cell row outside the slice stays NaN (mergePooledGrids fills it)
    let best: Float32Array | Float64Array = colBest;
    let bestRow: Int32Array = colRow;
    if (simdW) {
      // the same column maxima and rows (and row maxima) in WebAssembly SIMD
      const k = poolBandSimd(x, cols, s0, col0 - lead, simdW, r0, r1, absMaxOut?.row, mode === 'error' ? h : undefined);
      best = lead ? k.best.subarray(lead) : k.best;
      bestRow = lead ? k.bestRow.subarray(lead) : k.bestRow;
    } else if (absMaxOut) {
      bandColumnMaxWithRows(x, cols, shift, s0, w, r0, r1, colBest, colRow, absMaxOut.row);
    } else {
      bandColumnMax(x, h, cols, shift, col0, w, r0, r1, mode, scratch as Float32Array, colBest, colRow);
    }
    if (absMaxOut) foldMax(absMaxOut.col, best, w);
    cellRowOfBand(x, h, mode, cols, shift, col0, colStarts, oC, r1, best, bestRow, values, index, i * oC);
  }
  const grid: PooledGrid = { values, index, outRows: oR, outCols: oC, shape: [rows, cols], viewport: vp, rowStarts, colStarts, absMax: absMaxOf(values) };
  if (slice) grid.pooledRows = [s0, s1];
  return grid;
}

/**
 * Max |x| of each column of the band rows [r0, r1) into colBest (−1 where none yet) and the first
 * row reaching it into colRow, plus each row's max |x| into rowOut (indexed from row s0). NaN is
 * ignored (a > m is false for NaN); ties keep the earlier row (strict >).
 */
function bandColumnMaxWithRows(
  x: Float32Array, cols: number, shift: number, s0: number, w: number, r0: number, r1: number,
  colBest: Float64Array, colRow: Int32Array, rowOut: Float32Array,
): void {
  colBest.fill(-1);
  for (let r = r0; r < r1; r++) {
    const base = r * cols - shift;
    let m = 0;
    for (let c = 0; c < w; c++) {
      const a = Math.abs(x[base + c]);
      if (a > colBest[c]) {
        colBest[c] = a;
        colRow[c] = r;
      }
      if (a > m) m = a;
    }
    rowOut[r - s0] = m;
  }
}

/** bandColumnMaxWithRows's column maxima of the pooled quantity of `mode` over columns [col0, col0 + w), without row maxima. */
function bandColumnMax(
  x: Float32Array, h: Float32Array, cols: number, shift: number, col0: number, w: number, r0: number, r1: number,
  mode: PoolMode, scratch: Float32Array, colBest: Float64Array, colRow: Int32Array,
): void {
  colBest.fill(-1);
  const rel = mode === 'relError';
  for (let r = r0; r < r1; r++) {
    const base = r * cols + col0 - shift;
    const src = mode === 'value' ? x : errorRow(x, h, base, w, rel, scratch);
    const off = mode === 'value' ? base : 0;
    for (let c = 0; c < w; c++) {
      const a = Math.abs(src[off + c]);
      if (a > colBest[c]) {
        colBest[c] = a;
        colRow[c] = r;
      }
    }
  }
}

/** max |v| over the finite `values` (NaN and ±∞ ignored; 0 when none) */
function absMaxOf(values: Float32Array): number {
  let absMax = 0;
  for (let k = 0; k < values.length; k++) {
    const a = Math.abs(values[k]);
    if (a > absMax && a < Infinity) absMax = a;
  }
  return absMax;
}

/** out[c] = max(out[c], best[c]) for c < w. */
function foldMax(out: Float32Array, best: Float32Array | Float64Array, w: number): void {
  for (let c = 0; c < w; c++) if (best[c] > out[c]) out[c] = best[c];
}

/**
 * One row of cells from a band's column maxima: per cell of columns [colStarts[j], colStarts[j + 1])
 * the first element in row-major order reaching the cell's max (the smallest (row, column) among its
 * columns whose max equals it) into values[o + j] and index[o + j]; an all-NaN cell is left as is.
 */
function cellRowOfBand(
  x: Float32Array, h: Float32Array, mode: PoolMode, cols: number, shift: number, col0: number,
  colStarts: Int32Array, oC: number, r1: number, best: Float32Array | Float64Array, bestRow: Int32Array,
  values: Float32Array, index: Uint32Array, o: number,
): void {
  for (let j = 0; j < oC; j++) {
    const c0 = colStarts[j] - col0, c1 = colStarts[j + 1] - col0;
    let m = -1, bestR = r1, bestC = -1;
    for (let c = c0; c < c1; c++) {
      const b = best[c];
      if (b > m || (b === m && b >= 0 && bestRow[c] < bestR)) {
        m = b;
        bestR = bestRow[c];
        bestC = c;
      }
    }
    if (bestC < 0) continue;
    const k = bestR * cols + col0 + bestC;
    values[o + j] = elementOf(x, h, k - shift, mode);
    index[o + j] = k;
  }
}

/** The pooled quantity of element k, as errorRow computes it (float32). */
function elementOf(x: Float32Array, xhat: Float32Array, k: number, mode: PoolMode): number {
  if (mode === 'value') return x[k];
  const d = xhat[k] - x[k];
  if (mode === 'error') return Math.fround(d);
  return d === 0 ? 0 : Math.fround(d / Math.abs(x[k]));
}

/** Signed error x̂ − x (or (x̂ − x)/|x|) of one row segment, rounded to float32, into `out`. */
function errorRow(x: Float32Array, xhat: Float32Array, base: number, w: number, rel: boolean, out: Float32Array): Float32Array {
  if (rel) {
    for (let c = 0; c < w; c++) {
      const xv = x[base + c];
      const d = xhat[base + c] - xv;
      out[c] = d === 0 ? 0 : d / Math.abs(xv);
    }
  } else {
    for (let c = 0; c < w; c++) out[c] = xhat[base + c] - x[base + c];
  }
  return out;
}

/**
 * Merges grids pooled over the same viewport and cells from disjoint row slices (poolMaxAbs with
 * `slice`) into the grid of the whole tensor: per cell the value of largest magnitude, ties to the
 * smaller flat index (the first in row-major order), as poolMaxAbs over the whole tensor gives.
 * The merge is written into the first grid's arrays (the parts are consumed): a row of cells that
 * only one other slice's rows reach is copied from that grid whole, and cells are compared one by
 * one only in the rows of cells two slices share (one per boundary). It runs once per change on the
 * main thread, where it is cold code, and fresh pages for a new 1 MiB grid cost ~3 ms there.
 */
export function mergePooledGrids(parts: readonly PooledGrid[]): PooledGrid {
  const first = parts[0];
  const { outRows: oR, outCols: oC, rowStarts, values, index } = first;
  for (const p of parts) {
    if (p.values.length !== values.length || p.outCols !== oC) throw new Error('mergePooledGrids: the grids have different cells');
  }
  const reach = (p: PooledGrid, i: number) => !p.pooledRows || (p.pooledRows[0] < rowStarts[i + 1] && p.pooledRows[1] > rowStarts[i]);
  for (let i = 0; i < oR; i++) {
    const o = i * oC;
    const others = parts.filter((p, k) => k > 0 && reach(p, i));
    if (others.length === 0) continue;
    if (others.length === 1 && !reach(first, i)) {
      values.set(others[0].values.subarray(o, o + oC), o);
      index.set(others[0].index.subarray(o, o + oC), o);
      continue;
    }
    for (const p of others) {
      for (let k = o; k < o + oC; k++) {
        const ik = p.index[k];
        if (ik === NO_INDEX) continue;
        const a = Math.abs(p.values[k]), b = index[k] === NO_INDEX ? -1 : Math.abs(values[k]);
        if (a > b || (a === b && ik < index[k])) {
          values[k] = p.values[k];
          index[k] = ik;
        }
      }
    }
  }
  // the largest |value| of the merge is the largest of the parts' (each cell keeps its parts' largest)
  let absMax = 0;
  for (const p of parts) if (p.absMax > absMax) absMax = p.absMax;
  const { pooledRows: _slice, ...whole } = first;
  return { ...whole, values, index, absMax };
}
