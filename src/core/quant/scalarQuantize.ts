/**
 * The scalar scaled formats (DOMAIN.md §3): int8, int4, int4_asym, fp8_*, fp6_*,
 * fp4_e2m1 with one float32 scale per group (granularity.ts).
 *
 *   amax  = max finite |x| of the group, or with clip=Q the Q-quantile of the
 *           finite |x| (numpy linear, float64, rounded once to float32)
 *   scale = f32(amax / qmax) (1 when amax == 0), then scale=pow2 / pow2-row
 *   y = f32(x / scale);  q = cast(y);  x̂ = f32(q · scale)
 *
 * Readings of DOMAIN.md chosen here (the fixture generator follows them too):
 *  - statistics (amax, min/max, quantiles) skip NaN and ±Inf; NaN → x̂ NaN;
 *    ±Inf saturates like the cast and is not counted as saturated;
 *  - a scale that underflows to 0 (amax a tiny subnormal) is replaced by 1;
 *  - pow2-row: the row scale uses the same amax rule (clip included) over the
 *    whole row; a group with amax 0 keeps the row scale;
 *  - int4_asym with clip=Q: c = Q-quantile of |x|, lo = max(lo, −c),
 *    hi = min(hi, c); scale = f32(f32(hi − lo) / 15); pow2 / pow2-row apply to
 *    that scale; zp = RNE(f32(−lo / scale)) is not clamped;
 *  - scales always round to nearest; stochastic rounding is for the element cast.
 *
 * Row slices (QuantContext): draws use global indices. A slice must be a whole
 * number of scale groups: row, group:G and pow2-row are row-local; block:RxC
 * needs rowOffset to be a multiple of R; tensor needs ctx.tensorAmax and no clip
 * and a symmetric format; column is never row-local (see canSplitByRows).
 */
import type { Tensor2D } from '../tensor.ts';
import type { QuantOptions } from './options.ts';
import type { QuantContext, QuantizeResult } from './types.ts';
import { groupLayout, type GroupLayout } from './granularity.ts';
import { absmaxScale, groupAbsmax, groupMinMax, groupQuantileAbs, pow2RowScale, pow2Up } from './scales.ts';
import { asymRun, forEachRun, intRun, minifloatRun, stochasticIntRun, stochasticMinifloatRun, type RunKernel } from './scalarKernels.ts';
import { elementMax, isIntId, isMinifloatId, MINIFLOATS } from '../formats/elementCast.ts';
import { rintF } from '../formats/int.ts';

const f32 = Math.fround;

export const SCALAR_FORMAT_IDS = ['int8', 'int4', 'int4_asym', 'fp8_e4m3', 'fp8_e5m2', 'fp6_e2m3', 'fp6_e3m2', 'fp4_e2m1'] as const;

/**
 * Whether quantize(x, opts) gives the same bits when run on row slices (with
 * ctx.rowOffset and, for tensor granularity, ctx.tensorAmax) as on the whole tensor.
 */
export function canSplitByRows(opts: QuantOptions): boolean {
  const g = opts.granularity;
  if (g.kind === 'column') return false;
  if (g.kind === 'tensor') return opts.clip === undefined && opts.format !== 'int4_asym';
  return true; // row, group:G, and block:RxC when slices start at multiples of R
}

/** Throws one plain sentence when the options cannot apply to a scalar format. */
export function checkScalarOptions(opts: QuantOptions): void {
  if (opts.scale === 'pow2-row' && opts.granularity.kind !== 'row' && opts.granularity.kind !== 'group') {
    throw new Error(`scale=pow2-row needs granularity row or group:G, got ${opts.granularity.kind}`);
  }
  if (opts.clip !== undefined && !(opts.clip > 0 && opts.clip <= 1)) {
    throw new Error(`clip must be a quantile Q with 0 < Q ≤ 1, got ${opts.clip}`);
  }
}

function checkSlice(opts: QuantOptions, rowOffset: number, ctx: QuantContext | undefined): void {
  const g = opts.granularity;
  const sliced = rowOffset !== 0 || ctx?.tensorAmax !== undefined;
  if (!sliced) return;
  if (g.kind === 'column') throw new Error('column granularity needs the whole tensor, not a slice of rows');
  if (g.kind === 'block' && rowOffset % g.rows !== 0) {
    throw new Error(`a row slice for block:${g.rows}x${g.cols} must start at a multiple of ${g.rows} rows, got row ${rowOffset}`);
  }
  if (g.kind === 'tensor' && (opts.clip !== undefined || opts.format === 'int4_asym')) {
    throw new Error('tensor granularity with clip or int4_asym needs the whole tensor, not a slice of rows');
  }
  if (g.kind === 'tensor' && ctx?.tensorAmax === undefined) {
    throw new Error('tensor granularity on a slice of rows needs the whole tensor\'s amax (ctx.tensorAmax)');
  }
}

/** Per-group "amax" as the scale rule sees it (absmax or clip quantile), float32. */
function groupAmax(x: Float32Array, L: GroupLayout, clip: number | undefined): Float32Array {
  const amax = new Float32Array(L.numGroups);
  if (clip === undefined || clip === 1) groupAbsmax(x, L, amax); // the 1-quantile is the max
  else groupQuantileAbs(x, L, clip, amax);
  return amax;
}

/**
 * Quantize a tensor (or a row slice of one) to a scalar format. `out` (length
 * rows·cols, may alias x.data) receives x̂; returns x̂, the saturated count and
 * the float32 scale of every group in group order.
 */
export function quantizeScalar(x: Tensor2D, opts: QuantOptions, out?: Float32Array, ctx?: QuantContext): QuantizeResult {
  checkScalarOptions(opts);
  const { rows, cols, data } = x;
  const n = rows * cols;
  const xhat = out ?? new Float32Array(n);
  if (xhat.length < n) throw new Error(`output buffer has ${xhat.length} elements but the tensor has ${n}`);
  const rowOffset = ctx?.rowOffset ?? 0;
  checkSlice(opts, rowOffset, ctx);
  const L = groupLayout(opts.granularity, rows, cols);
  const stochastic = opts.rounding === 'stochastic';
  const seed = opts.seed >>> 0;
  const drawBase = rowOffset * cols;
  const rowLayout = opts.scale === 'pow2-row' ? groupLayout({ kind: 'row' }, rows, cols) : undefined;
  const id = opts.format;

  if (id === 'int4_asym') {
    const { scales, zps } = asymScales(data, L, rowLayout, opts);
    const saturated = forEachRun(L, data, xhat, scales, zps, stochastic ? asymRun(seed, drawBase) : asymRun());
    return { xhat, saturated, scales };
  }
  if (!isIntId(id) && !isMinifloatId(id)) throw new Error(`format ${id} is not a scalar format; valid: ${SCALAR_FORMAT_IDS.join(', ')}`);
  const qmax = elementMax(id);

  const amax = groupAmax(data, L, opts.clip);
  if (opts.granularity.kind === 'tensor' && ctx?.tensorAmax !== undefined && L.numGroups > 0) amax[0] = f32(ctx.tensorAmax);
  const scales = new Float32Array(L.numGroups);
  for (let g = 0; g < L.numGroups; g++) scales[g] = absmaxScale(amax[g], qmax);
  if (opts.scale === 'pow2') {
    for (let g = 0; g < L.numGroups; g++) scales[g] = pow2Up(scales[g]);
  } else if (rowLayout) {
    const rowAmax = opts.granularity.kind === 'row' ? amax : groupAmax(data, rowLayout, opts.clip);
    for (let g = 0; g < L.numGroups; g++) {
      const r = Math.floor(g / L.runsPerRow); // row and group:G have one row per group row
      scales[g] = pow2RowScale(scales[g], absmaxScale(rowAmax[r], qmax), amax[g] === 0);
    }
  }

  let run: RunKernel;
  if (isIntId(id)) run = stochastic ? stochasticIntRun(qmax, seed, drawBase) : intRun(qmax);
  else run = stochastic ? stochasticMinifloatRun(MINIFLOATS[id], seed, drawBase) : minifloatRun(MINIFLOATS[id]);
  const saturated = forEachRun(L, data, xhat, scales, undefined, run);
  return { xhat, saturated, scales };
}

/** int4_asym scale and zero point per group (DOMAIN §3 and the readings above). */
function asymScales(
  data: Float32Array, L: GroupLayout, rowLayout: GroupLayout | undefined, opts: QuantOptions,
): { scales: Float32Array; zps: Float32Array } {
  const rangeOf = (lay: GroupLayout) => {
    const lo = new Float32Array(lay.numGroups);
    const hi = new Float32Array(lay.numGroups);
    groupMinMax(data, lay, lo, hi);
    if (opts.clip !== undefined && opts.clip !== 1) {
      const c = new Float32Array(lay.numGroups);
      groupQuantileAbs(data, lay, opts.clip, c);
      for (let g = 0; g < lay.numGroups; g++) {
        if (lo[g] < -c[g]) lo[g] = -c[g];
        if (hi[g] > c[g]) hi[g] = c[g];
      }
    }
    const scale = new Float32Array(lay.numGroups);
    for (let g = 0; g < lay.numGroups; g++) scale[g] = absmaxScale(f32(hi[g] - lo[g]), 15);
    return { lo, hi, scale };
  };
  const { lo, hi, scale: scales } = rangeOf(L);
  if (opts.scale === 'pow2') {
    for (let g = 0; g < L.numGroups; g++) scales[g] = pow2Up(scales[g]);
  } else if (rowLayout) {
    const rowScale = opts.granularity.kind === 'row' ? scales.slice() : rangeOf(rowLayout).scale;
    for (let g = 0; g < L.numGroups; g++) {
      const r = Math.floor(g / L.runsPerRow);
      scales[g] = pow2RowScale(scales[g], rowScale[r], hi[g] - lo[g] === 0);
    }
  }
  const zps = new Float32Array(L.numGroups);
  for (let g = 0; g < L.numGroups; g++) zps[g] = rintF(f32(-lo[g] / scales[g]));
  return { scales, zps };
}
