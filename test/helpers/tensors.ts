/** Small tensor builders for the kernel tests (SIMD against JavaScript). */
import { expect } from 'vitest';
import type { Tensor2D } from '../../src/core/tensor.ts';
import { firstDifference } from './sameArrays.ts';

/** A rows×cols tensor with data[i] = fill(i). */
export function tensor(rows: number, cols: number, fill: (i: number) => number): Tensor2D {
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = fill(i);
  return { rows, cols, data, shape: [rows, cols] } as unknown as Tensor2D;
}

/** A seeded uniform [0, 1) generator (32-bit LCG). */
export function lcg(seed: number): () => number {
  let s = seed;
  return () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 2 ** 32; };
}

/** Two block quantizations of the same tensor agree: x̂ bits (as the caller maps them), block scales, saturated counts. */
export function expectSameBlockResults(
  a: { bits: ArrayLike<number>; scales?: ArrayLike<number>; saturatedPerBlock?: ArrayLike<number>; saturated: number },
  b: { bits: ArrayLike<number>; scales?: ArrayLike<number>; saturatedPerBlock?: ArrayLike<number>; saturated: number },
): void {
  expect(firstDifference(a.bits, b.bits)).toBe('same');
  expect(firstDifference(a.scales!, b.scales!)).toBe('same');
  expect(firstDifference(a.saturatedPerBlock!, b.saturatedPerBlock!)).toBe('same');
  expect(a.saturated).toBe(b.saturated);
}
