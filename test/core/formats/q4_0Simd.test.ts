import { afterEach, describe, expect, it } from 'vitest';
import { quantize } from '../../../src/core/quant/quantize.ts';
import { DEFAULT_QUANT_OPTIONS } from '../../../src/core/quant/options.ts';
import { q4_0SimdAvailable, useQ4_0Simd } from '../../../src/core/formats/q4_0Simd.ts';
import type { Tensor2D } from '../../../src/core/tensor.ts';
import { expectSameBlockResults, lcg, tensor } from '../../helpers/tensors.ts';
import { firstDifference } from '../../helpers/sameArrays.ts';

/** Every path of the kernel: ties for the first largest element (both signs, any lane), zero, tiny and huge blocks, specials. */
function hard(rows: number, cols: number, seed: number): Tensor2D {
  const r = lcg(seed);
  const t = tensor(rows, cols, (i) => {
    const u = r();
    const block = Math.floor(i / 32), at = i % 32;
    if (block % 23 === 3) return 0; // all zero: d = 0, id = 0
    if (block % 29 === 4) return at === 5 ? -0 : 0; // the first largest is +0 (element 0), −0 comes later
    if (block % 31 === 5) return (u - 0.5) * 1e-41; // subnormal: 1/d overflows, id = 0
    if (block % 37 === 6) return (u - 0.5) * 2e6; // fp16(d) overflows to ±Inf
    // equal magnitudes of both signs: the first one wins (lanes 0-3 and later vectors)
    if (block % 11 === 7) return at === (block % 32) ? -3 : at === ((block * 7) % 32) ? 3 : (u - 0.5);
    if (block % 13 === 8) return [-2, 2][at % 2] * (at === 9 || at === 30 ? 1 : 0.5);
    return (u - 0.5) * 2 ** Math.floor(r() * 12 - 4);
  });
  const d = t.data;
  const specials = [NaN, Infinity, -Infinity, -0, 1e-45, -1e-40, 3e38, -3.4e38];
  for (let k = 0; k < specials.length; k++) d[(k * 977 + 13) % d.length] = specials[k];
  // an infinite x in a zero-scale block (id = 0: x · id is NaN) and a block of only NaN and ±Inf
  if (d.length >= 32 * 24) { d[32 * 3 + 4] = Infinity; d[32 * 3 + 5] = -Infinity; }
  if (d.length >= 32 * 2) for (let i = 32; i < 64; i++) d[i] = [NaN, Infinity, -Infinity][i % 3];
  // NaNs with payloads and signs (x̂ is JavaScript's NaN, 0x7fc00000, whatever x's bits)
  const bits = new Uint32Array(d.buffer, d.byteOffset, d.length);
  if (d.length >= 32 * 8) { bits[32 * 7 + 1] = 0x7f800001; bits[32 * 7 + 2] = 0xffc00123; bits[32 * 7 + 3] = 0x7fffffff; }
  // a block scaled by d = 1 (first largest −8): y = 7.5 makes f = 16 exactly (saturated), 7.49 and 8 either side
  if (d.length >= 32 * 10) d.set([-8, 7.5, 7.49, 8, 7.5, -7.5, 0.5, 15.9 / 2, ...new Array(24).fill(0.1)], 32 * 9);
  return t;
}

function run(x: Tensor2D, simd: boolean) {
  useQ4_0Simd(simd);
  const r = quantize(x, { ...DEFAULT_QUANT_OPTIONS, format: 'q4_0' });
  return { ...r, bits: Array.from(new Uint32Array(r.xhat.buffer, r.xhat.byteOffset, r.xhat.length)) };
}

afterEach(() => useQ4_0Simd(true));

describe('GGML Q4_0 in WebAssembly SIMD (q4_0.wat)', () => {
  it('runs here', () => expect(q4_0SimdAvailable()).toBe(true));

  for (const [rows, cols, seed] of [[3, 64, 1], [64, 4096 + 32, 2], [1, 32, 3], [300, 96, 4], [40, 16384 + 512, 5]] as const) {
    it(`gives the JavaScript kernel's bits (NaN payloads too), scales and saturated counts: ${rows}×${cols}`, () => {
      const x = hard(rows, cols, seed);
      const a = run(x, true);
      const b = run(x, false);
      expectSameBlockResults(a, b);
      if (rows * cols >= 4096) expect(a.saturated).toBeGreaterThan(0); // the saturating path ran
    });
  }

  it('leaves rows that are not whole blocks to the JavaScript (the same result either way)', () => {
    const x = hard(5, 40, 6);
    expect(firstDifference(run(x, true).bits, run(x, false).bits)).toBe('same');
  });
});
