/**
 * numpy's default quantile (`np.quantile(a.astype(float64), q)`, method
 * "linear", Hyndman & Fan type 7), done in float64 and rounded once to float32
 * (DOMAIN §3 `clip=Q`, §5 `outliers=Q`):
 *   v = (n − 1)·q, i = floor(v), γ = v − i, lo = a_(i), hi = a_(i+1)
 *   result = γ ≥ 0.5 ? hi − (hi − lo)·(1 − γ) : lo + (hi − lo)·γ
 *   (v ≥ n − 1 gives the maximum)
 * Order statistics by quickselect on a float32 copy: O(n) expected.
 */

/** The q-quantile of |values| over finite elements (float32), or NaN when none is finite. */
export function absQuantileF32(values: Float32Array, q: number): number {
  const a = new Float32Array(values.length);
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = Math.abs(values[i]);
    if (v !== Infinity && v === v) a[n++] = v;
  }
  if (n === 0) return NaN;
  const arr = a.subarray(0, n);
  const vIdx = (n - 1) * q;
  if (vIdx >= n - 1) return Math.fround(select(arr, n - 1));
  const i = Math.floor(vIdx);
  const gamma = vIdx - i;
  const lo = select(arr, i);
  // after select(arr, i), arr[i+1..] ≥ lo, so the next order statistic is their minimum
  let hi = Infinity;
  for (let k = i + 1; k < n; k++) if (arr[k] < hi) hi = arr[k];
  const diff = hi - lo;
  return Math.fround(gamma >= 0.5 ? hi - diff * (1 - gamma) : lo + diff * gamma);
}

/** k-th smallest (0-based) of `a`, partially reordering it (Hoare quickselect, median of three). */
export function select(a: Float32Array, k: number): number {
  let lo = 0, hi = a.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < a[lo]) swap(a, mid, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[mid]) swap(a, hi, mid);
    const pivot = a[mid];
    let i = lo, j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) { swap(a, i, j); i++; j--; }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

function swap(a: Float32Array, i: number, j: number): void {
  const t = a[i]; a[i] = a[j]; a[j] = t;
}
