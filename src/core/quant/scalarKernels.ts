/**
 * Hot loops of the scalar pipeline (DOMAIN.md §3–4), given one float32 scale
 * (and for int4_asym one zero point) per group (granularity.ts). x and out are
 * row-major [rows, cols]; out may alias x (each element is read before it is
 * written). Per element:  y = f32(x / s);  q = cast(y);  x̂ = f32(q · s).
 * Saturated = finite x with |y| > max (y may overflow to ±Inf when s is tiny:
 * still counted). ±Inf inputs saturate like the cast, uncounted; NaN → NaN.
 * Stochastic draws: element (r, c) of x uses mulberry32At(seed, drawBase + r·cols + c)
 * with drawBase = rowOffset · cols (the global row-major index).
 *
 * Speed: one call per run of a group (never per element); the minifloat RNE is
 * branch-free on the data: |y| is rounded with a per-binade magic constant
 * (adding then subtracting q·2^52 rounds to a multiple of the spacing q, ties
 * to even, exactly in float64) and the sign is restored by a ±1 multiply.
 * Where WebAssembly SIMD runs, the symmetric int and saturating minifloat
 * casts (RNE and stochastic) go to stochasticRuns.wat a row at a time, with the
 * same bits; these JavaScript kernels are its fallback (and the reference its
 * tests compare against).
 */
import type { GroupLayout } from './granularity.ts';
import type { Minifloat } from '../formats/minifloat.ts';
import { castIntStochastic } from '../formats/int.ts';
import { drawToUnit, mulberry32At } from '../rng.ts';
import { stochasticRunsSimd } from '../formats/stochasticSimd.ts';
import { specialize } from '../specialize.ts';
import { intStochastic, minifloatStochastic, type StochasticElement } from '../formats/stochasticKernels.ts';

const f32 = Math.fround;
/** 1.5·2^52: (y + M) − M rounds |y| < 2^51 to an integer, ties to even */
const RNE_MAGIC = 6755399441055744;
const SIGN = new Float64Array([1, -1]);

/**
 * Quantizes one row x[rowStart..rowEnd), split into runs of `runWidth` elements
 * (the last may be shorter); run k uses scales[g + k] (and zps[g + k] for
 * int4_asym). Returns the saturated count. One call per row keeps function
 * calls out of the per-group loop (group:32, column).
 */
export type RunKernel = (
  x: Float32Array, xBits: Int32Array, out: Float32Array, outBits: Int32Array,
  rowStart: number, rowEnd: number, runWidth: number, scales: Float32Array, zps: Float32Array, g: number,
) => number;

/** Applies a run kernel to every row of [r0, r1); returns the saturated count. */
export type RowDriver = (
  L: GroupLayout, x: Float32Array, xBits: Int32Array, out: Float32Array, outBits: Int32Array,
  scales: Float32Array, zps: Float32Array | undefined, run: RunKernel, r0?: number, r1?: number,
) => number;

/**
 * Applies `run` to every row of [r0, r1); returns the saturated count.
 * xBits / outBits are Int32Array views of x / out (made once per tensor).
 */
export const forEachRun: RowDriver = forEachRunTemplate();

/**
 * A row driver of its own for one kernel (specialize.ts), cached per kernel: with
 * one shared driver the `run(…)` call site sees a few kernels, and V8 inlines
 * them there polymorphically, without their specialized constants (measured:
 * fp8_e4m3 at 64 instead of 126 M elements/s when it was the third kernel
 * driven, in one process). Its own driver keeps the call monomorphic.
 */
export function rowDriverFor(run: RunKernel): RowDriver {
  let d = DRIVERS.get(run);
  if (!d) {
    d = specialize(forEachRunTemplate);
    DRIVERS.set(run, d);
  }
  return d;
}

const DRIVERS = new WeakMap<RunKernel, RowDriver>();

/** Self-contained template (specialize.ts). */
function forEachRunTemplate(): RowDriver {
  const NONE = new Float32Array(0);
  return (L, x, xBits, out, outBits, scales, zps, run, r0 = 0, r1 = L.rows) => {
    const { cols, runWidth, runsPerRow, rowsPerGroup } = L;
    let sat = 0;
    for (let r = r0; r < r1; r++) {
      const gBase = Math.floor(r / rowsPerGroup) * runsPerRow;
      sat += run(x, xBits, out, outBits, r * cols, r * cols + cols, runWidth, scales, zps ?? NONE, gBase);
    }
    return sat;
  };
}

/**
 * Symmetric integers, RNE: q = clamp(rint(y), ±qmax). |y| is rounded and the
 * sign of x restored by a ±1 multiply, so zero keeps its sign (numpy rint).
 */
export function intRun(qmax: number): RunKernel {
  return simdFirst(intStochastic(qmax), specialize(intRunTemplate, qmax));
}

/*
 * The RNE kernels are templates compiled once per format (specialize.ts), so
 * each format's loop is optimised for its own constants. Self-contained: no
 * module-level names inside.
 */
function intRunTemplate(qmax: number): RunKernel {
  const f32 = Math.fround;
  const RNE_MAGIC = 6755399441055744; // 1.5·2^52
  const SIGN = new Float64Array([1, -1]);
  return (x, xBits, out, _outBits, rowStart, rowEnd, runWidth, scales, _zps, g) => {
    let sat = 0;
    for (let start = rowStart; start < rowEnd; start += runWidth) {
      const s = scales[g++];
      const end = Math.min(rowEnd, start + runWidth);
      for (let i = start; i < end; i++) {
        const xi = x[i];
        const a = Math.abs(f32(xi / s));
        let q = a + RNE_MAGIC - RNE_MAGIC; // a ≤ qmax (an integer) rounds to ≤ qmax
        if (a > qmax) {
          q = qmax;
          if (Math.abs(xi) !== Infinity) sat++;
        }
        out[i] = q * SIGN[xBits[i] >>> 31] * s;
      }
    }
    return sat;
  };
}

/** Saturating minifloat (no Inf), RNE, branch-free rounding (see the header). */
export function minifloatRun(mf: Minifloat): RunKernel {
  const { manBits, bias, max } = mf.spec;
  const minExp = 1 - bias;
  // magic[e] = (spacing of the format at a float32 with exponent field e) · 2^52
  const magic = new Float64Array(256);
  for (let e = 0; e < 256; e++) magic[e] = 2 ** (Math.max(e - 127, minExp) - manBits + 52);
  return simdFirst(minifloatStochastic(mf), specialize(minifloatRunTemplate, magic, max));
}

/**
 * An RNE run kernel that casts each row in WebAssembly SIMD (stochasticRuns.wat with rne: the same
 * bits, tested) where it can (scaledRowSimd), else with the JavaScript kernel `js`; just `js` when
 * the element has no SIMD form (fp16, bf16: |y| ≥ max may round to ±Inf there).
 */
function simdFirst(el: StochasticElement, js: RunKernel): RunKernel {
  if (!el.simd) return js;
  type SimdRow = (x: Float32Array, out: Float32Array, rowStart: number, rowEnd: number, runWidth: number, scales: Float32Array, g: number) => number;
  const simdRow: SimdRow = (x, out, rowStart, rowEnd, runWidth, scales, g) => scaledRowSimd(el, x, out, rowStart, rowEnd, runWidth, scales, g, true, 0, 0);
  // a copy per format (specialize.ts): the fallback's call site then sees one kernel, as a driver's does (rowDriverFor)
  return specialize((row: SimdRow, fallback: RunKernel): RunKernel => (x, xBits, out, outBits, rowStart, rowEnd, runWidth, scales, zps, g) => {
    const sat = row(x, out, rowStart, rowEnd, runWidth, scales, g);
    return sat >= 0 ? sat : fallback(x, xBits, out, outBits, rowStart, rowEnd, runWidth, scales, zps, g);
  }, simdRow, js);
}

function minifloatRunTemplate(magic: Float64Array, max: number): RunKernel {
  const f32 = Math.fround;
  const SIGN = new Float64Array([1, -1]);
  return (x, _xBits, out, bits, rowStart, rowEnd, runWidth, scales, _zps, g) => {
    let sat = 0;
    for (let start = rowStart; start < rowEnd; start += runWidth) {
      const s = scales[g++];
      const end = Math.min(rowEnd, start + runWidth);
      for (let i = start; i < end; i++) {
        const xi = x[i];
        const y = f32(xi / s);
        out[i] = y;
        const b = bits[i];
        const a = Math.abs(y);
        const m = magic[(b >>> 23) & 0xff];
        let q = a + m - m; // NaN stays NaN; a ≤ max rounds to ≤ max (max is on the grid)
        if (a > max) {
          q = max;
          if (Math.abs(xi) !== Infinity) sat++;
        }
        out[i] = q * SIGN[b >>> 31] * s;
      }
    }
    return sat;
  };
}

/**
 * Stochastic element cast (DOMAIN §4) of a symmetric int or minifloat format,
 * per element castIntStochastic / Minifloat.castStochastic with the draw
 * mulberry32At(seed, drawBase + i): a kernel compiled once per format
 * (stochasticKernels.ts inlines the cast and the draw, bit-identical) and
 * bound here to the seed and drawBase, which stay runtime parameters.
 */
export function stochasticRun(el: StochasticElement, seed: number, drawBase: number): RunKernel {
  const k = stochasticRunKernel(el);
  return (x, _xBits, out, outBits, rowStart, rowEnd, runWidth, scales, _zps, g) => {
    const simd = scaledRowSimd(el, x, out, rowStart, rowEnd, runWidth, scales, g, false, seed, drawBase);
    return simd >= 0 ? simd : k(x, out, outBits, rowStart, rowEnd, runWidth, scales, g, seed, drawBase);
  };
}

/**
 * One row of runs in WebAssembly SIMD (stochasticSimd.ts, the same bits), stochastic or RNE: the
 * full runs in one call and a shorter last run in another. Returns −1 (nothing
 * written) when the kernel is not available or a run's width is not a multiple of 4.
 */
function scaledRowSimd(
  el: StochasticElement, x: Float32Array, out: Float32Array, rowStart: number, rowEnd: number, runWidth: number,
  scales: Float32Array, g: number, rne: boolean, seed: number, drawBase: number,
): number {
  const len = rowEnd - rowStart;
  if (runWidth <= 0 || runWidth % 4 !== 0 || len % 4 !== 0) return -1;
  const nFull = Math.floor(len / runWidth);
  const runs = {
    src: x, dst: out, start: rowStart, nRuns: nFull, width: runWidth, sIn: scales, mulOut: scales, sAt: g,
    divide: true, rne, seed, drawStart: drawBase + rowStart, satOnY: false,
  };
  const sat = stochasticRunsSimd(el, runs);
  if (sat < 0) return -1;
  const rest = len - nFull * runWidth;
  if (rest === 0) return sat;
  const start = rowStart + nFull * runWidth;
  return sat + stochasticRunsSimd(el, { ...runs, start, nRuns: 1, width: rest, sAt: g + nFull, drawStart: drawBase + start });
}

export function stochasticIntRun(qmax: number, seed: number, drawBase: number): RunKernel {
  return stochasticRun(intStochastic(qmax), seed, drawBase);
}

export function stochasticMinifloatRun(mf: Minifloat, seed: number, drawBase: number): RunKernel {
  return stochasticRun(minifloatStochastic(mf), seed, drawBase);
}

type StochasticRunKernel = (
  x: Float32Array, out: Float32Array, outBits: Int32Array, rowStart: number, rowEnd: number, runWidth: number,
  scales: Float32Array, g: number, seed: number, drawBase: number,
) => number;

const STOCHASTIC_RUNS = new Map<StochasticElement, StochasticRunKernel>();

function stochasticRunKernel(el: StochasticElement): StochasticRunKernel {
  let k = STOCHASTIC_RUNS.get(el);
  if (!k) {
    k = specialize(stochasticRunTemplate, el.quantumOf, el.invQuantumOf, el.max, el.slow);
    STOCHASTIC_RUNS.set(el, k);
  }
  return k;
}

/**
 * One row of runs, stochastic: y = f32(x / s), q = the stochastic cast of
 * stochasticKernels.ts (its module comment derives it from castStochastic),
 * x̂ = f32(q · s). Saturated: finite x with |y| > max. Self-contained template.
 */
function stochasticRunTemplate(
  quantumOf: Float64Array, invQuantumOf: Float64Array, max: number, slow: (y: number, u: number) => number,
): StochasticRunKernel {
  const GOLDEN = 0x6d2b79f5; // rng.ts
  const SIGN = new Float64Array([1, -1]);
  const ONE_IF_NEG = new Float64Array([0, 1]);
  return (x, out, outBits, rowStart, rowEnd, runWidth, scales, g, seed, drawBase) => {
    let sat = 0;
    // the state of draw drawBase + rowStart − 1: each element first advances it
    let state = (seed + Math.imul(drawBase + rowStart, GOLDEN)) | 0;
    for (let start = rowStart; start < rowEnd; start += runWidth) {
      const s = scales[g++];
      const end = Math.min(rowEnd, start + runWidth);
      for (let i = start; i < end; i++) {
        state = (state + GOLDEN) | 0;
        let t = Math.imul(state ^ (state >>> 15), 1 | state);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
        const xi = x[i];
        out[i] = xi / s; // the store rounds y to float32 (x[i] has been read: out may alias x)
        const y = out[i];
        const a = Math.abs(y);
        if (a < max) {
          const bits = outBits[i];
          const e = (bits >>> 23) & 0xff;
          const q = quantumOf[e];
          const iq = invQuantumOf[e];
          const lo = Math.floor(a * iq) * q;
          const frac = (a - lo) * iq;
          const neg = bits >>> 31;
          // u < frac (y > 0) or u < 1 − frac (y < 0); ceil(thr − u) is 1 when u < thr, else ±0
          const below = Math.ceil(ONE_IF_NEG[neg] + SIGN[neg] * frac - u);
          const up = ONE_IF_NEG[neg] + SIGN[neg] * below; // round away from zero: 1, else 0
          out[i] = (lo + q * up) * SIGN[neg] * s;
        } else {
          if (a > max && Math.abs(xi) !== Infinity) sat++;
          out[i] = slow(y, u) * s;
        }
      }
    }
    return sat;
  };
}

/**
 * int4_asym (DOMAIN §3): q = clamp(RNE(y) + zp, 0, 15), x̂ = f32((q − zp) · s).
 * Reading: saturated counts finite x whose unclamped code (RNE(y) + zp, or the
 * stochastic integer + zp) falls outside 0…15. Stochastic rounding rounds y to
 * one of its two neighbouring integers (DOMAIN §4) before the zero point is added.
 */
export function asymRun(seed?: number, drawBase = 0): RunKernel {
  return (x, _xBits, out, _outBits, rowStart, rowEnd, runWidth, scales, zps, g) => {
    let sat = 0;
    for (let start = rowStart; start < rowEnd; start += runWidth, g++) {
      const s = scales[g];
      const zp = zps[g];
      const end = Math.min(rowEnd, start + runWidth);
      for (let i = start; i < end; i++) {
        const xi = x[i];
        const y = f32(xi / s);
        let q = seed === undefined
          ? (Math.abs(y) < 2 ** 51 ? y + RNE_MAGIC - RNE_MAGIC : y)
          : castIntStochastic(y, drawToUnit(mulberry32At(seed, drawBase + i)), Infinity);
        q += zp;
        if (q > 15) { if (xi !== Infinity) sat++; q = 15; } else if (q < 0) { if (xi !== -Infinity) sat++; q = 0; }
        out[i] = (q - zp) * s;
      }
    }
    return sat;
  };
}
