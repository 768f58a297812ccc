/**
 * Summary statistics of a tensor's finite values, as mergeable float64 sums
 * so row slices held by different workers combine exactly in any order
 * (min/max/absmax are exact; mean/std depend only on the sums).
 */
export interface StatSums {
  min: number;
  max: number;
  /** finite absmax (NVFP4's tensor amax) */
  absmax: number;
  sum: number;
  sumSq: number;
  count: number;
  nonfinite: number;
}

export function statSums(x: Float32Array): StatSums {
  let min = Infinity, max = -Infinity, sum = 0, sumSq = 0, count = 0, nonfinite = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v - v !== 0) { nonfinite++; continue; }
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    sumSq += v * v;
    count++;
  }
  return { min, max, absmax: count ? Math.max(-min, max) : 0, sum, sumSq, count, nonfinite };
}

export function mergeStatSums(a: StatSums, b: StatSums): StatSums {
  return {
    min: Math.min(a.min, b.min),
    max: Math.max(a.max, b.max),
    absmax: Math.max(a.absmax, b.absmax),
    sum: a.sum + b.sum,
    sumSq: a.sumSq + b.sumSq,
    count: a.count + b.count,
    nonfinite: a.nonfinite + b.nonfinite,
  };
}

export interface TensorSummary { min: number; max: number; absmax: number; mean: number; std: number; count: number; nonfinite: number }

/** mean and population std (numpy's default ddof=0) of the finite values */
export function summarize(s: StatSums): TensorSummary {
  const mean = s.count ? s.sum / s.count : 0;
  const variance = s.count ? Math.max(0, s.sumSq / s.count - mean * mean) : 0;
  return { min: s.count ? s.min : 0, max: s.count ? s.max : 0, absmax: s.absmax, mean, std: Math.sqrt(variance), count: s.count, nonfinite: s.nonfinite };
}
