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
 *  - a scale that underflows to 0 while amax > 0 (amax a tiny subnormal) is
 *    replaced by 2^-149, the smallest positive float32 (it never clips);
 *  - pow2-row: the row scale is f32(finite row absmax / qmax) (int4_asym: from
 *    the row's lo/hi), without clip; a group with amax 0 keeps the row scale;
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
import { asymRun, forEachRun, intRun, minifloatRun, rowDriverFor, stochasticIntRun, stochasticMinifloatRun, type RunKernel } from './scalarKernels.ts';
import { elementMax, INT_QMAX, isIntId, isMinifloatId, MINIFLOATS } from '../formats/elementCast.ts';
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

/**
 * Quantize a tensor (or a row slice of one) to a scalar format. `out` (length
 * rows·cols, may alias x.data) receives x̂; returns x̂, the saturated count and
 * the float32 scale of every group in group order. Works one band of group rows
 * at a time (one row for row/group:G, R rows for block:RxC, all rows for
 * tensor/column): statistics, scales, then the element kernel while the band is
 * still in cache.
 */
export function quantizeScalar(x: Tensor2D, opts: QuantOptions, out?: Float32Array, ctx?: QuantContext): QuantizeResult {
  checkScalarOptions(opts);
  const { rows, cols, data } = x;
  const n = rows * cols;
  const xhat = out ?? new Float32Array(n);
  if (xhat.length < n) throw new Error(`output buffer has ${xhat.length} elements but the tensor has ${n}`);
  const rowOffset = ctx?.rowOffset ?? 0;
  checkSlice(opts, rowOffset, ctx);
  const id = opts.format;
  if (id !== 'int4_asym' && !isIntId(id) && !isMinifloatId(id)) {
    throw new Error(`format ${id} is not a scalar format; valid: ${SCALAR_FORMAT_IDS.join(', ')}`);
  }
  const L = groupLayout(opts.granularity, rows, cols);
  const stats = new BandScales(data, L, opts, id === 'int4_asym' ? 15 : elementMax(id), id === 'int4_asym');
  if (opts.granularity.kind === 'tensor' && ctx?.tensorAmax !== undefined) stats.fixedAmax = f32(ctx.tensorAmax);
  // the group absmax of these rows from an earlier call (another format or seed), or kept for the next one
  const amaxCache = stats.plainAbsmax ? ctx?.absmaxCache : undefined;
  const cacheKey = `${rowOffset}:${rows}x${cols}:${L.runWidth}x${L.rowsPerGroup}`;
  const cached = amaxCache?.get(cacheKey);
  if (cached) stats.useAmax(cached);

  const stochastic = opts.rounding === 'stochastic';
  const seed = opts.seed >>> 0;
  const drawBase = rowOffset * cols;
  let run: RunKernel;
  if (stochastic) {
    if (id === 'int4_asym') run = asymRun(seed, drawBase);
    else if (isIntId(id)) run = stochasticIntRun(INT_QMAX[id], seed, drawBase);
    else run = stochasticMinifloatRun(MINIFLOATS[id], seed, drawBase);
  } else {
    run = rneRun(id);
  }

  // the cached RNE kernels get a driver each; a stochastic kernel is made per call (seed, draw base)
  const drive = stochastic ? forEachRun : rowDriverFor(run);
  const xBits = new Int32Array(data.buffer, data.byteOffset, n);
  const outBits = new Int32Array(xhat.buffer, xhat.byteOffset, n);
  let saturated = 0;
  for (let gr = 0; gr < L.groupRows; gr++) {
    const r0 = gr * L.rowsPerGroup;
    const r1 = Math.min(rows, r0 + L.rowsPerGroup);
    stats.computeBand(r0, r1);
    saturated += drive(L, data, xBits, xhat, outBits, stats.scales, stats.zps, run, r0, r1);
  }
  if (amaxCache && !cached) amaxCache.set(cacheKey, stats.amaxCopy());
  return { xhat, saturated, scales: stats.scales };
}

/** RNE kernels, made once per format so the call sites stay monomorphic */
const RNE_RUNS = new Map<string, RunKernel>();
function rneRun(id: string): RunKernel {
  let run = RNE_RUNS.get(id);
  if (!run) {
    if (id === 'int4_asym') run = asymRun();
    else if (isIntId(id)) run = intRun(INT_QMAX[id]);
    else if (isMinifloatId(id)) run = minifloatRun(MINIFLOATS[id]);
    else throw new Error(`format ${id} is not a scalar format; valid: ${SCALAR_FORMAT_IDS.join(', ')}`);
    RNE_RUNS.set(id, run);
  }
  return run;
}

/**
 * Scales (and int4_asym zero points) of the groups in one band of rows.
 * Symmetric formats: amax = absmax or clip quantile, scale = f32(amax / qmax).
 * int4_asym: lo/hi (clipped to ±c with clip=Q), scale = f32(f32(hi − lo) / 15),
 * zp = RNE(f32(−lo / scale)). Then pow2 or pow2-row (row scale from the whole
 * row without clip; row and group:G bands are single rows).
 */
class BandScales {
  readonly scales: Float32Array;
  readonly zps: Float32Array | undefined;
  /** whole-tensor amax from the context (tensor granularity on row slices) */
  fixedAmax: number | undefined;
  /** the group amax of every group, known before (useAmax): the bands skip reading x for it */
  private known = false;
  private readonly amax: Float32Array;
  private readonly lo: Float32Array | undefined;
  private readonly rowL: GroupLayout | undefined;
  private readonly rowStat: Float32Array;
  private readonly rowLo: Float32Array | undefined;
  private readonly clipC: Float32Array | undefined;
  private readonly scratch: Float64Array | undefined;

  constructor(
    private readonly x: Float32Array, private readonly L: GroupLayout, private readonly opts: QuantOptions,
    private readonly qmax: number, private readonly asym: boolean,
  ) {
    this.scales = new Float32Array(L.numGroups);
    this.amax = new Float32Array(L.numGroups); // asym: hi
    this.lo = asym ? new Float32Array(L.numGroups) : undefined;
    this.zps = asym ? new Float32Array(L.numGroups) : undefined;
    this.rowL = opts.scale === 'pow2-row' ? groupLayout({ kind: 'row' }, L.rows, L.cols) : undefined;
    this.rowStat = new Float32Array(this.rowL ? L.rows : 0);
    this.rowLo = this.rowL && asym ? new Float32Array(L.rows) : undefined;
    const clipped = opts.clip !== undefined && opts.clip !== 1; // the 1-quantile is the max
    this.scratch = clipped ? new Float64Array(Math.max(L.runWidth * L.rowsPerGroup, L.cols)) : undefined;
    this.clipC = clipped && asym ? new Float32Array(Math.max(L.numGroups, L.rows)) : undefined;
  }

  /** Whether the groups' amax is the plain finite absmax of x (symmetric, no clip, not the context's tensor amax): what a cache may hold. */
  get plainAbsmax(): boolean {
    return !this.asym && this.scratch === undefined && this.fixedAmax === undefined;
  }

  /** Takes every group's amax from an earlier call on the same x and layout (plainAbsmax only). */
  useAmax(amax: Float32Array): void {
    this.amax.set(amax);
    this.known = true;
  }

  /** A copy of every group's amax, once all bands are computed. */
  amaxCopy(): Float32Array {
    return this.amax.slice();
  }

  /** scale of "amax" a (asym: the range hi − lo), 1 when it is 0 (scales.ts absmaxScale) */
  private scaleOf(a: number, lo: number): number {
    return this.asym ? absmaxScale(f32(a - lo), 15) : absmaxScale(a, this.qmax);
  }

  /** fills amax (asym: hi) and lo of the groups of layout L in rows [r0, r1); clip applies when `clip` */
  private stats(L: GroupLayout, amax: Float32Array, lo: Float32Array | undefined, r0: number, r1: number, clip = true): void {
    const { x, opts, scratch } = this;
    if (lo) groupMinMax(x, L, lo, amax, r0, r1);
    else groupAbsmax(x, L, amax, r0, r1);
    if (scratch === undefined || !clip) return;
    const g0 = Math.floor(r0 / L.rowsPerGroup) * L.runsPerRow;
    const g1 = Math.ceil(r1 / L.rowsPerGroup) * L.runsPerRow;
    if (!lo) { groupQuantileAbs(x, L, opts.clip!, amax, r0, r1, scratch); return; }
    const c = this.clipC!;
    groupQuantileAbs(x, L, opts.clip!, c, r0, r1, scratch);
    for (let g = g0; g < g1; g++) {
      if (lo[g] < -c[g]) lo[g] = -c[g];
      if (amax[g] > c[g]) amax[g] = c[g];
    }
  }

  computeBand(r0: number, r1: number): void {
    const { L, opts, scales, amax, lo } = this;
    const g0 = Math.floor(r0 / L.rowsPerGroup) * L.runsPerRow;
    const g1 = Math.ceil(r1 / L.rowsPerGroup) * L.runsPerRow;
    if (this.fixedAmax !== undefined) amax[0] = this.fixedAmax;
    else if (!this.known) this.stats(L, amax, lo, r0, r1);
    if (lo) {
      for (let g = g0; g < g1; g++) scales[g] = absmaxScale(f32(amax[g] - lo[g]), 15);
    } else {
      const qmax = this.qmax;
      for (let g = g0; g < g1; g++) scales[g] = absmaxScale(amax[g], qmax);
    }
    if (opts.scale === 'pow2') {
      for (let g = g0; g < g1; g++) scales[g] = pow2Up(scales[g]);
    } else if (this.rowL) {
      // row and group:G: the band is the single row r0; the row scale ignores clip
      let rowScale: number;
      if (opts.granularity.kind === 'row' && this.scratch === undefined) rowScale = scales[g0];
      else {
        this.stats(this.rowL, this.rowStat, this.rowLo, r0, r1, false);
        rowScale = this.scaleOf(this.rowStat[r0], this.rowLo ? this.rowLo[r0] : 0);
      }
      for (let g = g0; g < g1; g++) {
        const zeroGroup = lo ? amax[g] - lo[g] === 0 : amax[g] === 0;
        scales[g] = pow2RowScale(scales[g], rowScale, zeroGroup);
      }
    }
    if (lo && this.zps) for (let g = g0; g < g1; g++) this.zps[g] = rintF(f32(-lo[g] / scales[g]));
  }
}
