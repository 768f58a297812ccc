/**
 * Summary statistics of a tensor's decoded float values, over finite elements,
 * accumulated in float64 (`inspect --json` stats, DOMAIN §7). std is the
 * population standard deviation (numpy's default ddof = 0), computed in two
 * passes. samples/tensorStats.ts has mergeable one-pass sums for row slices in
 * the worker pool; its E[x²] − mean² loses precision when |mean| ≫ std, which
 * `inspect --json` (compared with numpy at 1e-3) cannot afford.
 */
export interface TensorStats {
  min: number | null;
  max: number | null;
  mean: number | null;
  absmax: number | null;
  std: number | null;
  /** NaN/±Inf elements left out */
  nonfinite: number;
  count: number;
}

export function tensorStats(x: Float32Array): TensorStats {
  let min = Infinity, max = -Infinity, sum = 0, n = 0, bad = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v - v !== 0) { bad++; continue; }
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    n++;
  }
  if (n === 0) return { min: null, max: null, mean: null, absmax: null, std: null, nonfinite: bad, count: 0 };
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v - v !== 0) continue;
    const d = v - mean;
    ss += d * d;
  }
  return { min, max, mean, absmax: Math.max(Math.abs(min), Math.abs(max)), std: Math.sqrt(ss / n), nonfinite: bad, count: n };
}
