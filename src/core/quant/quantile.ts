/**
 * numpy.quantile(a, q) with the default method='linear' (Hyndman & Fan type 7),
 * reproduced operation for operation in float64 so the result is bit-identical
 * to numpy on float64 input (numpy 2.x lib/_function_base_impl.py):
 *   vi = (n − 1) · q;  vi ≥ n − 1 → a[n−1];  p = floor(vi);  γ = vi − p
 *   d = a[p+1] − a[p];  γ ≥ 0.5 ? a[p+1] − d·(1 − γ) : a[p] + d·γ      (_lerp)
 * Order statistics come from an in-place selection (O(n)), not a full sort.
 */

/**
 * Q-quantile of buf[0..n) (finite values; reordered in place). n ≥ 1, 0 ≤ q ≤ 1.
 * Returns a float64 number; callers round it to float32 once.
 */
export function quantileLinear(buf: Float64Array, n: number, q: number): number {
  if (n <= 0) throw new Error('quantile of an empty set');
  const vi = (n - 1) * q;
  if (vi >= n - 1) return selectMax(buf, 0, n);
  const p = Math.floor(vi);
  const gamma = vi - p;
  const a = selectKth(buf, n, p);
  // after selection every element right of p is ≥ a[p]; the next order statistic is their minimum
  const b = selectMin(buf, p + 1, n);
  const d = b - a;
  return gamma >= 0.5 ? b - d * (1 - gamma) : a + d * gamma;
}

function selectMax(buf: Float64Array, lo: number, hi: number): number {
  let m = buf[lo];
  for (let i = lo + 1; i < hi; i++) if (buf[i] > m) m = buf[i];
  return m;
}

function selectMin(buf: Float64Array, lo: number, hi: number): number {
  let m = buf[lo];
  for (let i = lo + 1; i < hi; i++) if (buf[i] < m) m = buf[i];
  return m;
}

/**
 * Rearranges buf[0..n) so that buf[k] holds the k-th smallest value, everything
 * left of k is ≤ it and everything right of k is ≥ it (Hoare selection with a
 * median-of-three pivot). Returns buf[k].
 */
export function selectKth(buf: Float64Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  while (hi > lo) {
    if (hi - lo < 16) {
      // insertion sort on a short range
      for (let i = lo + 1; i <= hi; i++) {
        const v = buf[i];
        let j = i - 1;
        while (j >= lo && buf[j] > v) { buf[j + 1] = buf[j]; j--; }
        buf[j + 1] = v;
      }
      break;
    }
    const mid = (lo + hi) >>> 1;
    // median of three into buf[mid]
    if (buf[mid] < buf[lo]) swap(buf, mid, lo);
    if (buf[hi] < buf[lo]) swap(buf, hi, lo);
    if (buf[hi] < buf[mid]) swap(buf, hi, mid);
    const pivot = buf[mid];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (buf[i] < pivot) i++;
      while (buf[j] > pivot) j--;
      if (i <= j) { swap(buf, i, j); i++; j--; }
    }
    // now [lo, j] ≤ pivot ≤ [i, hi], and (j, i) equals pivot
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return buf[k];
}

function swap(buf: Float64Array, i: number, j: number): void {
  const t = buf[i];
  buf[i] = buf[j];
  buf[j] = t;
}
