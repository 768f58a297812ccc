/**
 * topSingular.ts's two row products in WebAssembly SIMD (rowProducts.wat),
 * ~2× the JavaScript loops, with their bits (every output element is the same
 * float64 operations in the same order; tested). A is copied into the kernel's
 * memory a tile of rows at a time (~1 MB), beside the float64 operand (Bᵀ, or
 * Y's columns of the tile) and the result; the memory grows to fit, once.
 * Each function does the rows [0, m − m mod 4) and returns how many it did
 * (0 when the kernel cannot run here or the shape is not for it): the caller
 * does the rest in JavaScript.
 */
import { ROW_PRODUCTS_WASM_HEX } from './rowProductsWasm.ts';
import { instantiateWasm } from '../wasm.ts';
import { throwIfAborted, type LongRunOptions } from './progress.ts';

/** columns per tile of the products' inner loops (float64 operand tiles of JT·k·8 bytes stay in L2) */
const JT = 256;
/** bytes of A per row tile */
const TILE_BYTES = 1 << 20;
/** the kernel's memory stays under this; larger operands stay in JavaScript */
const MAX_BYTES = 1 << 30;

interface Memory { buffer: ArrayBuffer; grow(pages: number): number }
type Product = (a: number, rows: number, n: number, operand: number, kp: number, out: number, jt: number) => void;
interface Kernel { at: (...args: [...Parameters<Product>, chunked: number]) => void; a: Product; mem: Memory }

let kernel: Kernel | null | undefined;
let enabled = true;

function get(): Kernel | null {
  if (!enabled) return null;
  if (kernel === undefined) {
    const wasm = instantiateWasm(ROW_PRODUCTS_WASM_HEX);
    kernel = wasm && { at: wasm.exports.at as Kernel['at'], a: wasm.exports.a as Product, mem: wasm.exports.mem as Memory };
  }
  return kernel;
}

/** Whether the kernel runs here (false also after `useRowProductsSimd(false)`). */
export const rowProductsSimdAvailable = (): boolean => get() !== null;

/** Switches the kernel off (false) or back on where available (true): for tests and the benchmark. */
export const useRowProductsSimd = (on: boolean): void => { enabled = on; };

/**
 * The kernel's memory with at least `bytes` bytes (views made before a grow are detached: make
 * them after), or null when it cannot grow that far (the JavaScript loops run then).
 */
function memoryOf(k: Kernel, bytes: number): ArrayBuffer | null {
  const short = bytes - k.mem.buffer.byteLength;
  try {
    if (short > 0) k.mem.grow(Math.ceil(short / 65536));
  } catch {
    return null;
  }
  return k.mem.buffer;
}

/**
 * bt[j·kp + t] = src[(row0 + t)·n + j] for t < count, and 0 for count ≤ t < kp: `count` rows of
 * src from row0, as float64 columns of a kp-wide row-major block (`at`'s operand).
 */
function transposeRows(src: Float32Array | Float64Array, row0: number, count: number, n: number, bt: Float64Array, kp: number): void {
  for (let t = 0; t < kp; t++) {
    if (t >= count) { for (let j = 0; j < n; j++) bt[j * kp + t] = 0; continue; }
    for (let j = 0, so = (row0 + t) * n; j < n; j++) bt[j * kp + t] = src[so + j];
  }
}

/** Rows of A per tile: a multiple of 4, at most m4. */
const tileRowsFor = (m4: number, n: number): number => Math.max(4, Math.min(m4, Math.floor(TILE_BYTES / (4 * n)) & ~3));

/**
 * The kernel's memory laid out for one product: the float64 operand at 0 (operandBytes), the
 * second float64 region at `secondAt` (secondBytes), then a tile of A (tileRows × n float32) at
 * `aAt`; null when that passes MAX_BYTES or the memory cannot grow. Every size is a multiple
 * of 16, so the regions stay aligned.
 */
function layout(k: Kernel, operandBytes: number, secondBytes: number, tileRows: number, n: number): { buf: ArrayBuffer; secondAt: number; aAt: number } | null {
  const secondAt = operandBytes, aAt = secondAt + secondBytes;
  const total = aAt + tileRows * n * 4;
  const buf = total > MAX_BYTES ? null : memoryOf(k, total);
  return buf && { buf, secondAt, aAt };
}

/**
 * out[t·m + i] = A_i · b_t for i < m − m mod 4 (A [m, n] float32 row-major, b [k, n]): mulRowsByAt's rows.
 */
export function mulRowsByAtSimd(A: Float32Array, m: number, n: number, b: Float64Array, k: number, out: Float64Array, opts: LongRunOptions = {}): number {
  const m4 = m & ~3;
  const kern = m4 > 0 && n > 0 && k > 0 ? get() : null;
  if (!kern) return 0;
  const kp = (k + 3) & ~3;
  const tileRows = tileRowsFor(m4, n);
  // Bᵀ [n, kp], then the tile's sums [tileRows, kp], then the tile of A
  const at = layout(kern, n * kp * 8, tileRows * kp * 8, tileRows, n);
  if (!at) return 0;
  const { buf, secondAt: outAt, aAt } = at;
  const bt = new Float64Array(buf, 0, n * kp);
  transposeRows(b, 0, k, n, bt, kp);
  const ko = new Float64Array(buf, outAt, tileRows * kp);
  const ka = new Float32Array(buf, aAt, tileRows * n);
  for (let i0 = 0; i0 < m4; i0 += tileRows) {
    throwIfAborted(opts.signal);
    const rows = Math.min(tileRows, m4 - i0);
    ka.set(A.subarray(i0 * n, (i0 + rows) * n));
    kern.at(aAt, rows, n, 0, kp, outAt, JT, 0);
    for (let r = 0; r < rows; r++) for (let t = 0, o = r * kp; t < k; t++) out[t * m + i0 + r] = ko[o + t];
  }
  return m4;
}

/**
 * out [k, n] += Σ_i y[t, i] A_i over the blocks of four rows below m − m mod 4,
 * in order (y [k, m]; n even): mulRowsByA's row blocks. `out` must hold zeros
 * (the JavaScript's fresh array): the kernel's sums replace it.
 */
export function mulRowsByASimd(A: Float32Array, m: number, n: number, y: Float64Array, k: number, out: Float64Array, opts: LongRunOptions = {}): number {
  const m4 = m & ~3;
  const kern = m4 > 0 && n > 0 && n % 2 === 0 && k > 0 ? get() : null;
  if (!kern) return 0;
  const kp = (k + 1) & ~1;
  const tileRows = tileRowsFor(m4, n);
  // the sums [kp, n], then the tile's columns of Y [kp, tileRows], then the tile of A
  const at = layout(kern, kp * n * 8, kp * tileRows * 8, tileRows, n);
  if (!at) return 0;
  const { buf, secondAt: yAt, aAt } = at;
  const ko = new Float64Array(buf, 0, kp * n);
  ko.fill(0);
  const ky = new Float64Array(buf, yAt, kp * tileRows);
  const ka = new Float32Array(buf, aAt, tileRows * n);
  for (let i0 = 0; i0 < m4; i0 += tileRows) {
    throwIfAborted(opts.signal);
    const rows = Math.min(tileRows, m4 - i0);
    ky.fill(0);
    for (let t = 0; t < k; t++) ky.set(y.subarray(t * m + i0, t * m + i0 + rows), t * rows);
    ka.set(A.subarray(i0 * n, (i0 + rows) * n));
    kern.a(aAt, rows, n, yAt, kp, 0, JT);
  }
  out.set(ko.subarray(0, k * n));
  return m4;
}

/** output features per block of matmulRowsSimd (Wᵀ's block, C × OB float64, is 8 MB at C = 4096) */
const OB = 256;

/**
 * matmul.ts's Y = X·Wᵀ (X [T, C], W [O, C], float32) for the rows [r0, r0 + 4⌊(r1 − r0)/4⌋) of X,
 * with matmulXWt's float64 order: per chunk of `kc` channels a sum from +0, the chunks' sums
 * added in order, one rounding to float32; row p into out[(p − r0)·O …]. Per block of OB outputs,
 * Wᵀ's block in float64, then X a row tile at a time through `at` in chunked mode (jt = kc).
 * Returns the rows done (0 when the kernel cannot run here), reporting their share of
 * r1 − r0 through onProgress.
 */
export function matmulRowsSimd(
  X: Float32Array, W: Float32Array, C: number, O: number, r0: number, r1: number, kc: number, out: Float32Array,
  opts: LongRunOptions = {},
): number {
  const rows4 = (r1 - r0) & ~3;
  const kern = rows4 > 0 && C > 0 && O > 0 ? get() : null;
  if (!kern) return 0;
  const tileRows = tileRowsFor(rows4, C);
  const kpMax = Math.min(OB, (O + 3) & ~3);
  // Wᵀ's block [C, kp], then the tile's sums [tileRows, kp], then the tile of X
  const at = layout(kern, C * kpMax * 8, tileRows * kpMax * 8, tileRows, C);
  if (!at) return 0;
  const { buf, secondAt: outAt, aAt } = at;
  const bt = new Float64Array(buf, 0, C * kpMax);
  const ka = new Float32Array(buf, aAt, tileRows * C);
  const nBlocks = Math.ceil(O / OB);
  for (let b = 0; b < nBlocks; b++) {
    const o0 = b * OB, ob = Math.min(OB, O - o0), kp = (ob + 3) & ~3;
    transposeRows(W, o0, ob, C, bt, kp);
    const ko = new Float64Array(buf, outAt, tileRows * kp);
    for (let i0 = 0; i0 < rows4; i0 += tileRows) {
      throwIfAborted(opts.signal);
      const rows = Math.min(tileRows, rows4 - i0);
      ka.set(X.subarray((r0 + i0) * C, (r0 + i0 + rows) * C));
      ko.fill(0, 0, rows * kp);
      kern.at(aAt, rows, C, 0, kp, outAt, kc, 1);
      for (let r = 0; r < rows; r++) out.set(ko.subarray(r * kp, r * kp + ob), (i0 + r) * O + o0);
      opts.onProgress?.(((b * rows4 + i0 + rows) / (nBlocks * rows4)) * (rows4 / (r1 - r0)));
    }
  }
  return rows4;
}
