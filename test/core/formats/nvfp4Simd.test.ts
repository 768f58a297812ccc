import { afterEach, describe, expect, it } from 'vitest';
import { quantize } from '../../../src/core/quant/quantize.ts';
import { DEFAULT_QUANT_OPTIONS } from '../../../src/core/quant/options.ts';
import { nvfp4SimdAvailable, useNvfp4Simd } from '../../../src/core/formats/nvfp4Simd.ts';
import type { Tensor2D } from '../../../src/core/tensor.ts';
import { expectSameBlockResults, lcg, tensor } from '../../helpers/tensors.ts';
import { firstDifference } from '../../helpers/sameArrays.ts';

/** Outliers, specials, zero and tiny blocks, ties of the E2M1 grid: every path of the kernel. */
function hard(rows: number, cols: number, seed: number): Tensor2D {
  const r = lcg(seed);
  const t = tensor(rows, cols, (i) => {
    const u = r();
    const block = Math.floor(i / 16);
    if (block % 29 === 3) return 0; // an all-zero block
    if (block % 31 === 5) return (u - 0.5) * 1e-30; // tiny: its E4M3 scale underflows to 0
    if (block % 37 === 7) return [0.25, 0.75, 1.25, 1.75, 2.5, 3.5, 5, 6, 7, -0.25, -2.5, -5, -7, 0.5, 3, -0][i % 16]; // ties
    return (u - 0.5) * 2 ** Math.floor(r() * 12 - 4);
  });
  const d = t.data;
  const specials = [NaN, Infinity, -Infinity, -0, 1e-45, -1e-40, 3e38, -3.4e38];
  for (let k = 0; k < specials.length; k++) d[(k * 977 + 13) % d.length] = specials[k];
  return t;
}

function run(x: Tensor2D, simd: boolean) {
  useNvfp4Simd(simd);
  const r = quantize(x, { ...DEFAULT_QUANT_OPTIONS, format: 'nvfp4' });
  return { ...r, bits: Array.from(new Uint32Array(r.xhat.buffer, r.xhat.byteOffset, r.xhat.length), (b, i) => (Number.isNaN(r.xhat[i]) ? -1 : b)) };
}

afterEach(() => useNvfp4Simd(true));

describe('NVFP4 RNE in WebAssembly SIMD (nvfp4Rne.wat)', () => {
  it('runs here', () => expect(nvfp4SimdAvailable()).toBe(true));

  for (const [rows, cols, seed] of [[3, 48, 1], [64, 4096 + 16, 2], [1, 16, 3], [300, 64, 4]] as const) {
    it(`gives the JavaScript kernel's bits, scales and saturated counts: ${rows}×${cols}`, () => {
      const x = hard(rows, cols, seed);
      const a = run(x, true);
      const b = run(x, false);
      expectSameBlockResults(a, b);
      expect(a.tensorScale).toEqual(b.tensorScale);
    });
  }

  it('saturates: ±Inf to ±6·S, counted only for finite x', () => {
    const x = tensor(2, 16, (i) => (i === 0 ? Infinity : i === 1 ? -Infinity : i === 2 ? NaN : (i % 5) - 2));
    const a = run(x, true), b = run(x, false);
    expect(firstDifference(a.bits, b.bits)).toBe('same');
    expect(a.saturated).toBe(b.saturated);
    expect(Number.isNaN(a.xhat[2])).toBe(true);
    expect(a.xhat[0]).toBe(-a.xhat[1]);
  });

  it('an all-zero tensor (g = 0) gives signed zeros', () => {
    const x = tensor(4, 32, (i) => (i % 3 === 0 ? -0 : 0));
    const a = run(x, true), b = run(x, false);
    expect(firstDifference(a.bits, b.bits)).toBe('same');
    expect(a.tensorScale).toBe(0);
  });
});
