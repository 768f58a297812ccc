/**
 * Runs the fused metrics + error-bucket pass in WebAssembly SIMD
 * (errorPass.wat) where the runtime has it: ~2× the JavaScript loop. Same
 * bits as the JavaScript pass (metrics.ts summation contract; tested).
 *
 * The kernel reads its own memory, so x and x̂ are copied in, 16384 elements
 * at a time (the copies are counted in the pass's speed). Its buckets are
 * zeroed per call and added into the caller's at the end, so short ranges
 * (under SIMD_MIN_ELEMENTS) stay in JavaScript.
 */
import { ERROR_PASS_WASM_HEX } from './errorPassWasm.ts';
import { RUN_BAD, RUN_COUNT, RUN_MAX } from './metrics.ts';
import { kernelSlot } from '../wasm.ts';

// byte offsets and sizes in the kernel's memory (errorPass.wat header)
const RUN_AT = 0, MAX_AT = 128, COUNT_AT = 144, BUCKETS_AT = 1024, X_AT = 135168, XHAT_AT = 200704;
const KERNEL_CHUNK = 16384;
const KERNEL_BUCKETS = 32768;
export const SIMD_MIN_ELEMENTS = 1 << 16;

interface Kernel {
  pass: (n: number) => void;
  sums: Float64Array;
  max: Float64Array;
  count: Int32Array;
  buckets: Uint32Array;
  x: Float32Array;
  xhat: Float32Array;
}

const slot = kernelSlot(ERROR_PASS_WASM_HEX, ({ exports, buffer }): Kernel => ({
  pass: exports.pass as (n: number) => void,
  sums: new Float64Array(buffer, RUN_AT, 16),
  max: new Float64Array(buffer, MAX_AT, 2),
  count: new Int32Array(buffer, COUNT_AT, 4),
  buckets: new Uint32Array(buffer, BUCKETS_AT, KERNEL_BUCKETS + 1),
  x: new Float32Array(buffer, X_AT, KERNEL_CHUNK),
  xhat: new Float32Array(buffer, XHAT_AT, KERNEL_CHUNK),
}));

/** Whether the SIMD kernel runs here (false also after `useErrorPassSimd(false)`). */
export const errorPassSimdAvailable = (): boolean => slot.get() !== null;

/** Switches the SIMD kernel off (false) or back on where available (true): for tests and the benchmark's JavaScript figure. */
export const useErrorPassSimd = (on: boolean): void => slot.use(on);

/**
 * Runs the kernel over the longest multiple-of-4 prefix of [start, end) and
 * returns where it stopped: `start` when it did not run (no SIMD, a short
 * range). `run` is the metrics.ts running-sum array; `buckets` has
 * KERNEL_BUCKETS entries (histogram.ts ERROR_BUCKETS).
 */
export function errorPassSimd(
  x: Float32Array, xhat: Float32Array, start: number, end: number, run: Float64Array, buckets: Uint32Array,
): number {
  const n4 = (end - start) & ~3;
  const k = n4 < SIMD_MIN_ELEMENTS || buckets.length !== KERNEL_BUCKETS ? null : slot.get();
  if (!k) return start;
  const stop = start + n4;
  k.sums.set(run.subarray(0, 16));
  k.max.fill(run[RUN_MAX]);
  k.buckets.fill(0);
  let finiteTwice = 0;
  for (let c = start; c < stop; c += KERNEL_CHUNK) {
    const e = Math.min(stop, c + KERNEL_CHUNK);
    k.x.set(x.subarray(c, e));
    k.xhat.set(xhat.subarray(c, e));
    k.pass(e - c);
    finiteTwice += k.count[0] + k.count[1] + k.count[2] + k.count[3];
  }
  run.set(k.sums);
  run[RUN_MAX] = Math.max(k.max[0], k.max[1]);
  run[RUN_COUNT] += finiteTwice / 2;
  run[RUN_BAD] += n4 - finiteTwice / 2;
  const kb = k.buckets;
  for (let i = 0; i < KERNEL_BUCKETS; i++) buckets[i] += kb[i];
  return stop;
}
