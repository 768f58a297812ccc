/**
 * The value grid of a format (DOMAIN.md §7 `values`): every distinct finite value
 * it can represent before any scale, ascending, −0 folded into 0, as float64
 * numbers (each exactly a float32). Block formats give their element's grid.
 * Also the RNE rounding interval of each value, for the teaching view.
 */
import { getFormat, type FormatId } from './registry.ts';
import { MINIFLOATS, INT_QMAX, isIntId, isMinifloatId } from './elementCast.ts';
import { NF4_CODEBOOK } from './codebook.ts';

export type GridId = FormatId | 'e8m0' | 'e4m3_scale';

const range = (lo: number, hi: number, div = 1): Float64Array => {
  const v = new Float64Array(hi - lo + 1);
  for (let k = lo; k <= hi; k++) v[k - lo] = k / div;
  return v;
};

/**
 * All finite values of a minifloat layout ≤ max, built from its fields: 0,
 * subnormals k·2^(1−bias−m), normals (1 + j/2^m)·2^(e−bias); mirrored for the sign.
 */
function minifloatValues(expBits: number, manBits: number, bias: number, max: number, signed = true): Float64Array {
  const pos: number[] = [];
  const steps = 2 ** manBits;
  for (let k = 1; k < steps; k++) pos.push(k * 2 ** (1 - bias - manBits));
  for (let e = 1; e < 2 ** expBits; e++) {
    for (let j = 0; j < steps; j++) {
      const v = (1 + j / steps) * 2 ** (e - bias);
      if (v <= max) pos.push(v);
    }
  }
  const n = pos.length;
  const out = new Float64Array(signed ? 2 * n + 1 : n + 1);
  if (signed) {
    for (let i = 0; i < n; i++) { out[n - 1 - i] = -pos[i]; out[n + 1 + i] = pos[i]; }
  } else {
    for (let i = 0; i < n; i++) out[i + 1] = pos[i];
  }
  return out;
}

const cache = new Map<GridId, Float64Array>();

/** Every distinct finite value of `id`, ascending (see the header). Do not mutate the result. */
export function formatValues(id: GridId): Float64Array {
  let v = cache.get(id);
  if (!v) {
    v = computeValues(id);
    cache.set(id, v);
  }
  return v;
}

function computeValues(id: GridId): Float64Array {
  if (id === 'e8m0') return Float64Array.from({ length: 255 }, (_, k) => 2 ** (k - 127));
  if (id === 'e4m3_scale') {
    const s = MINIFLOATS.fp8_e4m3.spec;
    return minifloatValues(s.expBits, s.manBits, s.bias, s.max, false); // scales are ≥ 0
  }
  if (id === 'int4_asym') return range(0, 15); // the codes; x̂ = (code − zp)·scale
  if (isIntId(id)) return range(-INT_QMAX[id], INT_QMAX[id]);
  if (isMinifloatId(id)) {
    const s = MINIFLOATS[id].spec;
    return minifloatValues(s.expBits, s.manBits, s.bias, s.max);
  }
  switch (id) {
    case 'mxint8': return range(-127, 127, 64);
    case 'nf4': return Float64Array.from(NF4_CODEBOOK).sort();
    case 'q8_0': return range(-127, 127);
    case 'q4_0': return range(-8, 7);
    default: {
      const el = getFormat(id).element;
      if (isMinifloatId(el)) return computeValues(el);
      throw new Error(`no value grid for format ${id}`);
    }
  }
}

export interface RoundingIntervals {
  /** lower boundary of the set of inputs that round to values[i] (−Inf for the smallest: saturation) */
  lo: Float64Array;
  /** upper boundary (+Inf for the largest: saturation) */
  hi: Float64Array;
  /** 1 when the tie at lo rounds to values[i] */
  loInclusive: Uint8Array;
  /** 1 when the tie at hi rounds to values[i] */
  hiInclusive: Uint8Array;
}

/**
 * RNE rounding intervals of a sorted grid: boundaries are the midpoints between
 * neighbours; each tie goes to one side. `ties`:
 *  - 'even' (default, RNE): counting grid positions outward from 0 (or from the
 *    smallest value when the grid has no 0), ties go to the even position. For
 *    integer grids that is the even integer; for minifloat grids it is the even
 *    mantissa (each binade has an even number of values);
 *  - 'lower': ties go to the lower value (NF4's rule, DOMAIN §3);
 *  - a function: the value that input `mid` rounds to (e.g. a format's cast).
 */
export function roundingIntervals(values: Float64Array, ties: 'even' | 'lower' | ((mid: number) => number) = 'even'): RoundingIntervals {
  const n = values.length;
  const lo = new Float64Array(n);
  const hi = new Float64Array(n);
  const loInclusive = new Uint8Array(n);
  const hiInclusive = new Uint8Array(n);
  let zero = values.indexOf(0);
  if (zero < 0) zero = 0;
  for (let i = 0; i < n; i++) {
    lo[i] = i === 0 ? -Infinity : (values[i - 1] + values[i]) / 2;
    hi[i] = i === n - 1 ? Infinity : (values[i] + values[i + 1]) / 2;
  }
  for (let i = 0; i + 1 < n; i++) {
    // the tie between values[i] and values[i + 1]
    let toUpper: boolean;
    if (ties === 'lower') toUpper = false;
    else if (ties === 'even') toUpper = Math.abs(i + 1 - zero) % 2 === 0;
    else toUpper = ties(hi[i]) === values[i + 1];
    if (toUpper) loInclusive[i + 1] = 1;
    else hiInclusive[i] = 1;
  }
  loInclusive[0] = 1;
  hiInclusive[n - 1] = 1;
  return { lo, hi, loInclusive, hiInclusive };
}
