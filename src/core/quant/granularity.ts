/**
 * Scale groups of the scalar formats (DOMAIN.md §3). Every granularity is a grid
 * of rectangles over the 2-D view [rows, cols]:
 *   tensor      one group of rows × cols
 *   row         1 × cols per row
 *   column      rows × 1 per column
 *   group:G     1 × G runs along a row (the last run of a row may be shorter)
 *   block:RxC   R × C tiles (edge tiles may be smaller)
 * Groups are numbered row-major over that grid: g = groupRow · runsPerRow + run.
 */
import type { Granularity } from './options.ts';

export interface GroupLayout {
  rows: number;
  cols: number;
  /** columns per group (the last run of a row may be shorter) */
  runWidth: number;
  /** ceil(cols / runWidth): groups side by side in one row */
  runsPerRow: number;
  /** rows per group (the last group row may be shorter) */
  rowsPerGroup: number;
  /** ceil(rows / rowsPerGroup) */
  groupRows: number;
  /** groupRows · runsPerRow */
  numGroups: number;
}

export function groupLayout(g: Granularity, rows: number, cols: number): GroupLayout {
  let runWidth: number;
  let rowsPerGroup: number;
  switch (g.kind) {
    case 'tensor': runWidth = cols; rowsPerGroup = rows; break;
    case 'row': runWidth = cols; rowsPerGroup = 1; break;
    case 'column': runWidth = 1; rowsPerGroup = rows; break;
    case 'group': runWidth = g.size; rowsPerGroup = 1; break;
    case 'block': runWidth = g.cols; rowsPerGroup = g.rows; break;
  }
  runWidth = Math.max(1, Math.min(runWidth, cols));
  rowsPerGroup = Math.max(1, Math.min(rowsPerGroup, rows));
  const runsPerRow = cols === 0 ? 0 : Math.ceil(cols / runWidth);
  const groupRows = rows === 0 ? 0 : Math.ceil(rows / rowsPerGroup);
  return { rows, cols, runWidth, runsPerRow, rowsPerGroup, groupRows, numGroups: groupRows * runsPerRow };
}

/** Rectangle [r0, r1) × [c0, c1) of group `g` (row-major over the 2-D view). */
export function groupRect(L: GroupLayout, g: number): [number, number, number, number] {
  const gr = Math.floor(g / L.runsPerRow);
  const run = g - gr * L.runsPerRow;
  const r0 = gr * L.rowsPerGroup;
  const c0 = run * L.runWidth;
  return [r0, Math.min(L.rows, r0 + L.rowsPerGroup), c0, Math.min(L.cols, c0 + L.runWidth)];
}

/** Size (element count) of group `g`. */
export function groupSize(L: GroupLayout, g: number): number {
  const [r0, r1, c0, c1] = groupRect(L, g);
  return (r1 - r0) * (c1 - c0);
}
