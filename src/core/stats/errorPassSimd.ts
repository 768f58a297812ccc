/**
 * Runs the fused metrics + error-bucket pass in WebAssembly SIMD (the pass of
 * stochasticRuns.wat) where the runtime has it: ~2× the JavaScript loop. Same
 * bits as the JavaScript pass (metrics.ts summation contract; tested).
 *
 * errorPassSimd: the kernel reads its own memory, so x and x̂ are copied in,
 * 16384 elements at a time (the copies are counted in the pass's speed), on
 * an instance of its own. castWithErrorPass: while a cast runs through the
 * stochasticRuns kernel, each window is measured in that kernel's memory
 * right after its cast, with no copies. Either way the kernel's buckets are
 * zeroed per call and added into the caller's at the end, so short ranges
 * (under SIMD_MIN_ELEMENTS) stay in JavaScript.
 */
import { STOCHASTIC_RUNS_WASM_HEX } from '../formats/stochasticRunsWasm.ts';
import { errorPassKernelOf, observeCastWindows, PASS_BUCKETS, PASS_WINDOW, type ErrorPassKernel } from '../formats/stochasticSimd.ts';
import { RUN_BAD, RUN_COUNT, RUN_MAX } from './metrics.ts';
import { kernelSlot } from '../wasm.ts';

export const SIMD_MIN_ELEMENTS = 1 << 16;

const slot = kernelSlot(STOCHASTIC_RUNS_WASM_HEX, errorPassKernelOf);

/** Whether the SIMD kernel runs here (false also after `useErrorPassSimd(false)`). */
export const errorPassSimdAvailable = (): boolean => slot.get() !== null;

/** Switches the SIMD kernel off (false) or back on where available (true): for tests and the benchmark's JavaScript figure. */
export const useErrorPassSimd = (on: boolean): void => slot.use(on);

/** Loads `run` into the kernel and zeroes its buckets. */
function begin(k: ErrorPassKernel, run: Float64Array): void {
  k.sums.set(run.subarray(0, 16));
  k.maxE.fill(run[RUN_MAX]);
  k.buckets.fill(0);
}

/** The finite elements of the last pass call. */
function finiteOfCall(k: ErrorPassKernel): number {
  return (k.finite[0] + k.finite[1] + k.finite[2] + k.finite[3]) / 2;
}

/** Stores the kernel's running state into `run` (`n` elements measured, `finite` of them finite) and adds its buckets. */
function finish(k: ErrorPassKernel, run: Float64Array, buckets: Uint32Array, n: number, finite: number): void {
  run.set(k.sums);
  run[RUN_MAX] = Math.max(k.maxE[0], k.maxE[1]);
  run[RUN_COUNT] += finite;
  run[RUN_BAD] += n - finite;
  const kb = k.buckets;
  for (let i = 0; i < PASS_BUCKETS; i++) buckets[i] += kb[i];
}

/**
 * Runs the kernel over the longest multiple-of-4 prefix of [start, end) and
 * returns where it stopped: `start` when it did not run (no SIMD, a short
 * range). `run` is the metrics.ts running-sum array; `buckets` has
 * PASS_BUCKETS entries (histogram.ts ERROR_BUCKETS).
 */
export function errorPassSimd(
  x: Float32Array, xhat: Float32Array, start: number, end: number, run: Float64Array, buckets: Uint32Array,
): number {
  const n4 = (end - start) & ~3;
  const k = n4 < SIMD_MIN_ELEMENTS || buckets.length !== PASS_BUCKETS ? null : slot.get();
  if (!k) return start;
  const stop = start + n4;
  begin(k, run);
  let finite = 0;
  for (let c = start; c < stop; c += PASS_WINDOW) {
    const e = Math.min(stop, c + PASS_WINDOW);
    k.x.set(x.subarray(c, e));
    k.out.set(xhat.subarray(c, e));
    k.pass(e - c);
    finite += finiteOfCall(k);
  }
  finish(k, run, buckets, n4, finite);
  return stop;
}

/** How castWithErrorPass went: measured in the kernel; not (measure x̂ apart); not, and x̂ incomplete (cast again, then measure). */
export type CastMeasure = 'measured' | 'apart' | 'recast';

/**
 * Runs `cast`, which is to write x̂ of x[0, n) into xhat[0, n) and return
 * xhat, and measures each window the stochasticRuns kernel casts meanwhile
 * where it lies. 'measured' when those windows were x[0, n) → xhat[0, n) in
 * order, each final (a cast that writes some elements again marks its
 * windows: ScaledRuns.rewrites), and cast returned xhat: `run` and `buckets`
 * then hold what the pass over x[0, n), xhat[0, n) adds, the same bits
 * (lanes counted from 0, each lane in element order). Otherwise `run` and
 * `buckets` are as they were and the caller measures x̂ itself: 'apart'.
 * With keepXhat false (x̂ only measured; xhat must not share x's buffer) the
 * measured windows are not copied out to xhat, so xhat holds no x̂ after a
 * 'measured' cast; a cast that stops being measurable after skipping some
 * returns 'recast': cast again (it must give the same x̂) before measuring apart.
 */
export function castWithErrorPass(
  x: Float32Array, xhat: Float32Array, n: number, run: Float64Array, buckets: Uint32Array, cast: () => Float32Array,
  keepXhat = true,
): CastMeasure {
  if (n < SIMD_MIN_ELEMENTS || n % 4 !== 0 || buckets.length !== PASS_BUCKETS || !errorPassSimdAvailable()) {
    cast();
    return 'apart';
  }
  const skip = !keepXhat && x.buffer !== xhat.buffer;
  const seen = { kernel: null as ErrorPassKernel | null, next: 0, finite: 0, inOrder: true, skipped: false };
  let written: Float32Array | null = null;
  const xAt = x.byteOffset >> 2, xhatAt = xhat.byteOffset >> 2;
  observeCastWindows((k, src, dst, start, len, final) => {
    if (!seen.inOrder) return false;
    if (seen.kernel === null) {
      seen.kernel = k;
      begin(k, run);
    }
    // the window must be final and the next elements of this x and xhat
    if (!final || k !== seen.kernel || src.buffer !== x.buffer || dst.buffer !== xhat.buffer
      || (src.byteOffset >> 2) + start !== xAt + seen.next || (dst.byteOffset >> 2) + start !== xhatAt + seen.next) {
      seen.inOrder = false;
      return false;
    }
    k.pass(len);
    seen.finite += finiteOfCall(k);
    seen.next += len;
    seen.skipped ||= skip;
    return skip;
  }, () => { written = cast(); });
  if (!seen.inOrder || seen.next !== n || seen.kernel === null || written !== xhat) return seen.skipped ? 'recast' : 'apart';
  finish(seen.kernel, run, buckets, n, seen.finite);
  return 'measured';
}
