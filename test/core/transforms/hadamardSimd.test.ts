import { afterEach, describe, expect, it } from 'vitest';
import { hadamardForward, hadamardInverse, hadamardSpec } from '../../../src/core/transforms/hadamard.ts';
import { hadamardSimdAvailable, useHadamardSimd } from '../../../src/core/transforms/hadamardSimd.ts';
import type { Tensor2D } from '../../../src/core/tensor.ts';
import { firstDifference } from '../../helpers/sameArrays.ts';

function tensor(rows: number, cols: number, seed: number): Tensor2D {
  let s = seed;
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    // magnitudes over ~2^±40, so block sums round in float64 and the order of operands matters
    data[i] = ((s >>> 9) / 2 ** 23 - 0.5) * 2 ** (((s >>> 3) % 80) - 40);
  }
  const specials = [NaN, Infinity, -Infinity, -0, 3.4e38, -3.4e38, 1e-45];
  for (let k = 0; k < specials.length; k++) data[(k * 104729 + 7) % data.length] = specials[k];
  return { rows, cols, data, shape: [rows, cols] } as unknown as Tensor2D;
}

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length), (b, i) => (Number.isNaN(a[i]) ? -1 : b));

function rotate(x: Tensor2D, g: number, random: boolean, simd: boolean, inverse = false): number[] {
  useHadamardSimd(simd);
  const spec = hadamardSpec(g, x.cols, random, 5);
  return bits(inverse ? hadamardInverse(x, spec) : hadamardForward(x, spec));
}

afterEach(() => useHadamardSimd(true));

describe('Hadamard rotation in WebAssembly SIMD (hadamardRotate.wat)', () => {
  it('runs here', () => expect(hadamardSimdAvailable()).toBe(true));

  // every mix of three-stage passes and single stages, both scale rules (log2 G even: × 1/√G; odd: ÷ √G)
  for (const g of [16, 32, 64, 128, 256, 512, 1024, 2048, 4096]) {
    it(`gives the JavaScript rotation's bits: G = ${g}, plain and random signs`, () => {
      const x = tensor(g >= 1024 ? 40 : 24, 4096, g);
      expect(firstDifference(rotate(x, g, false, true), rotate(x, g, false, false))).toBe('same');
      expect(firstDifference(rotate(x, g, true, true), rotate(x, g, true, false))).toBe('same');
    });
  }

  it('rows over one kernel chunk, and a plain inverse (the forward rotation again)', () => {
    const x = tensor(70, 2048, 3);
    expect(firstDifference(rotate(x, 64, false, true, true), rotate(x, 64, false, false, true))).toBe('same');
    expect(firstDifference(rotate(x, 2048, true, true), rotate(x, 2048, true, false))).toBe('same');
  });
});
