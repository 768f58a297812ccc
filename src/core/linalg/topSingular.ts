/**
 * Top-r singular triplets of a float32 matrix A [m, n] (row-major), e.g. a
 * weight [out, in]. Small matrices (min(m, n) ≤ 2·(r + oversample) and ≤ 512) get the
 * exact Jacobi SVD; larger ones the seeded randomized subspace iteration of
 * Halko, Martinsson & Tropp (2011, Alg. 4.4): a Gaussian sketch of r +
 * oversample vectors, `iters` power iterations with re-orthonormalization,
 * then the exact SVD of the small projected matrix. All in float64.
 * Output in the "vectors as rows" layout of jacobi.ts: A ≈ Σ_k s_k u_k v_kᵀ.
 */
import { mulberry32Stream, drawToUnit } from '../rng.ts';
import { svdJacobi, type Svd } from './jacobi.ts';
import { throwIfAborted, type LongRunOptions } from './progress.ts';
import { mulRowsByASimd, mulRowsByAtSimd } from './rowProductsSimd.ts';

/** 'auto' uses the exact Jacobi SVD only up to this min(m, n) */
const EXACT_MAX = 512;

export interface TopSingularOptions extends LongRunOptions {
  /** power iterations (default 6); more = closer to the exact top-r subspace */
  iters?: number;
  /** extra sketch vectors beyond r (default 10) */
  oversample?: number;
  /** mulberry32 seed of the Gaussian sketch (default 0) */
  seed?: number;
  /** 'auto' (default) picks exact for small matrices */
  method?: 'auto' | 'exact' | 'randomized';
}

export interface Matrix32 {
  data: Float32Array;
  rows: number;
  cols: number;
}

/** The top min(r, m, n) singular triplets of A. */
export function topSingular(a: Matrix32, r: number, opts: TopSingularOptions = {}): Svd {
  const m = a.rows, n = a.cols;
  const plan = planTopSingular(m, n, r, opts);
  if (plan.exact) {
    throwIfAborted(opts.signal);
    const full = svdJacobi(Float64Array.from(a.data), m, n, opts.signal);
    opts.onProgress?.(1);
    return truncate(full, plan.rank);
  }
  const steps = subspaceIteration(m, n, plan.rank, plan.k, opts);
  let next = steps.next();
  while (!next.done) {
    const p = next.value;
    next = steps.next(p.kind === 'At' ? mulRowsByAt(a, p.b, p.k, opts) : mulRowsByA(a, p.y, p.k, opts));
  }
  return next.value;
}

/**
 * One block of rows [r0, r1) of A, possibly held by another worker: the two
 * products of the subspace iteration restricted to those rows.
 */
export interface RowPart {
  r0: number;
  r1: number;
  /** out [k, r1 − r0] with out[t, i] = A_{r0+i} · b_t (b is [k, n]) */
  mulAt(b: Float64Array, k: number): Promise<Float64Array>;
  /** Σ_i y[t, i] A_{r0+i}: out [k, n] (y is [k, r1 − r0], this part's columns of Y) */
  mulA(y: Float64Array, k: number): Promise<Float64Array>;
}

/**
 * topSingular of an m×n matrix whose rows are split into parts (e.g. one per
 * worker): the same seeded randomized iteration, each product computed by all
 * parts at once and assembled here. Small matrices (the exact path) are not
 * split (`split` is not called): `exactRows` gives the whole matrix then.
 */
export async function topSingularRowParts(
  split: () => Promise<RowPart[]>, m: number, n: number, r: number, opts: TopSingularOptions & { exactRows: () => Matrix32 },
): Promise<Svd> {
  const plan = planTopSingular(m, n, r, opts);
  if (plan.exact) return topSingular(opts.exactRows(), r, opts);
  const parts = await split();
  const steps = subspaceIteration(m, n, plan.rank, plan.k, opts);
  let next = steps.next();
  while (!next.done) {
    const p = next.value;
    next = steps.next(p.kind === 'At' ? await partsMulAt(parts, p.b, p.k, m) : await partsMulA(parts, p.y, p.k, m));
  }
  return next.value;
}

/** A·b_t for the k rows of b ([k, n]) from row parts covering [0, m): out [k, m]. */
export async function partsMulAt(parts: RowPart[], b: Float64Array, k: number, m: number): Promise<Float64Array> {
  const got = await Promise.all(parts.map((part) => part.mulAt(b, k)));
  const out = new Float64Array(k * m);
  parts.forEach((part, q) => {
    const w = part.r1 - part.r0;
    for (let t = 0; t < k; t++) out.set(got[q].subarray(t * w, t * w + w), t * m + part.r0);
  });
  return out;
}

/** Y·A for y [k, m] from row parts covering [0, m): out [k, n] (the parts' partial sums added in part order). */
async function partsMulA(parts: RowPart[], y: Float64Array, k: number, m: number): Promise<Float64Array> {
  const got = await Promise.all(parts.map((part) => {
    const w = part.r1 - part.r0;
    const ys = new Float64Array(k * w);
    for (let t = 0; t < k; t++) ys.set(y.subarray(t * m + part.r0, t * m + part.r1), t * w);
    return part.mulA(ys, k);
  }));
  const out = got[0];
  for (let q = 1; q < got.length; q++) for (let i = 0; i < out.length; i++) out[i] += got[q][i];
  return out;
}

/**
 * Rows [r0, r1) of a matrix in this thread as a RowPart. The products start
 * after a microtask, so a caller that asks every part in turn has sent the
 * other parts their requests before this thread starts computing.
 */
export function localRowPart(a: Matrix32, r0: number, r1: number, opts: LongRunOptions = {}): RowPart {
  const rows: Matrix32 = { data: a.data.subarray(r0 * a.cols, r1 * a.cols), rows: r1 - r0, cols: a.cols };
  return {
    r0, r1,
    async mulAt(b, k) { await null; return mulRowsByAt(rows, b, k, opts); },
    async mulA(y, k) { await null; return mulRowsByA(rows, y, k, opts); },
  };
}

function planTopSingular(m: number, n: number, r: number, opts: TopSingularOptions): { exact: boolean; rank: number; k: number } {
  if (!Number.isInteger(r) || r < 1) throw new Error(`the rank must be a whole number ≥ 1, got ${r}`);
  const p = Math.min(m, n);
  const rank = Math.min(r, p);
  const k = Math.min(p, rank + (opts.oversample ?? 10));
  const method = opts.method ?? 'auto';
  return { exact: method === 'exact' || (method === 'auto' && p <= 2 * k && p <= EXACT_MAX), rank, k };
}

/** A product the iteration asks for: A·b_t for the k rows b_t of b ('At', out [k, m]) or Y·A ('A', out [k, n]). */
type Product = { kind: 'At'; b: Float64Array; k: number } | { kind: 'A'; y: Float64Array; k: number };

/**
 * The randomized subspace iteration on an m×n matrix reached only through its
 * products (yielded; the driver sends each result back), so one algorithm
 * serves a matrix in memory and one split across workers.
 */
function* subspaceIteration(m: number, n: number, rr: number, k: number, opts: TopSingularOptions): Generator<Product, Svd, Float64Array> {
  const iters = opts.iters ?? 6;
  const steps = 2 + 2 * iters;
  let done = 0;
  const step = () => {
    done++;
    opts.onProgress?.(done / (steps + 1));
    throwIfAborted(opts.signal);
  };
  // Ω: k Gaussian vectors of length n (Box–Muller on mulberry32 draws)
  const omega = new Float64Array(k * n);
  const next = mulberry32Stream(opts.seed ?? 0);
  for (let i = 0; i < omega.length; i += 2) {
    const u1 = 1 - drawToUnit(next()), u2 = drawToUnit(next());
    const rad = Math.sqrt(-2 * Math.log(u1));
    omega[i] = rad * Math.cos(2 * Math.PI * u2);
    if (i + 1 < omega.length) omega[i + 1] = rad * Math.sin(2 * Math.PI * u2);
  }
  throwIfAborted(opts.signal);
  let y = yield { kind: 'At', b: omega, k }; // k×m: rows span range(A)
  orthonormalizeRows(y, k, m);
  step();
  for (let it = 0; it < iters; it++) {
    const z = yield { kind: 'A', y, k }; // k×n
    orthonormalizeRows(z, k, n);
    step();
    y = yield { kind: 'At', b: z, k };
    orthonormalizeRows(y, k, m);
    step();
  }
  const b = yield { kind: 'A', y, k }; // B = Qᵀ A, k×n
  step();
  const core = svdJacobi(b, k, n, opts.signal); // B = Σ s_i c_i v_iᵀ, c_i length k
  const u = new Float64Array(rr * m);
  for (let i = 0; i < rr; i++) {
    for (let t = 0; t < k; t++) {
      const c = core.u[i * k + t];
      if (c === 0) continue;
      for (let j = 0, yo = t * m, uo = i * m; j < m; j++) u[uo + j] += c * y[yo + j];
    }
  }
  opts.onProgress?.(1);
  return { u, s: core.s.slice(0, rr), v: core.v.slice(0, rr * n), m, n, p: rr };
}

function truncate(f: Svd, r: number): Svd {
  return { u: f.u.slice(0, r * f.m), s: f.s.slice(0, r), v: f.v.slice(0, r * f.n), m: f.m, n: f.n, p: r };
}

/**
 * Rows of the result: out_t = A · b_t, i.e. out [k, m] with out[t, i] = A_i · b_t (b is [k, n]).
 * Four rows of A × two vectors per pass over a row (8 float64 sums): each load
 * feeds two to four products (measured 1.9 vs 1.3 G multiply-adds/s for 1 × 4).
 * The kernel of rowProductsSimd.ts does the blocks of four rows where it runs (same bits).
 */
export function mulRowsByAt(a: Matrix32, b: Float64Array, k: number, opts: LongRunOptions = {}): Float64Array {
  const m = a.rows, n = a.cols, A = a.data;
  const out = new Float64Array(k * m);
  let i = mulRowsByAtSimd(A, m, n, b, k, out, opts);
  for (; i + 3 < m; i += 4) {
    if ((i & 255) === 0) throwIfAborted(opts.signal);
    const a0 = i * n, a1 = a0 + n, a2 = a1 + n, a3 = a2 + n;
    let t = 0;
    for (; t + 1 < k; t += 2) {
      const b0 = t * n, b1 = b0 + n;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0, u0 = 0, u1 = 0, u2 = 0, u3 = 0;
      for (let j = 0; j < n; j++) {
        const c0 = b[b0 + j], c1 = b[b1 + j];
        const x0 = A[a0 + j], x1 = A[a1 + j], x2 = A[a2 + j], x3 = A[a3 + j];
        s0 += x0 * c0; s1 += x1 * c0; s2 += x2 * c0; s3 += x3 * c0;
        u0 += x0 * c1; u1 += x1 * c1; u2 += x2 * c1; u3 += x3 * c1;
      }
      const o = t * m + i, p = o + m;
      out[o] = s0; out[o + 1] = s1; out[o + 2] = s2; out[o + 3] = s3;
      out[p] = u0; out[p + 1] = u1; out[p + 2] = u2; out[p + 3] = u3;
    }
    for (; t < k; t++) for (let q = 0; q < 4; q++) out[t * m + i + q] = rowDot(A, (i + q) * n, b, t * n, n);
  }
  for (; i < m; i++) for (let t = 0; t < k; t++) out[t * m + i] = rowDot(A, i * n, b, t * n, n);
  return out;
}

function rowDot(A: Float32Array, ao: number, b: Float64Array, bo: number, n: number): number {
  let s = 0;
  for (let j = 0; j < n; j++) s += A[ao + j] * b[bo + j];
  return s;
}

/**
 * Rows of the result: out_t = y_tᵀ · A, i.e. out [k, n] = Y·A (y is [k, m]).
 * Four rows of A into two output rows per pass (measured 1.6 vs 1.1 G multiply-adds/s for 4 × 1).
 * The kernel of rowProductsSimd.ts does the blocks of four rows where it runs (same bits).
 */
export function mulRowsByA(a: Matrix32, y: Float64Array, k: number, opts: LongRunOptions = {}): Float64Array {
  const m = a.rows, n = a.cols, A = a.data;
  const out = new Float64Array(k * n);
  let i = mulRowsByASimd(A, m, n, y, k, out, opts);
  for (; i + 3 < m; i += 4) {
    if ((i & 255) === 0) throwIfAborted(opts.signal);
    const a0 = i * n, a1 = a0 + n, a2 = a1 + n, a3 = a2 + n;
    let t = 0;
    for (; t + 1 < k; t += 2) {
      const yo = t * m + i, yp = yo + m;
      const c0 = y[yo], c1 = y[yo + 1], c2 = y[yo + 2], c3 = y[yo + 3];
      const d0 = y[yp], d1 = y[yp + 1], d2 = y[yp + 2], d3 = y[yp + 3];
      const o = t * n, p = o + n;
      for (let j = 0; j < n; j++) {
        const x0 = A[a0 + j], x1 = A[a1 + j], x2 = A[a2 + j], x3 = A[a3 + j];
        out[o + j] += c0 * x0 + c1 * x1 + c2 * x2 + c3 * x3;
        out[p + j] += d0 * x0 + d1 * x1 + d2 * x2 + d3 * x3;
      }
    }
    for (; t < k; t++) {
      const yo = t * m + i;
      const c0 = y[yo], c1 = y[yo + 1], c2 = y[yo + 2], c3 = y[yo + 3];
      const o = t * n;
      for (let j = 0; j < n; j++) out[o + j] += c0 * A[a0 + j] + c1 * A[a1 + j] + c2 * A[a2 + j] + c3 * A[a3 + j];
    }
  }
  for (; i < m; i++) {
    const a0 = i * n;
    for (let t = 0; t < k; t++) {
      const c0 = y[t * m + i];
      const o = t * n;
      for (let j = 0; j < n; j++) out[o + j] += c0 * A[a0 + j];
    }
  }
  return out;
}

/**
 * Classical Gram–Schmidt, twice (CGS2: "twice is enough", as orthogonal as
 * MGS2), on the k rows (length len) of y, in place: each row's projections on
 * the earlier rows are computed together, four at a time (independent sums;
 * measured 3–4× faster than MGS's one dot after another).
 */
export function orthonormalizeRows(y: Float64Array, k: number, len: number): void {
  const d = new Float64Array(k);
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < k; i++) {
      const yi = i * len;
      let j = 0;
      for (; j + 3 < i; j += 4) {
        const y0 = j * len, y1 = y0 + len, y2 = y1 + len, y3 = y2 + len;
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (let c = 0; c < len; c++) {
          const v = y[yi + c];
          s0 += v * y[y0 + c]; s1 += v * y[y1 + c]; s2 += v * y[y2 + c]; s3 += v * y[y3 + c];
        }
        d[j] = s0; d[j + 1] = s1; d[j + 2] = s2; d[j + 3] = s3;
      }
      for (; j < i; j++) {
        let s0 = 0;
        for (let c = 0, yj = j * len; c < len; c++) s0 += y[yi + c] * y[yj + c];
        d[j] = s0;
      }
      j = 0;
      for (; j + 3 < i; j += 4) {
        const y0 = j * len, y1 = y0 + len, y2 = y1 + len, y3 = y2 + len;
        const d0 = d[j], d1 = d[j + 1], d2 = d[j + 2], d3 = d[j + 3];
        for (let c = 0; c < len; c++) y[yi + c] -= d0 * y[y0 + c] + d1 * y[y1 + c] + d2 * y[y2 + c] + d3 * y[y3 + c];
      }
      for (; j < i; j++) {
        const dj = d[j];
        for (let c = 0, yj = j * len; c < len; c++) y[yi + c] -= dj * y[yj + c];
      }
      let nn = 0;
      for (let c = 0; c < len; c++) nn += y[yi + c] * y[yi + c];
      const inv = nn > 0 ? 1 / Math.sqrt(nn) : 0;
      for (let c = 0; c < len; c++) y[yi + c] *= inv;
    }
  }
}
