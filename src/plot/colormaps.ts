/**
 * 256-entry RGBA colour lookup tables (ARCHITECTURE rule 7) and the mapping of
 * data values to LUT entries. Perceptually uniform, colour-vision-deficiency
 * friendly maps: viridis / cividis for magnitudes, a diverging blue–white–red
 * (RdBu) for signed error. d3-scale-chromatic supplies the colours.
 */
import { interpolateCividis, interpolateRdBu, interpolateViridis, rgb } from 'd3';

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
  if (v !== v) return -1;
  const [lo, hi] = m.domain;
  let t: number;
  if (m.kind === 'diverging') t = hi > 0 ? (v / hi + 1) / 2 : 0.5;
  else {
    const a = Math.abs(v);
    if (m.kind === 'log') {
      const l0 = Math.log(lo > 0 ? lo : Number.MIN_VALUE), l1 = Math.log(hi);
      t = a <= 0 ? 0 : l1 > l0 ? (Math.log(a) - l0) / (l1 - l0) : 1;
    } else t = hi > lo ? (a - lo) / (hi - lo) : a > lo ? 1 : 0;
  }
  const k = Math.floor(t * 256);
  return k < 0 ? 0 : k > 255 ? 255 : k;
}

/** Colour for NaN cells: a neutral grey (no data). */
export const NAN_RGBA = [128, 128, 128, 255] as const;

/**
 * Fills `out` (RGBA, 4 bytes per value, e.g. ImageData.data) with the LUT
 * colours of `values`. Values are drawn at data resolution; the canvas scales.
 */
export function colourize(values: ArrayLike<number>, lut: Lut, m: ColourMapping, out = new Uint8ClampedArray(values.length * 4)): Uint8ClampedArray {
  for (let i = 0; i < values.length; i++) {
    const k = lutIndex(values[i], m);
    const o = i * 4;
    if (k < 0) { out[o] = NAN_RGBA[0]; out[o + 1] = NAN_RGBA[1]; out[o + 2] = NAN_RGBA[2]; out[o + 3] = NAN_RGBA[3]; continue; }
    const l = k * 4;
    out[o] = lut[l]; out[o + 1] = lut[l + 1]; out[o + 2] = lut[l + 2]; out[o + 3] = lut[l + 3];
  }
  return out;
}

/** Categorical colours for up to 6 compared formats (Okabe–Ito, CVD-safe, AA-contrast on white where it matters). */
export const SERIES_COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9'] as const;

export function seriesColour(i: number): string {
  return SERIES_COLOURS[i % SERIES_COLOURS.length];
}
