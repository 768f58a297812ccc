/**
 * Scaled runs cast in WebAssembly SIMD (stochasticRuns.wat): the stochastic
 * cast and draw of stochasticKernels.ts, or the round-to-nearest-even cast of
 * the RNE kernels, four elements at a time, ~2–3× the JavaScript kernels,
 * with the same bits (tested against them and the fixtures), the MX block
 * exponents with them (mxScales), and the scalar formats' group absmax
 * (absmax). x is copied into the kernel's memory 16384 elements at a time and
 * x̂ and the per-run saturated counts copied out (the copies are in the speed).
 * The same module carries the fused metrics + error-bucket pass (pass, driven
 * by errorPassSimd.ts), which can measure each window right after its cast
 * (observeCastWindows), before the next window replaces it.
 */
import { STOCHASTIC_RUNS_WASM_HEX } from './stochasticRunsWasm.ts';
import { kernelSlot, type WasmKernel } from '../wasm.ts';
import type { StochasticElement } from './stochasticKernels.ts';

// byte offsets and sizes in the kernel's memory (stochasticRuns.wat header)
const SIN_AT = 0, MUL_AT = 16384, SAT_AT = 32768, X_AT = 49152, EXP_AT = 114688, AMAX_AT = 131072, OUT_AT = 147456;
const SUMS_AT = 212992, MAXE_AT = 213120, FINITE_AT = 213136, BUCKETS_AT = 214016;
const MAX_RUNS = 4096;
const CHUNK = 16384;
/** error buckets of pass (histogram.ts ERROR_BUCKETS); a spare one after them counts the non-finite elements */
export const PASS_BUCKETS = 32768;

/** The module's pass (stochasticRuns.wat header) and its memory: x at `x`, x̂ at `out`, the running state after. */
export interface ErrorPassKernel {
  /** measures n elements (a multiple of 4, ≤ PASS_WINDOW) of x and x̂ */
  pass: (n: number) => void;
  x: Float32Array;
  out: Float32Array;
  /** metrics.ts's running sums (RUN_SX … lanes), loaded and stored by each call */
  sums: Float64Array;
  /** the running max |e| in two lanes */
  maxE: Float64Array;
  /** finite elements of the last call, each counted twice, in four lanes */
  finite: Int32Array;
  /** PASS_BUCKETS + 1 counts, added to */
  buckets: Uint32Array;
}

/** elements the module's X and OUT hold: the largest pass and cast window */
export const PASS_WINDOW = CHUNK;

/** The pass's views on an instance of the module (errorPassSimd.ts makes its own instance with it). */
export function errorPassKernelOf({ exports, buffer }: WasmKernel): ErrorPassKernel {
  return {
    pass: exports.pass as (n: number) => void,
    x: new Float32Array(buffer, X_AT, CHUNK),
    out: new Float32Array(buffer, OUT_AT, CHUNK),
    sums: new Float64Array(buffer, SUMS_AT, 16),
    maxE: new Float64Array(buffer, MAXE_AT, 2),
    finite: new Int32Array(buffer, FINITE_AT, 4),
    buckets: new Uint32Array(buffer, BUCKETS_AT, PASS_BUCKETS + 1),
  };
}

interface Kernel {
  ep: ErrorPassKernel;
  runs: (
    nRuns: number, width: number, divide: number, seed: number, drawStart: number,
    loField: number, hiField: number, manBits: number, max: number, satOnY: number, rne: number,
  ) => number;
  mxScales: (nRuns: number, width: number, emax: number, ceil: number, max: number) => void;
  absmax: (nRuns: number, width: number) => void;
  sIn: Float32Array;
  mul: Float32Array;
  sat: Uint32Array;
  x: Float32Array;
  /** x̂ out of runs */
  out: Float32Array;
  exp: Int32Array;
  amax: Float32Array;
}

const slot = kernelSlot(STOCHASTIC_RUNS_WASM_HEX, (wasm): Kernel => ({
  ep: errorPassKernelOf(wasm),
  runs: wasm.exports.runs as Kernel['runs'],
  mxScales: wasm.exports.mxScales as Kernel['mxScales'],
  absmax: wasm.exports.absmax as Kernel['absmax'],
  sIn: new Float32Array(wasm.buffer, SIN_AT, MAX_RUNS),
  mul: new Float32Array(wasm.buffer, MUL_AT, MAX_RUNS),
  sat: new Uint32Array(wasm.buffer, SAT_AT, MAX_RUNS),
  x: new Float32Array(wasm.buffer, X_AT, CHUNK),
  out: new Float32Array(wasm.buffer, OUT_AT, CHUNK),
  exp: new Int32Array(wasm.buffer, EXP_AT, MAX_RUNS),
  amax: new Float32Array(wasm.buffer, AMAX_AT, MAX_RUNS),
}));

/**
 * Sees each window `runs` has just cast, src and dst [start, start + n) (n a multiple of 4): x at
 * k.x, x̂ at k.out, until the next window. The kernel calls it in cast order; `final` is false when the
 * caller will write some of that dst again (ScaledRuns.rewrites). Returns true when the window's x̂
 * need not be copied out to dst (the observer measured it and nobody reads it).
 */
export type CastWindowObserver = (k: ErrorPassKernel, src: Float32Array, dst: Float32Array, start: number, n: number, final: boolean) => boolean;
let observer: CastWindowObserver | null = null;

/** Runs `body` with `obs` seeing every window this module's kernel casts meanwhile (errorPassSimd.ts's fused pass). */
export function observeCastWindows<T>(obs: CastWindowObserver, body: () => T): T {
  const before = observer;
  observer = obs;
  try {
    return body();
  } finally {
    observer = before;
  }
}

/** Switches the SIMD kernel off (false) or back on where available (true): for tests and the benchmark. */
export const useStochasticSimd = (on: boolean): void => slot.use(on);

export const stochasticSimdAvailable = (): boolean => slot.get() !== null;

/** nRuns consecutive runs of `width` elements from `start`, each with its own scales. */
export interface ScaledRuns {
  src: Float32Array;
  /** receives x̂; may alias src */
  dst: Float32Array;
  start: number;
  nRuns: number;
  width: number;
  /** y = f32(x / sIn[sAt + k]) when divide, else f32(x · sIn[sAt + k]) */
  sIn: Float32Array;
  /** x̂ = f32(cast(y) · mulOut[sAt + k]) */
  mulOut: Float32Array;
  sAt: number;
  divide: boolean;
  /** round to nearest, ties to even, instead of stochastically (seed and drawStart unused) */
  rne?: boolean;
  seed: number;
  /** the flat draw index of src[start] */
  drawStart: number;
  /** saturated counts finite y (true: the block kernels) or finite x (false: the scalar run kernels) */
  satOnY: boolean;
  /** receives each run's saturated count at satAt + k, when given */
  satPerRun?: Uint16Array | Uint32Array;
  satAt?: number;
  /** the caller writes some of dst again after this call (a cast observer is told its windows are not final) */
  rewrites?: boolean;
}

/**
 * The scaledStochasticTemplate contract (stochasticKernels.ts) over `runs`,
 * run k with scales k, or with `rne` the RNE kernels' (scalarKernels.ts); returns the saturated count, or −1 when the kernel is
 * not available, the element has no SIMD form or width is not a multiple of
 * 4 (nothing written then).
 */
export function stochasticRunsSimd(el: StochasticElement, runs: ScaledRuns): number {
  const { src, dst, start, nRuns, width, sIn, mulOut, sAt, seed, drawStart, satPerRun } = runs;
  const final = !runs.rewrites;
  const k = width % 4 === 0 && el.simd ? slot.get() : null;
  if (!k || !el.simd) return -1;
  if (width === 0 || nRuns === 0) return 0;
  const { loField, hiField, manBits } = el.simd;
  const divide = runs.divide ? 1 : 0;
  const satOnY = runs.satOnY ? 1 : 0;
  const rne = runs.rne ? 1 : 0;
  const satAt = runs.satAt ?? 0;
  let total = 0;
  if (width <= CHUNK) {
    const perChunk = Math.min(MAX_RUNS, Math.floor(CHUNK / width));
    for (let r0 = 0; r0 < nRuns; r0 += perChunk) {
      const nr = Math.min(perChunk, nRuns - r0);
      const s0 = start + r0 * width;
      const n = nr * width;
      k.x.set(src.subarray(s0, s0 + n));
      k.sIn.set(sIn.subarray(sAt + r0, sAt + r0 + nr));
      k.mul.set(mulOut.subarray(sAt + r0, sAt + r0 + nr));
      total += k.runs(nr, width, divide, seed, drawStart + r0 * width, loField, hiField, manBits, el.max, satOnY, rne);
      if (observer?.(k.ep, src, dst, s0, n, final) !== true) dst.set(k.out.subarray(0, n), s0);
      satPerRun?.set(k.sat.subarray(0, nr), satAt + r0);
    }
    return total;
  }
  // runs longer than a chunk: piece by piece, each piece a run of the same scales
  for (let r = 0; r < nRuns; r++) {
    k.sIn[0] = sIn[sAt + r];
    k.mul[0] = mulOut[sAt + r];
    let runSat = 0;
    for (let off = 0; off < width; off += CHUNK) {
      const s0 = start + r * width + off;
      const n = Math.min(CHUNK, width - off);
      k.x.set(src.subarray(s0, s0 + n));
      runSat += k.runs(1, n, divide, seed, drawStart + r * width + off, loField, hiField, manBits, el.max, satOnY, rne);
      if (observer?.(k.ep, src, dst, s0, n, final) !== true) dst.set(k.out.subarray(0, n), s0);
    }
    if (satPerRun) satPerRun[satAt + r] = runSat;
    total += runSat;
  }
  return total;
}

/** Whole MX blocks of a tensor whose rows are whole blocks: the block exponents and the cast together. */
export interface MxBlockRuns {
  src: Float32Array;
  /** receives x̂; may alias src */
  dst: Float32Array;
  nBlocks: number;
  /** elements per block (a multiple of 4) */
  blockSize: number;
  /** the element's emax (floor rule) and largest magnitude (ceil rule): mx.ts MxElement */
  emax: number;
  elementMax: number;
  ceil: boolean;
  /** round to nearest, ties to even, instead of stochastically (seed and drawStart unused) */
  rne?: boolean;
  seed: number;
  /** the flat draw index of src[0] */
  drawStart: number;
  /** receive per block 2^E, E and the saturated count (finite |y| > max) */
  scales: Float32Array;
  scaleExps: Int16Array;
  satPerBlock: Uint16Array;
}

/**
 * quantizeMx's contract (mx.ts), stochastic or RNE, in the kernel: per chunk of
 * blocks, mxScales (E from the finite amax by the floor or ceil rule) then runs
 * with y = f32(x · 2^−E), x̂ = f32(cast(y) · 2^E). Returns the saturated count, or
 * −1 when the kernel or the element's SIMD form is missing or blockSize is not
 * a multiple of 4 (nothing written then).
 */
export function mxBlocksSimd(el: StochasticElement, b: MxBlockRuns): number {
  const { src, dst, nBlocks, blockSize: width, seed, drawStart } = b;
  const k = width > 0 && width % 4 === 0 && width <= CHUNK && el.simd ? slot.get() : null;
  if (!k || !el.simd) return -1;
  const { loField, hiField, manBits } = el.simd;
  const perChunk = Math.min(MAX_RUNS, Math.floor(CHUNK / width));
  let total = 0;
  for (let r0 = 0; r0 < nBlocks; r0 += perChunk) {
    const nr = Math.min(perChunk, nBlocks - r0);
    const s0 = r0 * width;
    const n = nr * width;
    k.x.set(src.subarray(s0, s0 + n));
    k.mxScales(nr, width, b.emax, b.ceil ? 1 : 0, b.elementMax);
    total += k.runs(nr, width, 0, seed, drawStart + s0, loField, hiField, manBits, el.max, 1, b.rne ? 1 : 0);
    if (observer?.(k.ep, src, dst, s0, n, true) !== true) dst.set(k.out.subarray(0, n), s0);
    b.satPerBlock.set(k.sat.subarray(0, nr), r0);
    b.scales.set(k.mul.subarray(0, nr), r0);
    b.scaleExps.set(k.exp.subarray(0, nr), r0);
  }
  return total;
}

/**
 * scales.ts groupAbsmax's fold in the kernel (absmax): for nRuns consecutive
 * runs of `width` elements of x from `start`, out[at + k] = max(out[at + k],
 * max |x| over the finite x of run k), NaN and ±Inf skipped; out holds
 * non-negative values. ~10× the JavaScript loop. Returns false, writing
 * nothing, when the kernel is missing or width is not a positive multiple of 4.
 */
export function foldRunsAbsmaxSimd(x: Float32Array, start: number, nRuns: number, width: number, out: Float32Array, at: number): boolean {
  const k = width > 0 && width % 4 === 0 ? slot.get() : null;
  if (!k) return false;
  const amax = k.amax;
  if (width <= CHUNK) {
    const perChunk = Math.min(MAX_RUNS, Math.floor(CHUNK / width));
    for (let r0 = 0; r0 < nRuns; r0 += perChunk) {
      const nr = Math.min(perChunk, nRuns - r0);
      const s0 = start + r0 * width;
      k.x.set(x.subarray(s0, s0 + nr * width));
      k.absmax(nr, width);
      for (let j = 0, o = at + r0; j < nr; j++, o++) if (amax[j] > out[o]) out[o] = amax[j];
    }
    return true;
  }
  // runs longer than a chunk: piece by piece (CHUNK and width are multiples of 4, so every piece is)
  for (let r = 0; r < nRuns; r++) {
    for (let off = 0; off < width; off += CHUNK) {
      const s0 = start + r * width + off;
      const n = Math.min(CHUNK, width - off);
      k.x.set(x.subarray(s0, s0 + n));
      k.absmax(1, n);
      if (amax[0] > out[at + r]) out[at + r] = amax[0];
    }
  }
  return true;
}
