/**
 * GGML Q4_0 in WebAssembly SIMD (q4_0.wat) for tensors whose rows are whole
 * blocks (cols a multiple of 32): the block's first largest element in the
 * kernel, its scales (d, id, fp16 d) here with ggml.ts's own functions, the
 * cast in the kernel: ggml.ts's bits (tested against its JavaScript and the
 * gguf-py fixtures). x is copied into the kernel's memory 16384 elements at a
 * time and x̂ and the saturated counts copied out (the copies are in the speed).
 */
import { Q4_0_WASM_HEX } from './q4_0Wasm.ts';
import { kernelSlot } from '../wasm.ts';

// byte offsets and sizes in the kernel's memory (q4_0.wat header)
const ID_AT = 0, DH_AT = 2048, SAT_AT = 4096, M_AT = 6144, X_AT = 8192;
const BLOCK = 32;
const CHUNK_BLOCKS = 512;
const CHUNK = CHUNK_BLOCKS * BLOCK;

interface Kernel {
  firstMax: (nBlocks: number) => void;
  quant: (nBlocks: number) => number;
  id: Float32Array;
  dh: Float32Array;
  sat: Uint32Array;
  m: Float32Array;
  x: Float32Array;
}

const slot = kernelSlot(Q4_0_WASM_HEX, ({ exports, buffer }): Kernel => ({
  firstMax: exports.firstMax as Kernel['firstMax'],
  quant: exports.quant as Kernel['quant'],
  id: new Float32Array(buffer, ID_AT, CHUNK_BLOCKS),
  dh: new Float32Array(buffer, DH_AT, CHUNK_BLOCKS),
  sat: new Uint32Array(buffer, SAT_AT, CHUNK_BLOCKS),
  m: new Float32Array(buffer, M_AT, CHUNK_BLOCKS),
  x: new Float32Array(buffer, X_AT, CHUNK),
}));

/** Switches the SIMD kernel off (false) or back on where available (true): for tests and the benchmark. */
export const useQ4_0Simd = (on: boolean): void => slot.use(on);

export const q4_0SimdAvailable = (): boolean => slot.get() !== null;

/**
 * Q4_0 of data[0, n) as whole blocks of 32 (n a multiple of 32) into xhat, scales and satPerBlock
 * (block b = elements [32b, 32b + 32)); `blockScales(m)` gives a block's [id, fp16 d] from its first
 * largest element m (ggml.ts). Returns the saturated count, or −1 (nothing written) when the kernel
 * is missing or n is not a multiple of 32.
 */
export function q4_0BlocksSimd(
  data: Float32Array, xhat: Float32Array, scales: Float32Array, satPerBlock: Uint16Array,
  blockScales: (m: number) => readonly [number, number],
): number {
  const n = data.length;
  const k = n % BLOCK === 0 ? slot.get() : null;
  if (!k) return -1;
  let total = 0;
  for (let s0 = 0; s0 < n; s0 += CHUNK) {
    const len = Math.min(CHUNK, n - s0);
    const nb = len / BLOCK;
    const b0 = s0 / BLOCK;
    k.x.set(data.subarray(s0, s0 + len));
    k.firstMax(nb);
    for (let j = 0; j < nb; j++) {
      const [id, dh] = blockScales(k.m[j]);
      k.id[j] = id;
      k.dh[j] = dh;
      scales[b0 + j] = dh;
    }
    total += k.quant(nb);
    xhat.set(k.x.subarray(0, len), s0);
    satPerBlock.set(k.sat.subarray(0, nb), b0);
  }
  return total;
}
