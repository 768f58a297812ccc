/**
 * Exact (to float64 round-off) SVD of a small dense matrix by one-sided
 * Jacobi rotations (Hestenes). Used for small matrices, for the k×n core of
 * the randomized SVD, and by tests.
 *
 * Layout convention of this folder: a set of vectors is stored as the rows of
 * a row-major Float64Array ("vectors as rows"), so U is [p, m] (row k = u_k),
 * V is [p, n] (row k = v_k), and A = Σ_k s_k u_k v_kᵀ.
 */

export interface Svd {
  /** left singular vectors as rows: [p, m] */
  u: Float64Array;
  /** singular values, descending, length p */
  s: Float64Array;
  /** right singular vectors as rows: [p, n] */
  v: Float64Array;
  m: number;
  n: number;
  p: number;
}

import { throwIfAborted } from './progress.ts';

const MAX_SWEEPS = 60;
const EPS = 2.220446049250313e-16;

/**
 * Orthogonalize the k rows (length len) of `b` in place by plane rotations and
 * apply the same rotations to the rows of `q` (k×k, starts as the identity).
 * Afterwards b = Q·B₀ has mutually orthogonal rows, so B₀ = Σ_i q_iᵀ b_i, with
 * q_i the i-th row of Q.
 */
function orthogonalizeRows(b: Float64Array, k: number, len: number, q: Float64Array, signal?: { readonly aborted: boolean }): void {
  const norms = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let t = 0;
    for (let c = i * len, e = c + len; c < e; c++) t += b[c] * b[c];
    norms[i] = t;
  }
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let rotated = false;
    for (let i = 0; i < k - 1; i++) {
      throwIfAborted(signal);
      for (let j = i + 1; j < k; j++) {
        const al = norms[i], be = norms[j];
        if (al === 0 || be === 0) continue;
        const bi = i * len, bj = j * len;
        let g = 0;
        for (let c = 0; c < len; c++) g += b[bi + c] * b[bj + c];
        if (Math.abs(g) <= 4 * EPS * Math.sqrt(al * be)) continue;
        rotated = true;
        const zeta = (be - al) / (2 * g);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const cs = 1 / Math.sqrt(1 + t * t);
        const sn = cs * t;
        let ni = 0, nj = 0;
        for (let c = 0; c < len; c++) {
          const x = b[bi + c], y = b[bj + c];
          const xn = cs * x - sn * y, yn = sn * x + cs * y;
          b[bi + c] = xn; b[bj + c] = yn;
          ni += xn * xn; nj += yn * yn;
        }
        norms[i] = ni; norms[j] = nj;
        const qi = i * k, qj = j * k;
        for (let c = 0; c < k; c++) {
          const x = q[qi + c], y = q[qj + c];
          q[qi + c] = cs * x - sn * y; q[qj + c] = sn * x + cs * y;
        }
      }
    }
    if (!rotated) break;
  }
}

/**
 * SVD of the row-major float64 matrix `a` [m, n] (not modified); p = min(m, n).
 * Cost per sweep ≈ 4·p²·max(m, n) flops, typically 6–12 sweeps; `signal` is
 * checked once per pivot row.
 */
export function svdJacobi(a: Float64Array, m: number, n: number, signal?: { readonly aborted: boolean }): Svd {
  const wide = m <= n; // orthogonalize the shorter side's vectors
  const k = wide ? m : n;
  const len = wide ? n : m;
  const b = new Float64Array(k * len);
  if (wide) b.set(a.subarray(0, m * n));
  else for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) b[j * m + i] = a[i * n + j];
  const q = new Float64Array(k * k);
  for (let i = 0; i < k; i++) q[i * k + i] = 1;
  orthogonalizeRows(b, k, len, q, signal);
  // B₀ = Σ_i q_iᵀ b_i = Σ_i σ_i q_i w_iᵀ with w_i = b_i / σ_i.
  const sig = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let t = 0;
    for (let c = i * len, e = c + len; c < e; c++) t += b[c] * b[c];
    sig[i] = Math.sqrt(t);
  }
  const order = Array.from({ length: k }, (_, i) => i).sort((x, y) => sig[y] - sig[x] || x - y);
  const s = new Float64Array(k);
  const long = new Float64Array(k * len); // normalized b rows
  const short = new Float64Array(k * k); // q rows
  order.forEach((src, dst) => {
    const sv = sig[src];
    s[dst] = sv;
    if (sv > 0) for (let c = 0; c < len; c++) long[dst * len + c] = b[src * len + c] / sv;
    short.set(q.subarray(src * k, src * k + k), dst * k);
  });
  // wide: A = B₀ → left = q (length m = k), right = w (length n = len)
  // tall: Aᵀ = B₀ → A = Σ σ_i w_i q_iᵀ → left = w (length m = len), right = q (length n = k)
  return wide ? { u: short, s, v: long, m, n, p: k } : { u: long, s, v: short, m, n, p: k };
}

/** All singular values of a float32 or float64 row-major [m, n] matrix, descending. */
export function singularValues(a: Float32Array | Float64Array, m: number, n: number): Float64Array {
  return svdJacobi(Float64Array.from(a), m, n).s;
}
