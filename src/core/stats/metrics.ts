/**
 * Error metrics of a reconstruction x̂ against x (DOMAIN.md §6), accumulated in
 * float64 over the elements where both x and x̂ are finite; the others are
 * counted as `nonfinite` and left out.
 */
export interface Metrics {
  /** mean((x̂ − x)²) */
  mse: number;
  /** 10·log10(Σx² / Σ(x̂ − x)²) in dB; +Infinity when the reconstruction is exact */
  sqnrDb: number;
  /** Σx·x̂ / (‖x‖·‖x̂‖); NaN when either norm is 0 (0/0, as numpy gives) */
  cosine: number;
  /** max |x̂ − x| */
  maxAbsErr: number;
  /** ‖x̂ − x‖ / ‖x‖ (NaN or Infinity when x is all zeros) */
  relErr: number;
  /** finite elements measured */
  count: number;
  /** elements where x or x̂ is NaN/±Inf */
  nonfinite: number;
}

/** Running sums, so row-split workers can merge partial results exactly. */
export interface MetricSums {
  sumSqX: number;
  sumSqXhat: number;
  sumSqErr: number;
  sumXXhat: number;
  maxAbsErr: number;
  count: number;
  nonfinite: number;
}

export function emptySums(): MetricSums {
  return { sumSqX: 0, sumSqXhat: 0, sumSqErr: 0, sumXXhat: 0, maxAbsErr: 0, count: 0, nonfinite: 0 };
}

/**
 * Adds the elements [start, end) of x / x̂ to `acc` (float64). Summation order
 * (the contract every pass here keeps, so the fused and SIMD passes give the
 * same bits): element start + i adds into lane i mod 4 of each sum, each lane
 * sequentially, and the range's sum is (lane0 + lane1) + (lane2 + lane3) added
 * to `acc`. Four lanes are what a SIMD pass adds in parallel (errorPass.wat);
 * they are also a little more accurate than one running sum.
 *
 * The pass runs in chunks through a small kernel so the hot loop is compiled
 * as a whole function, not only by on-stack replacement inside one long call
 * (measured on the fused metrics + histogram pass: the OSR code of the single-loop version ran at 70 instead of 185 M
 * elements/s). The lanes carry across chunks in `run` (chunks are a multiple
 * of 4 long), so the order is that of one pass over [start, end).
 */
export const PASS_CHUNK = 16384;

/** Running-sum layout: 4 lanes each of Σx², Σx̂², Σe², Σx·x̂, then max|e|, finite count, non-finite count. */
export const RUN_SX = 0, RUN_SH = 4, RUN_SE = 8, RUN_SXH = 12, RUN_MAX = 16, RUN_COUNT = 17, RUN_BAD = 18;

/** Running sums from 0 for a range (see accumulateSums); the max carries over from `acc`. */
export function startRun(acc: MetricSums): Float64Array {
  const run = new Float64Array(19);
  run[RUN_MAX] = acc.maxAbsErr;
  return run;
}

const lanes = (run: Float64Array, at: number): number => (run[at] + run[at + 1]) + (run[at + 2] + run[at + 3]);

export function endRun(acc: MetricSums, run: Float64Array): MetricSums {
  acc.sumSqX += lanes(run, RUN_SX);
  acc.sumSqXhat += lanes(run, RUN_SH);
  acc.sumSqErr += lanes(run, RUN_SE);
  acc.sumXXhat += lanes(run, RUN_SXH);
  acc.maxAbsErr = run[RUN_MAX];
  acc.count += run[RUN_COUNT];
  acc.nonfinite += run[RUN_BAD];
  return acc;
}

export function accumulateSums(x: Float32Array, xhat: Float32Array, acc: MetricSums, start = 0, end = x.length): MetricSums {
  const run = startRun(acc);
  for (let c = start; c < end; c += PASS_CHUNK) {
    const e = Math.min(end, c + PASS_CHUNK);
    for (let lane = 0; lane < 4; lane++) sumsLane(x, xhat, c + lane, e, run, lane);
  }
  return endRun(acc, run);
}

/** Elements start, start + 4, … < end of one chunk into lane `lane` of `run` (lanes are independent, so one at a time gives the interleaved order's bits). */
function sumsLane(x: Float32Array, xhat: Float32Array, start: number, end: number, run: Float64Array, lane: number): void {
  let sx = run[RUN_SX + lane], sh = run[RUN_SH + lane], se = run[RUN_SE + lane], sxh = run[RUN_SXH + lane];
  let mx = run[RUN_MAX], n = 0, bad = 0;
  for (let i = start; i < end; i += 4) {
    const a = x[i];
    const b = xhat[i];
    const d = b - a;
    // d is NaN exactly when a or b is non-finite (Inf − Inf, NaN) or one is ±Inf (d = ±Inf)
    if (d - d !== 0) { bad++; continue; }
    sx += a * a;
    sh += b * b;
    se += d * d;
    sxh += a * b;
    const ad = Math.abs(d);
    if (ad > mx) mx = ad;
    n++;
  }
  run[RUN_SX + lane] = sx; run[RUN_SH + lane] = sh; run[RUN_SE + lane] = se; run[RUN_SXH + lane] = sxh;
  run[RUN_MAX] = mx; run[RUN_COUNT] += n; run[RUN_BAD] += bad;
}

export function mergeSums(a: MetricSums, b: MetricSums): MetricSums {
  return {
    sumSqX: a.sumSqX + b.sumSqX,
    sumSqXhat: a.sumSqXhat + b.sumSqXhat,
    sumSqErr: a.sumSqErr + b.sumSqErr,
    sumXXhat: a.sumXXhat + b.sumXXhat,
    maxAbsErr: Math.max(a.maxAbsErr, b.maxAbsErr),
    count: a.count + b.count,
    nonfinite: a.nonfinite + b.nonfinite,
  };
}

/**
 * The plain formulas of DOMAIN §6 in float64, with no special cases beyond
 * exactness: degenerate inputs give what numpy gives (0/0 = NaN, x/0 = ±Inf),
 * and JSON prints every non-finite metric as null. With no finite element at
 * all, every metric is NaN (null).
 */
export function metricsFromSums(s: MetricSums): Metrics {
  const n = s.count;
  const mse = n ? s.sumSqErr / n : NaN;
  const sqnrDb = n ? (s.sumSqErr === 0 && s.sumSqX > 0 ? Infinity : 10 * Math.log10(s.sumSqX / s.sumSqErr)) : NaN;
  const cosine = n ? s.sumXXhat / (Math.sqrt(s.sumSqX) * Math.sqrt(s.sumSqXhat)) : NaN;
  const relErr = n ? Math.sqrt(s.sumSqErr) / Math.sqrt(s.sumSqX) : NaN;
  return { mse, sqnrDb, cosine, maxAbsErr: n ? s.maxAbsErr : NaN, relErr, count: n, nonfinite: s.nonfinite };
}

export function computeMetrics(x: Float32Array, xhat: Float32Array): Metrics {
  if (x.length !== xhat.length) throw new Error(`cannot compare tensors of ${x.length} and ${xhat.length} elements`);
  return metricsFromSums(accumulateSums(x, xhat, emptySums()));
}

/** Metrics as the CLI/JSON contract names them; non-finite numbers become null (JSON has no Infinity). */
export function metricsToJson(m: Metrics): Record<string, number | null> {
  const j = (v: number) => (Number.isFinite(v) ? v : null);
  return { mse: j(m.mse), sqnr_db: j(m.sqnrDb), cosine: j(m.cosine), max_abs_err: j(m.maxAbsErr), rel_err: j(m.relErr) };
}
