/**
 * 1-D max pooling of a per-channel profile (e.g. column absmax) onto the same
 * cells as a pooled heatmap's column axis (pooling.ts cellStarts), so channel
 * bars line up with heatmap columns at any zoom. Max, never mean.
 */
import { cellStarts, NO_INDEX } from './pooling.ts';

export interface PooledProfile {
  /** max of v over each cell (NaN ignored; NaN for an all-NaN cell) */
  values: Float32Array;
  /** index into v of that maximum (first on ties); NO_INDEX for an all-NaN cell */
  index: Uint32Array;
  /** cell k covers [starts[k], starts[k + 1]) */
  starts: Int32Array;
}

/** Pools v[start:end] onto `cells` cells (clamped to [1, end − start]). */
export function poolProfileMax(v: ArrayLike<number>, start: number, end: number, cells: number): PooledProfile {
  const s0 = Math.max(0, Math.min(start, v.length - 1));
  const e0 = Math.max(s0 + 1, Math.min(end, v.length));
  const starts = cellStarts(s0, e0, cells);
  const n = starts.length - 1;
  const values = new Float32Array(n).fill(NaN);
  const index = new Uint32Array(n).fill(NO_INDEX);
  for (let k = 0; k < n; k++) {
    let best = -Infinity;
    for (let i = starts[k]; i < starts[k + 1]; i++) {
      const a = v[i];
      if (a > best || (best === -Infinity && a === -Infinity && index[k] === NO_INDEX)) {
        best = a; values[k] = a; index[k] = i;
      }
    }
  }
  return { values, index, starts };
}

/** Which cells contain at least one of `channels` (e.g. outlier indices): 1/0 per cell. */
export function markCells(starts: Int32Array, channels: ArrayLike<number>): Uint8Array {
  const n = starts.length - 1;
  const out = new Uint8Array(n);
  for (let i = 0; i < channels.length; i++) {
    const c = channels[i];
    if (c < starts[0] || c >= starts[n]) continue;
    // binary search for the cell k with starts[k] <= c < starts[k + 1]
    let lo = 0, hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= c) lo = mid; else hi = mid - 1;
    }
    out[lo] = 1;
  }
  return out;
}
