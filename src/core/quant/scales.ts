/**
 * Per-group statistics and float32 scales of the scalar formats (DOMAIN.md §3).
 * All statistics skip non-finite inputs (NaN, ±Inf): a group with no finite
 * element has amax 0 (so scale 1). Results are float32 values held in
 * Float32Array / JS numbers; every arithmetic step rounds to float32 once.
 */
import { groupRect, type GroupLayout } from './granularity.ts';
import { quantileLinear } from './quantile.ts';
import { foldRunsAbsmaxSimd, stochasticSimdAvailable } from '../formats/stochasticSimd.ts';

const f32 = Math.fround;

/**
 * Statistics are computed one band of group rows at a time: the functions below
 * take the rows [r0, r1) of whole group rows (default: all rows) and fill only
 * the entries of the groups in them, so a band is quantized while it is in cache.
 */

/** amax[g] = max over finite x in group g of |x| (0 when the group has none). */
export function groupAbsmax(x: Float32Array, L: GroupLayout, amax: Float32Array, r0 = 0, r1 = L.rows): void {
  const { cols, runWidth, runsPerRow, rowsPerGroup } = L;
  amax.fill(0, Math.floor(r0 / rowsPerGroup) * runsPerRow, Math.ceil(r1 / rowsPerGroup) * runsPerRow);
  // rows cut into whole runs of a multiple of 4: the kernel (a group row of single rows in one call)
  if (runWidth * runsPerRow === cols && runWidth % 4 === 0 && stochasticSimdAvailable()) {
    if (rowsPerGroup === 1) foldRunsAbsmaxSimd(x, r0 * cols, (r1 - r0) * runsPerRow, runWidth, amax, r0 * runsPerRow);
    else for (let r = r0; r < r1; r++) foldRunsAbsmaxSimd(x, r * cols, runsPerRow, runWidth, amax, Math.floor(r / rowsPerGroup) * runsPerRow);
    return;
  }
  for (let r = r0; r < r1; r++) rowRunsAbsmax(x, r * cols, cols, runWidth, runsPerRow, amax, Math.floor(r / rowsPerGroup) * runsPerRow);
}

/**
 * groupAbsmax of one row starting at x[rowBase]: folds each run of runWidth columns into
 * amax[gBase + run]. A function of its own so V8 optimizes it whole; the nested loops in one
 * function ran in on-stack-replaced code deoptimized at every exit of the inner loop.
 */
function rowRunsAbsmax(x: Float32Array, rowBase: number, cols: number, runWidth: number, runsPerRow: number, amax: Float32Array, gBase: number): void {
  for (let run = 0; run < runsPerRow; run++) {
    const c0 = run * runWidth;
    const c1 = Math.min(cols, c0 + runWidth);
    let m = amax[gBase + run];
    for (let i = rowBase + c0, end = rowBase + c1; i < end; i++) {
      const a = Math.abs(x[i]);
      if (a > m && a !== Infinity) m = a; // NaN fails a > m
    }
    amax[gBase + run] = m;
  }
}

/**
 * lo[g] = min(min finite x, 0), hi[g] = max(max finite x, 0) (int4_asym, DOMAIN §3).
 */
export function groupMinMax(x: Float32Array, L: GroupLayout, lo: Float32Array, hi: Float32Array, r0 = 0, r1 = L.rows): void {
  const { cols, runWidth, runsPerRow, rowsPerGroup } = L;
  const g0 = Math.floor(r0 / rowsPerGroup) * runsPerRow;
  const g1 = Math.ceil(r1 / rowsPerGroup) * runsPerRow;
  lo.fill(0, g0, g1);
  hi.fill(0, g0, g1);
  for (let r = r0; r < r1; r++) {
    const gBase = Math.floor(r / rowsPerGroup) * runsPerRow;
    const rowBase = r * cols;
    for (let run = 0; run < runsPerRow; run++) {
      const c0 = run * runWidth;
      const c1 = Math.min(cols, c0 + runWidth);
      let mn = lo[gBase + run];
      let mx = hi[gBase + run];
      for (let i = rowBase + c0, end = rowBase + c1; i < end; i++) {
        const v = x[i];
        if (v < mn && v !== -Infinity) mn = v;
        else if (v > mx && v !== Infinity) mx = v;
      }
      lo[gBase + run] = mn;
      hi[gBase + run] = mx;
    }
  }
}

/**
 * out[g] = f32(Q-quantile of |x| over the finite elements of group g), numpy's
 * linear interpolation in float64 (quantile.ts); 0 when the group has none.
 */
export function groupQuantileAbs(
  x: Float32Array, L: GroupLayout, q: number, out: Float32Array, r0 = 0, r1 = L.rows, scratch?: Float64Array,
): void {
  const buf = scratch ?? new Float64Array(L.runWidth * L.rowsPerGroup); // the largest group
  const cols = L.cols;
  const g1 = Math.ceil(r1 / L.rowsPerGroup) * L.runsPerRow;
  for (let g = Math.floor(r0 / L.rowsPerGroup) * L.runsPerRow; g < g1; g++) {
    const [gr0, gr1, c0, c1] = groupRect(L, g);
    let n = 0;
    for (let r = gr0; r < gr1; r++) {
      for (let i = r * cols + c0, end = r * cols + c1; i < end; i++) {
        const a = Math.abs(x[i]);
        if (a !== Infinity && a === a) buf[n++] = a;
      }
    }
    out[g] = n === 0 ? 0 : f32(quantileLinear(buf, n, q));
  }
}

/**
 * scale = f32(amax / qmax); 1 when amax == 0. Reading: when amax > 0 but the
 * division underflows to 0 (amax a tiny subnormal), the smallest positive
 * float32 2^-149 instead: a zero scale would turn finite input into NaN, and
 * 2^-149 still never clips (|y| < qmax / 2).
 */
export function absmaxScale(amax: number, qmax: number): number {
  if (amax === 0) return 1;
  const s = f32(amax / qmax);
  return s === 0 ? 2 ** -149 : s;
}

const scratchF = new Float32Array(1);
const scratchU = new Uint32Array(scratchF.buffer);

/**
 * ceil(log2 v) for a positive finite float32 v, exact from its bits (subnormals
 * too): the exponent when v is a power of two, else the exponent + 1.
 */
export function ceilLog2F32(v: number): number {
  scratchF[0] = v;
  const bits = scratchU[0] & 0x7fffffff;
  const e = bits >>> 23;
  const man = bits & 0x7fffff;
  if (e !== 0) return e - 127 + (man !== 0 ? 1 : 0);
  // subnormal: v = man · 2^-149
  const fl = 31 - Math.clz32(man);
  return -149 + fl + ((man & (man - 1)) !== 0 ? 1 : 0);
}

/** scale=pow2: the next power of two ≥ s (s itself when it is one). Never clips. */
export function pow2Up(s: number): number {
  return f32(2 ** ceilLog2F32(s));
}

/**
 * scale=pow2-row (DOMAIN §3): r = f32(groupScale / rowScale),
 * scale = f32(rowScale · 2^ceil(log2 r)). Reading: a group whose amax is 0 keeps
 * the row scale (its finite elements are zeros whatever the scale), which also
 * avoids r overflowing when the row scale is tiny.
 */
export function pow2RowScale(groupScale: number, rowScale: number, groupIsZero: boolean): number {
  if (groupIsZero) return rowScale;
  const r = f32(groupScale / rowScale);
  return f32(rowScale * 2 ** ceilLog2F32(r));
}
