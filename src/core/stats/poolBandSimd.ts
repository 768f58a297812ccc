/**
 * The column-max pass of poolMaxAbs (modes 'value' and 'error') in
 * WebAssembly SIMD (poolBand.wat): per column of a band of rows its max |v|
 * (v = x, or the float32 error x̂ − x) and the first row reaching it, and per
 * row its max |v|. ~3–5× the JavaScript loop, the same results (tested
 * against it). The band's rows (and x̂'s) are copied into the kernel's memory
 * (the copies are in the speed).
 */
import { POOL_BAND_WASM_HEX } from './poolBandWasm.ts';
import { kernelSlot } from '../wasm.ts';

// byte offsets and sizes in the kernel's memory (poolBand.wat header)
const BEST_AT = 0, ROW_AT = 65536, ROWMAX_AT = 131072, ROWS_AT = 393216, XHAT_AT = 1441792;
const MAX_W = 16384;
const ROWS_CAP = 262144;
const MAX_ROWS_PER_CALL = 65536;

export interface PoolBandKernel {
  /** max |x| per column of the band (−1: none yet) */
  best: Float32Array;
  /** the first row (the tensor's index) reaching best */
  bestRow: Int32Array;
}

interface Kernel extends PoolBandKernel {
  band: (w: number, nrows: number, row0: number, reset: number, error: number) => void;
  rowMax: Float32Array;
  rows: Float32Array;
  xhat: Float32Array;
}

const slot = kernelSlot(POOL_BAND_WASM_HEX, ({ exports, buffer }): Kernel => ({
  band: exports.band as Kernel['band'],
  best: new Float32Array(buffer, BEST_AT, MAX_W),
  bestRow: new Int32Array(buffer, ROW_AT, MAX_W),
  rowMax: new Float32Array(buffer, ROWMAX_AT, MAX_ROWS_PER_CALL),
  rows: new Float32Array(buffer, ROWS_AT, ROWS_CAP),
  xhat: new Float32Array(buffer, XHAT_AT, ROWS_CAP),
}));

/** Switches the SIMD kernel off (false) or back on where available (true): for tests and the benchmark. */
export const usePoolBandSimd = (on: boolean): void => slot.use(on);

/** Whether bands of viewport width w can run in SIMD here (w a multiple of 4, ≤ 16384). */
export function poolBandSimdFor(w: number): boolean {
  return w > 0 && w % 4 === 0 && w <= MAX_W && slot.get() !== null;
}

/**
 * Rows [r0, r1) of the tensor, columns [col0, col0 + w), from x holding rows
 * from `s0` on with `cols` columns (and xhat laid out as x, for v = f32(x̂ − x)):
 * the column maxima of |v| (returned views, valid until the next call) and,
 * with rowOut, each row's max |v| at rowOut[r − s0]. Call only where poolBandSimdFor(w).
 */
export function poolBandSimd(
  x: Float32Array, cols: number, s0: number, col0: number, w: number, r0: number, r1: number, rowOut?: Float32Array,
  xhat?: Float32Array,
): PoolBandKernel {
  const k = slot.get() as Kernel;
  const perCall = Math.min(MAX_ROWS_PER_CALL, Math.floor(ROWS_CAP / w));
  const copyRows = (from: Float32Array, to: Float32Array, base: number, n: number) => {
    if (w === cols) to.set(from.subarray(base, base + n * w));
    else for (let i = 0; i < n; i++) to.set(from.subarray(base + i * cols, base + i * cols + w), i * w);
  };
  for (let r = r0; r < r1; r += perCall) {
    const n = Math.min(perCall, r1 - r);
    const base = (r - s0) * cols + col0;
    copyRows(x, k.rows, base, n);
    if (xhat) copyRows(xhat, k.xhat, base, n);
    k.band(w, n, r, r === r0 ? 1 : 0, xhat ? 1 : 0);
    if (rowOut) rowOut.set(k.rowMax.subarray(0, n), r - s0);
  }
  return k;
}
