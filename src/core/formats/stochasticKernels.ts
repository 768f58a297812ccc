/**
 * Stochastic rounding (DOMAIN.md §4) at the speed of the RNE kernels: the
 * element cast (Minifloat.castStochastic, castIntStochastic) and the
 * mulberry32 draw (rng.ts) inlined into loops compiled once per element format
 * with specialize() (specialize.ts). Results are bit-identical to calling
 * castStochastic(y, drawToUnit(mulberry32At(seed, index))) per element.
 *
 * One cast covers every element format: a "grid" of float32-binade spacings
 * q = quantumOf[f] (powers of two; f = the exponent field of y) below `max`.
 * Minifloats use their own table; symmetric integers have q = 1 everywhere and
 * MXINT8 q = 2^−6 (its elements are integers / 64). For |y| < max, with
 * a = |y|, lo = floor(a / q)·q and frac = (a − lo)/q (exact: q is a power of
 * two and a − lo keeps a's low bits):
 *   y > 0:  hi = lo + q  when u < frac,      else lo
 *   y < 0: −lo           when u < 1 − frac,  else −(lo + q)
 * which is castStochastic's u < (y − lo)/(hi − lo) term by term (1 − frac is
 * fl(hi − a)/q, one rounding, as there). A representable y gives frac = 0 and
 * stays y (u < 1 always); the result's sign comes from y's sign bit, so a
 * value that rounds to zero keeps the sign of y (castStochastic's y·0).
 * NaN, ±Inf and |y| ≥ max take the generic cast (`slow`), which saturates.
 *
 * Draws: the i-th draw's state is seed + (i + 1)·0x6D2B79F5 (mod 2^32), so a
 * loop over consecutive draw indices adds the constant per element.
 */
import type { Minifloat } from './minifloat.ts';
import { castIntStochastic } from './int.ts';
import { specialize } from '../specialize.ts';

/** The constants of one element format for the stochastic kernels. */
export interface StochasticElement {
  /** spacing of the grid at a float32 exponent field f (a power of two) */
  quantumOf: Float64Array;
  /** 1 / quantumOf[f] */
  invQuantumOf: Float64Array;
  /** largest finite magnitude: |y| ≥ max (and NaN) goes to `slow` */
  max: number;
  /** the generic stochastic cast (castStochastic), for the rare paths */
  slow: (y: number, u: number) => number;
  /**
   * quantumOf as arithmetic, for the SIMD kernel (stochasticRuns.wat): the
   * float32 exponent field of quantumOf[f] is clamp(f, loField, hiField) − manBits
   * (tested equal to the table for every f below max's); null where |y| ≥ max
   * may round to ±Inf (fp16, bf16), which the kernel does not do
   */
  simd: { loField: number; hiField: number; manBits: number } | null;
}

const MINIFLOAT_ELEMENTS = new Map<Minifloat, StochasticElement>();

export function minifloatStochastic(mf: Minifloat): StochasticElement {
  let el = MINIFLOAT_ELEMENTS.get(mf);
  if (!el) {
    el = {
      quantumOf: mf.quantumOf, invQuantumOf: mf.invQuantumOf, max: mf.spec.max, slow: mf.castStochastic,
      // q = 2^(max(e, 1 − bias) − manBits) for a float32 exponent e (minifloat.ts)
      simd: mf.spec.overflowToInf ? null : { loField: 127 + 1 - mf.spec.bias, hiField: 255, manBits: mf.spec.manBits },
    };
    MINIFLOAT_ELEMENTS.set(mf, el);
  }
  return el;
}

const ONES = new Float64Array(256).fill(1);
const INT_ELEMENTS = new Map<number, StochasticElement>();

/** Symmetric integers in [−qmax, qmax] (castIntStochastic). */
export function intStochastic(qmax: number): StochasticElement {
  let el = INT_ELEMENTS.get(qmax);
  if (!el) {
    el = {
      quantumOf: ONES, invQuantumOf: ONES, max: qmax, slow: (y, u) => castIntStochastic(y, u, qmax),
      simd: { loField: 127, hiField: 127, manBits: 0 },
    };
    INT_ELEMENTS.set(qmax, el);
  }
  return el;
}

/** MXINT8 elements: castIntStochastic(y · 64, u, 127) / 64 (mx.ts). */
export const MXINT8_STOCHASTIC: StochasticElement = {
  quantumOf: new Float64Array(256).fill(2 ** -6),
  invQuantumOf: new Float64Array(256).fill(64),
  max: 127 / 64,
  slow: (y, u) => castIntStochastic(y * 64, u, 127) / 64,
  simd: { loField: 127, hiField: 127, manBits: 6 },
};

/**
 * dst[i] = cast(y, u) · mulOut for i in [start, end), with
 * y = f32(divide ? src[i] / scaleIn : src[i] · scaleIn) and u the draw at flat
 * index flatStart + (i − start). Returns the count of finite y with |y| > max.
 * src and dst may alias.
 */
export type ScaledStochasticKernel = (
  src: Float32Array, dst: Float32Array, start: number, end: number,
  scaleIn: number, divide: boolean, mulOut: number, seed: number, flatStart: number,
) => number;

const SCALED_KERNELS = new Map<StochasticElement, ScaledStochasticKernel>();

/** The compiled kernel of one element format (compiled on first use, then cached). */
export function scaledStochasticKernel(el: StochasticElement): ScaledStochasticKernel {
  let k = SCALED_KERNELS.get(el);
  if (!k) {
    k = specialize(scaledStochasticTemplate, el.quantumOf, el.invQuantumOf, el.max, el.slow);
    SCALED_KERNELS.set(el, k);
  }
  return k;
}

/** Self-contained template for specialize(): the cast and draw of the module comment, inlined. */
function scaledStochasticTemplate(
  quantumOf: Float64Array, invQuantumOf: Float64Array, max: number, slow: (y: number, u: number) => number,
): ScaledStochasticKernel {
  const GOLDEN = 0x6d2b79f5; // rng.ts
  const SIGN = new Float64Array([1, -1]);
  const ONE_IF_NEG = new Float64Array([0, 1]);
  const f = new Float32Array(1);
  const fu = new Uint32Array(f.buffer);
  return (src, dst, start, end, scaleIn, divide, mulOut, seed, flatStart) => {
    let sat = 0;
    // the state of draw flatStart − 1: each element first advances it
    let state = (seed + Math.imul(flatStart, GOLDEN)) | 0;
    for (let i = start; i < end; i++) {
      state = (state + GOLDEN) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      f[0] = divide ? src[i] / scaleIn : src[i] * scaleIn;
      const y = f[0];
      const a = Math.abs(y);
      if (a < max) {
        const bits = fu[0];
        const e = (bits >>> 23) & 0xff;
        const q = quantumOf[e];
        const iq = invQuantumOf[e];
        const lo = Math.floor(a * iq) * q;
        const frac = (a - lo) * iq;
        const neg = bits >>> 31;
        // u < frac (y > 0) or u < 1 − frac (y < 0); ceil(thr − u) is 1 when u < thr, else ±0
        const below = Math.ceil(ONE_IF_NEG[neg] + SIGN[neg] * frac - u);
        const up = ONE_IF_NEG[neg] + SIGN[neg] * below; // round away from zero: 1, else 0
        dst[i] = (lo + q * up) * SIGN[neg] * mulOut;
      } else {
        if (a > max && a < Infinity) sat++;
        dst[i] = slow(y, u) * mulOut;
      }
    }
    return sat;
  };
}
