/**
 * The forward Hadamard rotation (hadamard.ts rotateFused) in WebAssembly SIMD
 * (hadamardRotate.wat): the same float64 butterflies two at a time, the same
 * bits (tested against the JavaScript and the numpy fixtures). Rows are copied
 * into the kernel's memory 65536 elements at a time and X' copied out (the
 * copies are in the speed).
 */
import { HADAMARD_ROTATE_WASM_HEX } from './hadamardRotateWasm.ts';
import { kernelSlot } from '../wasm.ts';

// byte offsets and sizes in the kernel's memory (hadamardRotate.wat header)
const SIGNS_AT = 0, X_AT = 655360;
const MAX_COLS = 65536;
const MAX_G = 16384;
const CHUNK = 65536;

interface Kernel {
  rotate: (n: number, g: number, cols: number, signed: number, mode: number, scale: number) => void;
  signs: Float64Array;
  x: Float32Array;
}

const slot = kernelSlot(HADAMARD_ROTATE_WASM_HEX, ({ exports, buffer }): Kernel => ({
  rotate: exports.rotate as Kernel['rotate'],
  signs: new Float64Array(buffer, SIGNS_AT, MAX_COLS),
  x: new Float32Array(buffer, X_AT, CHUNK),
}));

/** Switches the SIMD kernel off (false) or back on where available (true): for tests and the benchmark. */
export const useHadamardSimd = (on: boolean): void => slot.use(on);

export const hadamardSimdAvailable = (): boolean => slot.get() !== null;

/**
 * out = f32(((x · d) · H_g) / √G) per block (rotateFused's contract: divided by
 * rootG, or multiplied by exactInverse when that is non-zero) for whole rows
 * of `cols`; false (nothing written) where the kernel does not run: no SIMD,
 * g outside [4, 16384], or more than 65536 columns.
 */
export function rotateSimd(
  data: Float32Array, cols: number, g: number, d: Float32Array | null, rootG: number, exactInverse: number, out: Float32Array,
): boolean {
  const k = g < 4 || g > MAX_G || cols > MAX_COLS || cols % g !== 0 || data.length % cols !== 0 ? null : slot.get();
  if (!k) return false;
  if (d) for (let c = 0; c < cols; c++) k.signs[c] = d[c];
  const step = Math.floor(CHUNK / cols) * cols;
  const mode = exactInverse ? 0 : 1;
  const scale = exactInverse || rootG;
  for (let s = 0; s < data.length; s += step) {
    const e = Math.min(data.length, s + step);
    k.x.set(data.subarray(s, e));
    k.rotate(e - s, g, cols, d ? 1 : 0, mode, scale);
    out.set(k.x.subarray(0, e - s), s);
  }
  return true;
}
