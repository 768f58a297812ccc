/**
 * Histograms with bins shared across the tensors/formats being compared
 * (DOMAIN.md §6 "Error histograms share their bins").
 *
 * Two tools:
 *  - uniform bins over a range: `sharedBinEdges` + `histogram` (value histograms);
 *  - error buckets: a data-independent histogram keyed by the top bits of the
 *    float32 error (sign, 8 exponent bits, 6 mantissa bits = 32768 buckets).
 *    It needs no range up front, so it is filled in the same pass as the metric
 *    sums (`accumulateErrorPass`), adds exactly across row slices/workers, and is
 *    rebinned exactly (see `rebinErrorBuckets`) onto uniform bins over a shared
 *    symmetric range [−P, P] with P a power of two, once every format is known.
 */
import { endRun, PASS_CHUNK, RUN_BAD, RUN_COUNT, RUN_MAX, RUN_SE, RUN_SH, RUN_SX, RUN_SXH, startRun, type MetricSums } from './metrics.ts';
import { castWithErrorPass, errorPassSimd } from './errorPassSimd.ts';

export interface Histogram {
  /** bins + 1 increasing edges; bin i is [edges[i], edges[i+1]), the last bin also takes its upper edge */
  edges: Float64Array;
  counts: Uint32Array;
  /** finite values outside [edges[0], edges[bins]] */
  outside: number;
  /** NaN / ±Inf values (not binned) */
  nonfinite: number;
}

/** [min, max] of the finite values of all arrays; null when there are none. */
export function finiteRange(arrays: readonly ArrayLike<number>[]): [number, number] | null {
  let lo = Infinity, hi = -Infinity;
  for (const a of arrays) {
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (v < lo && v - v === 0) lo = v;
      if (v > hi && v - v === 0) hi = v;
    }
  }
  return lo <= hi ? [lo, hi] : null;
}

/**
 * `bins` uniform bins covering the finite values of all `input` arrays (or the
 * given [min, max]). A degenerate range [a, a] becomes [a − 0.5, a + 0.5]; no
 * finite values gives [0, 1].
 */
export function sharedBinEdges(input: readonly ArrayLike<number>[] | readonly [number, number], bins: number): Float64Array {
  if (!(bins >= 1) || !Number.isInteger(bins)) throw new Error(`bins must be a whole number ≥ 1, got ${bins}`);
  let range: [number, number] | null;
  if (input.length === 2 && typeof input[0] === 'number') range = [input[0] as number, input[1] as number];
  else range = finiteRange(input as readonly ArrayLike<number>[]);
  let [lo, hi] = range ?? [0, 1];
  if (!(hi > lo)) { lo -= 0.5; hi += 0.5; }
  const edges = new Float64Array(bins + 1);
  for (let i = 0; i <= bins; i++) edges[i] = lo + ((hi - lo) * i) / bins;
  edges[bins] = hi;
  return edges;
}

/** Counts of `x` in uniform `edges` (as made by sharedBinEdges). */
export function histogram(x: ArrayLike<number>, edges: Float64Array): Histogram {
  const counts = new Uint32Array(edges.length - 1);
  // [outside, nonfinite]
  const other = [0, 0];
  // in chunks: the chunk function is called often enough to be optimized as a function; a first call over
  // 16 M elements could leave the loop on its on-stack-replaced code, 1.2x slower here
  for (let c = 0; c < x.length; c += PASS_CHUNK) histogramChunk(x, c, Math.min(x.length, c + PASS_CHUNK), edges, counts, other);
  return { edges, counts, outside: other[0], nonfinite: other[1] };
}

function histogramChunk(x: ArrayLike<number>, start: number, end: number, edges: Float64Array, counts: Uint32Array, other: number[]): void {
  const bins = edges.length - 1;
  const lo = edges[0], hi = edges[bins];
  const inv = bins / (hi - lo);
  let outside = 0, nonfinite = 0;
  for (let i = start; i < end; i++) {
    const v = x[i];
    // one test for the common case (NaN fails it too)
    if (!(v >= lo && v <= hi)) {
      if (v - v !== 0) nonfinite++;
      else outside++;
      continue;
    }
    // (v − lo)·inv ≥ 0 and < 2^31 here: truncation is floor
    let b = ((v - lo) * inv) | 0;
    if (b >= bins) b = bins - 1;
    // guard the rounding of (v − lo)·inv against the exact edges
    if (v < edges[b]) b--; else if (b + 1 < bins && v >= edges[b + 1]) b++;
    counts[b]++;
  }
  other[0] += outside;
  other[1] += nonfinite;
}

// ---------------------------------------------------------------------------
// Error buckets

/** mantissa bits kept per bucket: rebinning is exact for up to 4·2^6 = 256 uniform bins */
const KEPT_MANTISSA_BITS = 6;
const BUCKET_SHIFT = 23 - KEPT_MANTISSA_BITS;
export const ERROR_BUCKETS = 1 << (32 - BUCKET_SHIFT);
export const MAX_ERROR_BINS = 4 << KEPT_MANTISSA_BITS;

const scratchF = new Float32Array(1);
const scratchU = new Uint32Array(scratchF.buffer);

export function emptyErrorBuckets(): Uint32Array {
  return new Uint32Array(ERROR_BUCKETS);
}

/**
 * One fused pass over [start, end): adds the metric sums exactly as
 * metrics.ts accumulateSums does (its four-lane order; checked by a test) and
 * counts each finite error e = x̂ − x into `buckets` (bucket = top 15 bits of
 * float32(e)). Runs in WebAssembly SIMD where available (errorPassSimd.ts,
 * the same bits), the rest in JavaScript.
 */
export function accumulateErrorPass(
  x: Float32Array, xhat: Float32Array, acc: MetricSums, buckets: Uint32Array, start = 0, end = x.length,
): MetricSums {
  const run = startRun(acc);
  const from = errorPassSimd(x, xhat, start, end, run, buckets);
  errorPassJs(x, xhat, from, end, run, buckets);
  return endRun(acc, run);
}

/**
 * `cast` (which writes x̂ of x into `out`, x.length elements, and returns the
 * array holding x̂) followed by accumulateErrorPass(x, x̂, acc, buckets): the
 * same bits, fused where the cast runs through the stochasticRuns kernel
 * (errorPassSimd.ts castWithErrorPass: each window measured in the kernel's
 * memory right after its cast, ~10% of a quantize-and-measure saved).
 * keepXhat false: the caller wants the measurement only, and `out` (which
 * must not share x's buffer) may be left without x̂ (its windows not copied
 * out); `cast` may then run twice and must give the same x̂. Returns the x̂ array.
 */
export function castAndAccumulateErrorPass(
  x: Float32Array, out: Float32Array, acc: MetricSums, buckets: Uint32Array, cast: () => Float32Array, keepXhat = true,
): Float32Array {
  const run = startRun(acc);
  let xhat = out;
  const how = castWithErrorPass(x, out, x.length, run, buckets, () => (xhat = cast()), keepXhat);
  if (how === 'measured') {
    endRun(acc, run);
    return xhat;
  }
  if (how === 'recast') xhat = cast();
  accumulateErrorPass(x, xhat, acc, buckets);
  return xhat;
}

/** The JavaScript pass over [start, end) into `run` (lanes counted from `start`). */
function errorPassJs(x: Float32Array, xhat: Float32Array, start: number, end: number, run: Float64Array, buckets: Uint32Array): void {
  for (let c = start; c < end; c += PASS_CHUNK) {
    const e = Math.min(end, c + PASS_CHUNK);
    for (let lane = 0; lane < 4; lane++) errorPassLane(x, xhat, c + lane, e, run, lane, buckets, scratchF, scratchU);
  }
}

/** Elements start, start + 4, … < end of one chunk into lane `lane` of `run` (see metrics.ts sumsLane). */
function errorPassLane(
  x: Float32Array, xhat: Float32Array, start: number, end: number, run: Float64Array, lane: number,
  buckets: Uint32Array, f: Float32Array, u: Uint32Array,
): void {
  let sx = run[RUN_SX + lane], sh = run[RUN_SH + lane], se = run[RUN_SE + lane], sxh = run[RUN_SXH + lane];
  let mx = run[RUN_MAX], n = 0, bad = 0;
  for (let i = start; i < end; i += 4) {
    const a = x[i];
    const b = xhat[i];
    const d = b - a;
    if (d - d !== 0) { bad++; continue; }
    sx += a * a;
    sh += b * b;
    se += d * d;
    sxh += a * b;
    const ad = Math.abs(d);
    if (ad > mx) mx = ad;
    n++;
    f[0] = d; // rounds e to float32
    buckets[u[0] >>> BUCKET_SHIFT]++;
  }
  run[RUN_SX + lane] = sx; run[RUN_SH + lane] = sh; run[RUN_SE + lane] = se; run[RUN_SXH + lane] = sxh;
  run[RUN_MAX] = mx; run[RUN_COUNT] += n; run[RUN_BAD] += bad;
}

/** Adds bucket counts of `b` into `a` (row-split partial results). */
export function mergeErrorBuckets(a: Uint32Array, b: Uint32Array): Uint32Array {
  for (let i = 0; i < a.length; i++) a[i] += b[i];
  return a;
}

/** Smallest power of two strictly greater than `maxAbs` (1 for 0 or non-finite input). */
export function pow2Above(maxAbs: number): number {
  if (!(maxAbs > 0) || !Number.isFinite(maxAbs)) return 1;
  let p = 2 ** Math.floor(Math.log2(maxAbs));
  while (p <= maxAbs) p *= 2;
  while (p / 2 > maxAbs) p /= 2;
  return p;
}

/** bins + 1 edges from −range to +range. */
export function symmetricEdges(range: number, bins: number): Float64Array {
  const e = new Float64Array(bins + 1);
  for (let i = 0; i <= bins; i++) e[i] = -range + (2 * range * i) / bins;
  return e;
}

/**
 * Uniform sign-symmetric bins over [−range, range] (range a power of two, bins a
 * power of two ≤ MAX_ERROR_BINS) from error buckets. Bin width w = 2·range/bins;
 * a value v ≥ 0 goes to bin bins/2 + floor(v / w), a value v < 0 to
 * bins/2 − 1 − floor(|v| / w) (its magnitude decides, so ±w/2 land in mirrored
 * bins); ±0 goes to bins/2. Magnitudes ≥ range are clamped into the end bins.
 */
export function rebinErrorBuckets(buckets: Uint32Array, range: number, bins: number): Uint32Array {
  if (!(bins >= 2 && bins <= MAX_ERROR_BINS && (bins & (bins - 1)) === 0)) {
    throw new Error(`error histogram bins must be a power of two from 2 to ${MAX_ERROR_BINS}, got ${bins}`);
  }
  const counts = new Uint32Array(bins);
  const half = bins / 2;
  const w = (2 * range) / bins;
  const signBucket = ERROR_BUCKETS >>> 1;
  for (let k = 0; k < ERROR_BUCKETS; k++) {
    const c = buckets[k];
    if (c === 0) continue;
    const neg = k >= signBucket;
    scratchU[0] = ((neg ? k - signBucket : k) << BUCKET_SHIFT) >>> 0;
    const lowMag = scratchF[0]; // smallest magnitude in the bucket
    let m = Math.floor(lowMag / w);
    if (m > half - 1) m = half - 1;
    if (lowMag === 0 && k === signBucket) { counts[half] += c; continue; } // −0
    counts[neg ? half - 1 - m : half + m] += c;
  }
  return counts;
}
