/**
 * View math for zoomable heatmaps: viewports are half-open index ranges
 * [row0, row1) × [col0, col1) of a [rows, cols] tensor, always whole numbers,
 * at least one element each way and inside the tensor.
 */
import type { Viewport } from '../core/stats/pooling.ts';

export type { Viewport };

function fit(start: number, len: number, n: number): [number, number] {
  const l = Math.max(1, Math.min(n, Math.round(len)));
  const s = Math.max(0, Math.min(n - l, Math.round(start)));
  return [s, s + l];
}

/** Fits a viewport into the tensor, keeping its size where possible. */
export function fitViewport(v: Viewport, rows: number, cols: number): Viewport {
  const [row0, row1] = fit(v.row0, v.row1 - v.row0, rows);
  const [col0, col1] = fit(v.col0, v.col1 - v.col0, cols);
  return { row0, row1, col0, col1 };
}

/**
 * Zooms by `factor` (> 1 zooms in) about an anchor given as fractions (0…1) of
 * the viewport's height and width (0.5, 0.5 = centre). Stops at one element.
 */
export function zoomViewport(v: Viewport, factor: number, rows: number, cols: number, anchorY = 0.5, anchorX = 0.5): Viewport {
  const h = v.row1 - v.row0, w = v.col1 - v.col0;
  const nh = Math.max(1, Math.min(rows, h / factor));
  const nw = Math.max(1, Math.min(cols, w / factor));
  const ay = v.row0 + anchorY * h, ax = v.col0 + anchorX * w;
  return fitViewport({ row0: ay - anchorY * nh, row1: ay - anchorY * nh + nh, col0: ax - anchorX * nw, col1: ax - anchorX * nw + nw }, rows, cols);
}

/** Moves by dRows, dCols elements (fractions are rounded), clamped to the tensor. */
export function panViewport(v: Viewport, dRows: number, dCols: number, rows: number, cols: number): Viewport {
  return fitViewport({ row0: v.row0 + dRows, row1: v.row1 + dRows, col0: v.col0 + dCols, col1: v.col1 + dCols }, rows, cols);
}

export function sameViewport(a: Viewport, b: Viewport): boolean {
  return a.row0 === b.row0 && a.row1 === b.row1 && a.col0 === b.col0 && a.col1 === b.col1;
}

/** Index of the cell containing `i`, for cell starts as pooling.ts makes them (−1 when outside). */
export function cellAt(starts: ArrayLike<number>, i: number): number {
  const n = starts.length - 1;
  if (n < 1 || !(i >= starts[0] && i < starts[n])) return -1; // also NaN
  let lo = 0, hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= i) lo = mid; else hi = mid - 1;
  }
  return lo;
}

/** The index ranges of a viewport in words: "rows 0–1023, columns 0–511" ("row 0" for a single row, likewise a column). */
export function viewportText(v: Viewport): string {
  const span = (a: number, b: number, one: string, many: string) => (b - a === 1 ? `${one} ${a}` : `${many} ${a}–${b - 1}`);
  return `${span(v.row0, v.row1, 'row', 'rows')}, ${span(v.col0, v.col1, 'column', 'columns')}`;
}
