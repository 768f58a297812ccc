/**
 * Instantiates the core's hand-written WebAssembly kernels (the `.wat` files,
 * carried as hex by their generated `…Wasm.ts` modules) synchronously, where
 * the runtime has WebAssembly SIMD. Each kernel module keeps a JavaScript path
 * with the same bits for runtimes without it (or a CSP that forbids
 * compiling), so a null here only costs speed.
 */

/** The part of the WebAssembly JS API used here (the core's lib has no DOM or Node types). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

export interface WasmKernel {
  exports: Record<string, unknown>;
  /** the kernel's memory (never grown, so views on it stay valid) */
  buffer: ArrayBuffer;
}

function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** A fresh instance of the module, or null where it cannot run (no WebAssembly, no SIMD, compiling forbidden). */
export function instantiateWasm(hex: string): WasmKernel | null {
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (!wasm) return null;
  try {
    const bytes = hexBytes(hex);
    if (!wasm.validate(bytes)) return null;
    const { exports } = new wasm.Instance(new wasm.Module(bytes), {});
    return { exports, buffer: (exports.mem as { buffer: ArrayBuffer }).buffer };
  } catch {
    return null;
  }
}

/** One kernel instance, made on first use; `use(false)` switches it off (tests and the benchmark's JavaScript figures). */
export interface KernelSlot<K> {
  /** the kernel, or null where it cannot run or is switched off */
  get(): K | null;
  use(on: boolean): void;
}

/** A lazily made kernel of module `hex` with its typed views (`views` gets the fresh instance). */
export function kernelSlot<K>(hex: string, views: (wasm: WasmKernel) => K): KernelSlot<K> {
  let kernel: K | null | undefined;
  const make = (): K | null => {
    const wasm = instantiateWasm(hex);
    return wasm && views(wasm);
  };
  return {
    get: () => (kernel === undefined ? (kernel = make()) : kernel),
    use: (on) => { kernel = on ? make() : null; },
  };
}
