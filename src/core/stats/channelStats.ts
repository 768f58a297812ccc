/**
 * Per-channel statistics of a row-major [rows, cols] tensor (DOMAIN.md §1:
 * columns are input channels / activation channels, rows are output
 * channels / tokens). NaN is ignored; ±Inf counts as an infinite magnitude.
 */

/** max |x[:, j]| for each column j; length cols. */
export function columnAbsMax(x: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(cols);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let c = 0; c < cols; c++) {
      const v = x[base + c];
      const a = Math.abs(v);
      if (a > out[c]) out[c] = a;
    }
  }
  return out;
}

/** max |x[i, :]| for each row i; length rows. */
export function rowAbsMax(x: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let m = 0;
    for (let c = 0; c < cols; c++) {
      const v = x[base + c];
      const a = Math.abs(v);
      if (a > m) m = a;
    }
    out[r] = m;
  }
  return out;
}

/** Column and row absmax in one pass (same values as columnAbsMax / rowAbsMax). */
export function channelAbsMax(x: Float32Array, rows: number, cols: number): { col: Float32Array; row: Float32Array } {
  const col = new Float32Array(cols);
  const row = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let m = 0;
    for (let c = 0; c < cols; c++) {
      const a = Math.abs(x[base + c]);
      if (a > col[c]) col[c] = a;
      if (a > m) m = a;
    }
    row[r] = m;
  }
  return { col, row };
}

/** Median of the non-NaN values (mean of the two middle ones for an even count); NaN when empty. */
export function median(values: ArrayLike<number>): number {
  // copied and sorted by builtins (a typed array sorts numerically, NaN last, without a comparator
  // call per pair): on the main thread this runs cold, once per heatmap side, where a JS copy loop
  // ran interpreted
  const sorted = Float64Array.from(values).sort();
  let n = sorted.length;
  while (n > 0 && Number.isNaN(sorted[n - 1])) n--;
  if (n === 0) return NaN;
  const h = n >> 1;
  return n % 2 ? sorted[h] : (sorted[h - 1] + sorted[h]) / 2;
}

/**
 * max / median of channel absmax values: how far the largest channel sticks
 * out (1 = flat). Infinity when the median is 0 and the max is not; NaN when empty.
 */
export function maxMedianRatio(absmax: ArrayLike<number>): number {
  let max = -Infinity;
  for (let i = 0; i < absmax.length; i++) if (absmax[i] > max) max = absmax[i];
  const med = median(absmax);
  if (Number.isNaN(med)) return NaN;
  if (med === 0) return max === 0 ? 1 : Infinity;
  return max / med;
}

/**
 * How to call a channel an outlier:
 *  - `sigma`: absmax > centre + k·spread. With `robust` (default) centre is the
 *    median and spread is 1.4826·MAD (the normal-consistent median absolute
 *    deviation), so the outliers themselves do not inflate the threshold;
 *    otherwise mean and standard deviation.
 *  - `topk`: the k largest channels (ties broken by lower index).
 */
export type OutlierRule =
  | { kind: 'sigma'; k: number; robust?: boolean }
  | { kind: 'topk'; k: number };

export interface OutlierChannels {
  /** channel indices, ordered by absmax descending (ties: lower index first) */
  indices: Uint32Array;
  /** the absmax threshold used (sigma rule), or the smallest selected absmax (topk; NaN if none) */
  threshold: number;
}

export function outlierChannels(absmax: ArrayLike<number>, rule: OutlierRule): OutlierChannels {
  const n = absmax.length;
  /** absmax descending, ties to the lower index */
  const byMagnitude = (a: number, b: number) => absmax[b] - absmax[a] || a - b;
  if (rule.kind === 'topk') {
    const order = Array.from({ length: n }, (_, i) => i).filter((i) => !Number.isNaN(absmax[i]));
    order.sort(byMagnitude);
    const k = Math.max(0, Math.min(Math.floor(rule.k), order.length));
    const picked = order.slice(0, k);
    return { indices: Uint32Array.from(picked), threshold: k ? absmax[picked[k - 1]] : NaN };
  }
  let centre: number, spread: number;
  if (rule.robust ?? true) {
    centre = median(absmax);
    const dev = new Float64Array(n);
    let m = 0;
    for (let i = 0; i < n; i++) if (!Number.isNaN(absmax[i])) dev[m++] = Math.abs(absmax[i] - centre);
    spread = 1.4826 * median(dev.subarray(0, m));
  } else {
    // summed largest first, as the sorted order has always added them (the same float64 sums)
    const order = Array.from({ length: n }, (_, i) => i).filter((i) => !Number.isNaN(absmax[i]));
    order.sort(byMagnitude);
    let s = 0, s2 = 0;
    for (const i of order) s += absmax[i];
    centre = order.length ? s / order.length : NaN;
    for (const i of order) s2 += (absmax[i] - centre) ** 2;
    spread = order.length ? Math.sqrt(s2 / order.length) : NaN;
  }
  const threshold = centre + rule.k * spread;
  // only the channels over the threshold (a few) need ordering
  const over: number[] = [];
  for (let i = 0; i < n; i++) if (absmax[i] > threshold) over.push(i);
  over.sort(byMagnitude);
  return { indices: Uint32Array.from(over), threshold };
}
