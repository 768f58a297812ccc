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
  if (!Number.isInteger(r) || r < 1) throw new Error(`the rank must be a whole number ≥ 1, got ${r}`);
  const p = Math.min(m, n);
  const rr = Math.min(r, p);
  const k = Math.min(p, rr + (opts.oversample ?? 10));
  const method = opts.method ?? 'auto';
  if (method === 'exact' || (method === 'auto' && p <= 2 * k && p <= EXACT_MAX)) {
    throwIfAborted(opts.signal);
    const full = svdJacobi(Float64Array.from(a.data), m, n, opts.signal);
    opts.onProgress?.(1);
    return truncate(full, rr);
  }
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
  let y = mulRowsByAt(a, omega, k, opts); // k×m: rows span range(A)
  orthonormalizeRows(y, k, m);
  step();
  for (let it = 0; it < iters; it++) {
    const z = mulRowsByA(a, y, k, opts); // k×n
    orthonormalizeRows(z, k, n);
    step();
    y = mulRowsByAt(a, z, k, opts);
    orthonormalizeRows(y, k, m);
    step();
  }
  const b = mulRowsByA(a, y, k, opts); // B = Qᵀ A, k×n
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

/** Rows of the result: out_t = A · b_t, i.e. out [k, m] with out[t, i] = A_i · b_t (b is [k, n]). */
function mulRowsByAt(a: Matrix32, b: Float64Array, k: number, opts: LongRunOptions): Float64Array {
  const m = a.rows, n = a.cols, A = a.data;
  const out = new Float64Array(k * m);
  for (let i = 0; i < m; i++) {
    if ((i & 255) === 0) throwIfAborted(opts.signal);
    const ai = i * n;
    let t = 0;
    for (; t + 3 < k; t += 4) {
      const b0 = t * n, b1 = b0 + n, b2 = b1 + n, b3 = b2 + n;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let j = 0; j < n; j++) {
        const x = A[ai + j];
        s0 += x * b[b0 + j]; s1 += x * b[b1 + j]; s2 += x * b[b2 + j]; s3 += x * b[b3 + j];
      }
      out[t * m + i] = s0; out[(t + 1) * m + i] = s1; out[(t + 2) * m + i] = s2; out[(t + 3) * m + i] = s3;
    }
    for (; t < k; t++) {
      let s0 = 0;
      for (let j = 0, b0 = t * n; j < n; j++) s0 += A[ai + j] * b[b0 + j];
      out[t * m + i] = s0;
    }
  }
  return out;
}

/** Rows of the result: out_t = y_tᵀ · A, i.e. out [k, n] = Y·A (y is [k, m]). */
function mulRowsByA(a: Matrix32, y: Float64Array, k: number, opts: LongRunOptions): Float64Array {
  const m = a.rows, n = a.cols, A = a.data;
  const out = new Float64Array(k * n);
  let i = 0;
  for (; i + 3 < m; i += 4) {
    if ((i & 255) === 0) throwIfAborted(opts.signal);
    const a0 = i * n, a1 = a0 + n, a2 = a1 + n, a3 = a2 + n;
    for (let t = 0; t < k; t++) {
      const c0 = y[t * m + i], c1 = y[t * m + i + 1], c2 = y[t * m + i + 2], c3 = y[t * m + i + 3];
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

/** Modified Gram–Schmidt, twice ("twice is enough"), on the k rows (length len) of y, in place. */
export function orthonormalizeRows(y: Float64Array, k: number, len: number): void {
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < k; i++) {
      const yi = i * len;
      for (let j = 0; j < i; j++) {
        const yj = j * len;
        let d = 0;
        for (let c = 0; c < len; c++) d += y[yi + c] * y[yj + c];
        for (let c = 0; c < len; c++) y[yi + c] -= d * y[yj + c];
      }
      let nn = 0;
      for (let c = 0; c < len; c++) nn += y[yi + c] * y[yi + c];
      const inv = nn > 0 ? 1 / Math.sqrt(nn) : 0;
      for (let c = 0; c < len; c++) y[yi + c] *= inv;
    }
  }
}
