/**
 * 256-entry RGBA colour lookup tables (ARCHITECTURE rule 7) and the mapping of
 * data values to LUT entries. Perceptually uniform, colour-vision-deficiency
 * friendly maps: viridis / cividis for magnitudes, a diverging blue–white–red
 * (RdBu) for signed error. d3-scale-chromatic supplies the colours.
 */
import { interpolateCividis, interpolateRdBu, interpolateViridis, rgb } from 'd3';
import { buildMagnitudeBuckets, entryOfBits, type MagnitudeBuckets } from './magnitudeBuckets.ts';

export type ColormapName = 'viridis' | 'cividis' | 'diverging';

/** RGBA, 256 entries × 4 bytes */
export type Lut = Uint8ClampedArray;

function buildLut(interp: (t: number) => string): Lut {
  const lut = new Uint8ClampedArray(256 * 4);
  for (let i = 0; i < 256; i++) {
    const c = rgb(interp(i / 255));
    lut[i * 4] = c.r; lut[i * 4 + 1] = c.g; lut[i * 4 + 2] = c.b; lut[i * 4 + 3] = 255;
  }
  return lut;
}

const cache = new Map<ColormapName, Lut>();

/** The LUT of a colour map (built once). `diverging`: index 0 = most negative (blue), 255 = most positive (red). */
export function getLut(name: ColormapName): Lut {
  let lut = cache.get(name);
  if (!lut) {
    lut = buildLut(name === 'viridis' ? interpolateViridis : name === 'cividis' ? interpolateCividis : (t) => interpolateRdBu(1 - t));
    cache.set(name, lut);
  }
  return lut;
}

/** CSS colour of LUT entry i. */
export function lutCss(lut: Lut, i: number): string {
  const k = Math.max(0, Math.min(255, Math.round(i))) * 4;
  return `rgb(${lut[k]}, ${lut[k + 1]}, ${lut[k + 2]})`;
}

/**
 * How values map onto the LUT:
 *  - `linear`: |v| over [lo, hi];
 *  - `log`: log |v| over [lo, hi] (lo > 0; smaller magnitudes get entry 0);
 *  - `diverging`: signed v over [−hi, hi] (lo ignored), 0 at the middle.
 */
export interface ColourMapping {
  kind: 'linear' | 'log' | 'diverging';
  domain: readonly [number, number];
}

/** LUT index (0…255) of one value, or −1 for NaN. */
export function lutIndex(v: number, m: ColourMapping): number {
  return lutIndexer(m)(v);
}

/** lutIndex for one mapping, with the mapping's constants (domain, logs) worked out once. */
export function lutIndexer(m: ColourMapping): (v: number) => number {
  const [lo, hi] = m.domain;
  const kind = m.kind;
  const l0 = Math.log(lo > 0 ? lo : Number.MIN_VALUE), l1 = Math.log(hi);
  return (v) => {
    if (v !== v) return -1;
    let t: number;
    if (kind === 'diverging') t = hi > 0 ? (v / hi + 1) / 2 : 0.5;
    else {
      const a = Math.abs(v);
      if (kind === 'log') t = a <= 0 ? 0 : l1 > l0 ? (Math.log(a) - l0) / (l1 - l0) : 1;
      else t = hi > lo ? (a - lo) / (hi - lo) : a > lo ? 1 : 0;
    }
    const k = Math.floor(t * 256);
    return k < 0 ? 0 : k > 255 ? 255 : k;
  };
}

/** Colour for NaN cells: a neutral grey (no data). */
export const NAN_RGBA = [128, 128, 128, 255] as const;

/**
 * Fills `out` (RGBA, 4 bytes per value, e.g. ImageData.data) with the LUT
 * colours of `values`. Values are drawn at data resolution; the canvas scales.
 */
export function colourize(values: ArrayLike<number>, lut: Lut, m: ColourMapping, out = new Uint8ClampedArray(values.length * 4)): Uint8ClampedArray {
  // one 4-byte copy per cell through Uint32 views of the LUT and the output (byte order kept either way)
  const n = values.length;
  const lut32 = new Uint32Array(Uint8Array.from(lut.subarray(0, 256 * 4)).buffer);
  const nan32 = new Uint32Array(Uint8Array.from(NAN_RGBA).buffer)[0];
  const aligned = out.byteOffset % 4 === 0 && out.length >= n * 4;
  const o32 = aligned ? new Uint32Array(out.buffer, out.byteOffset, n) : new Uint32Array(n);
  const index = lutIndexer(m);
  const thr = m.kind === 'log' ? logThresholds(m.domain) : null;
  const linear = m.kind === 'linear' && m.domain[1] > m.domain[0];
  if (thr && values instanceof Float32Array) {
    // float32 grids (every pooled heatmap): one table read per cell, ~7× the threshold search; the few
    // cells the table leaves (near a threshold, the top bracket, NaN, ±∞) take the search and the
    // formula (magnitudeBuckets.ts). Linear mappings: the formula below is as quick as a table.
    const table = logBucketsOf(m.domain, thr);
    const bits = new Uint32Array(values.buffer, values.byteOffset, n);
    for (let i = 0; i < n; i++) {
      let k = entryOfBits(table, bits[i] & 0x7fffffff);
      if (k < 0) {
        const v = values[i];
        if (v !== v) { o32[i] = nan32; continue; }
        k = logEntry(Math.abs(v), thr);
        if (k < 0) k = index(v);
      }
      o32[i] = lut32[k];
    }
  } else if (thr) {
    // a magnitude clear of every threshold takes its bracket's entry (8 compares instead of a log);
    // one within NEAR (relative) of one takes the formula's
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (v !== v) { o32[i] = nan32; continue; }
      let k = logEntry(Math.abs(v), thr);
      if (k < 0) k = index(v);
      o32[i] = lut32[k];
    }
  } else if (linear) {
    // lutIndexer's formula inline; floor(t) as t | 0 where 0 ≤ t < 255 (the same integer), ~1.6× Math.floor
    const [lo, hi] = m.domain;
    const span = hi - lo;
    for (let i = 0; i < n; i++) {
      const v = values[i];
      const t = ((Math.abs(v) - lo) / span) * 256;
      o32[i] = v !== v ? nan32 : lut32[t < 0 ? 0 : t >= 255 ? 255 : t | 0];
    }
  } else if (m.kind === 'diverging' && m.domain[1] > 0) {
    const hi = m.domain[1];
    for (let i = 0; i < n; i++) {
      const v = values[i];
      const t = ((v / hi + 1) / 2) * 256;
      o32[i] = v !== v ? nan32 : lut32[t < 0 ? 0 : t >= 255 ? 255 : t | 0];
    }
  } else {
    for (let i = 0; i < n; i++) {
      const k = index(values[i]);
      o32[i] = k < 0 ? nan32 : lut32[k];
    }
  }
  if (!aligned) out.set(new Uint8Array(o32.buffer), 0);
  return out;
}

/**
 * The 'log' mapping's bracket bounds: thr[k] = exp(l0 + k·(l1 − l0)/256) for k = 1…255, where
 * lutIndex turns from k − 1 to k; thr[0] = 0, thr[256] = ∞. Null when the domain is degenerate
 * (every positive magnitude is entry 255 then: the formula is as quick).
 */
function logThresholds(domain: readonly [number, number]): Float64Array | null {
  const [lo, hi] = domain;
  const l0 = Math.log(lo > 0 ? lo : Number.MIN_VALUE), l1 = Math.log(hi);
  if (!(l1 > l0)) return null;
  const thr = new Float64Array(257);
  for (let k = 1; k < 256; k++) thr[k] = Math.exp(l0 + (k / 256) * (l1 - l0));
  thr[256] = Infinity;
  return thr;
}

/**
 * Relative distance to a log threshold inside which colourize asks the formula: the formula's
 * rounding (a few ulps of log values ≤ 745 in size) moves t by under 1e-13 relative, far inside.
 */
const NEAR = 1e-9;

/**
 * The 'log' entry of magnitude a ≥ 0 from the thresholds thr (logThresholds): its bracket, or −1
 * when a lies within NEAR (relative) of the bracket's bounds (the formula decides then). For a
 * fixed bracket k both near tests are monotone in a (float64 subtraction is), as the bucket table needs.
 */
function logEntry(a: number, thr: Float64Array): number {
  if (!(a > 0)) return 0;
  let k = 0;
  if (a >= thr[128]) k = 128;
  if (a >= thr[k + 64]) k += 64;
  if (a >= thr[k + 32]) k += 32;
  if (a >= thr[k + 16]) k += 16;
  if (a >= thr[k + 8]) k += 8;
  if (a >= thr[k + 4]) k += 4;
  if (a >= thr[k + 2]) k += 2;
  if (a >= thr[k + 1]) k += 1;
  return a - thr[k] <= thr[k] * NEAR || thr[k + 1] - a <= thr[k + 1] * NEAR ? -1 : k;
}

/** the bucket tables of the last few log domains (a pan's replies share one per before/after pair) */
const bucketTables: { lo: number; hi: number; table: MagnitudeBuckets }[] = [];

function logBucketsOf(domain: readonly [number, number], thr: Float64Array): MagnitudeBuckets {
  const [lo, hi] = domain;
  let e = bucketTables.find((t) => t.lo === lo && t.hi === hi);
  if (!e) {
    e = { lo, hi, table: buildMagnitudeBuckets(thr, (a) => logEntry(a, thr)) };
    bucketTables.push(e);
    if (bucketTables.length > 4) bucketTables.shift();
  }
  return e.table;
}

/** Categorical colours for up to 6 compared formats (Okabe–Ito, CVD-safe, AA-contrast on white where it matters). */
export const SERIES_COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9'] as const;

export function seriesColour(i: number): string {
  return SERIES_COLOURS[i % SERIES_COLOURS.length];
}
