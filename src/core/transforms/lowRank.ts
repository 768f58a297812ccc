/**
 * A low-rank branch kept in fp16 (SVDQuant, LoRC; DOMAIN §5). From the top
 * singular triplets A ≈ Σ_k σ_k u_k v_kᵀ we store two fp16 factors, as the
 * kernels do (SVDQuant's L1 = UΣ, L2 = V):
 *   a_k = fp16(f32(σ_k · u_k))  (length rows),  b_k = fp16(f32(v_k))  (length cols)
 * (rounded to float32 first, then the house fp16 cast: RNE, overflow → ±Inf).
 * The dense branch is L_r[i, j] = f32(Σ_{k<r} a_k[i] · b_k[j]), summed in
 * float64 in k order, so the nested L_1 ⊂ L_2 ⊂ … come from one decomposition.
 * Storage: rank · (rows + cols) fp16 values = rank · (rows + cols) · 2 bytes.
 */
import { FP16 } from '../formats/minifloat.ts';
import type { Svd } from '../linalg/jacobi.ts';

export interface LowRankFp16 {
  rows: number;
  cols: number;
  rank: number;
  /** fp16 values of σ_k u_k, as rows: [rank, rows] */
  a: Float32Array;
  /** fp16 values of v_k, as rows: [rank, cols] */
  b: Float32Array;
}

export function lowRankFp16(svd: Svd, rank: number): LowRankFp16 {
  const r = Math.min(rank, svd.p);
  const { m, n } = svd;
  const a = new Float32Array(r * m);
  const b = new Float32Array(r * n);
  for (let k = 0; k < r; k++) {
    const sk = svd.s[k];
    for (let i = 0; i < m; i++) a[k * m + i] = sk * svd.u[k * m + i];
    for (let j = 0; j < n; j++) b[k * n + j] = svd.v[k * n + j];
  }
  FP16.castArray(a, a);
  FP16.castArray(b, b);
  return { rows: m, cols: n, rank: r, a, b };
}

/** acc += a_k b_kᵀ (float64, [rows, cols]). */
export function addRankOne(lr: LowRankFp16, k: number, acc: Float64Array): void {
  const { rows, cols, a, b } = lr;
  const bo = k * cols;
  for (let i = 0; i < rows; i++) {
    const ai = a[k * rows + i];
    if (ai === 0) continue;
    const o = i * cols;
    for (let j = 0; j < cols; j++) acc[o + j] += ai * b[bo + j];
  }
}

/** L_r = f32(Σ_{k<r} a_k b_kᵀ), [rows, cols]. */
export function lowRankDense(lr: LowRankFp16, r: number): Float32Array {
  const acc = new Float64Array(lr.rows * lr.cols);
  for (let k = 0; k < Math.min(r, lr.rank); k++) addRankOne(lr, k, acc);
  return Float32Array.from(acc);
}

/** Bytes of a rank-r fp16 branch for a [rows, cols] matrix. */
export function lowRankBytes(rank: number, rows: number, cols: number): number {
  return rank * (rows + cols) * 2;
}
