/**
 * NVFP4 RNE quantization in WebAssembly SIMD (nvfp4Rne.wat) for tensors whose
 * rows are whole blocks (cols a multiple of 16): ~3× nvfp4.ts's JavaScript
 * row kernel, with the same bits (tested against it and the fixtures). x is
 * copied into the kernel's memory 16384 elements at a time and x̂, the block
 * scales and the saturated counts copied out (the copies are in the speed).
 */
import { NVFP4_RNE_WASM_HEX } from './nvfp4RneWasm.ts';
import { kernelSlot } from '../wasm.ts';
import { elementMagic } from './blockCommon.ts';
import { FP8_E4M3 } from './minifloat.ts';

// byte offsets and sizes in the kernel's memory (nvfp4Rne.wat header)
const MAGIC_AT = 0, SCALES_AT = 2048, SAT_AT = 6144, X_AT = 8192;
const CHUNK_BLOCKS = 1024;
const BLOCK = 16;
const CHUNK = CHUNK_BLOCKS * BLOCK;

interface Kernel {
  blocks: (nb: number, g: number, scalesOnly: number) => number;
  scales: Float32Array;
  sat: Uint16Array;
  x: Float32Array;
}

const slot = kernelSlot(NVFP4_RNE_WASM_HEX, ({ exports, buffer }): Kernel => {
  new Float64Array(buffer, MAGIC_AT, 256).set(elementMagic(FP8_E4M3).magic);
  return {
    blocks: exports.blocks as (nb: number, g: number) => number,
    scales: new Float32Array(buffer, SCALES_AT, CHUNK_BLOCKS),
    sat: new Uint16Array(buffer, SAT_AT, CHUNK_BLOCKS),
    x: new Float32Array(buffer, X_AT, CHUNK),
  };
});

/** Switches the SIMD kernel off (false) or back on where available (true): for tests and the benchmark. */
export const useNvfp4Simd = (on: boolean): void => slot.use(on);

export const nvfp4SimdAvailable = (): boolean => slot.get() !== null;

/**
 * RNE-quantizes all of `data` (its length a multiple of 16: whole blocks in
 * order) with tensor scale g into `xhat`, `scales` and `saturatedPerBlock`
 * (flat block order); returns the saturated count, or −1 when the kernel is
 * not available (nothing written then).
 */
export function nvfp4RneSimd(
  data: Float32Array, xhat: Float32Array, g: number, scales: Float32Array, saturatedPerBlock: Uint16Array,
): number {
  const k = data.length % BLOCK === 0 ? slot.get() : null;
  if (!k) return -1;
  let saturated = 0;
  for (let c = 0; c < data.length; c += CHUNK) {
    const e = Math.min(data.length, c + CHUNK);
    const nb = (e - c) / BLOCK;
    k.x.set(data.subarray(c, e));
    saturated += k.blocks(nb, g, 0);
    xhat.set(k.x.subarray(0, e - c), c);
    scales.set(k.scales.subarray(0, nb), c / BLOCK);
    saturatedPerBlock.set(k.sat.subarray(0, nb), c / BLOCK);
  }
  return saturated;
}

/**
 * The block scales S of nvfp4RneSimd alone (for the stochastic path, whose
 * scales are the same RNE ones): false when the kernel is not available or
 * data is not whole blocks (nothing written then).
 */
export function nvfp4ScalesSimd(data: Float32Array, g: number, scales: Float32Array): boolean {
  const k = data.length % BLOCK === 0 ? slot.get() : null;
  if (!k) return false;
  for (let c = 0; c < data.length; c += CHUNK) {
    const e = Math.min(data.length, c + CHUNK);
    const nb = (e - c) / BLOCK;
    k.x.set(data.subarray(c, e));
    k.blocks(nb, g, 1);
    scales.set(k.scales.subarray(0, nb), c / BLOCK);
  }
  return true;
}
