/**
 * The randomized SVD's row products in WebAssembly SIMD (rowProducts.wat
 * through rowProductsSimd.ts) against the JavaScript loops of topSingular.ts,
 * bit for bit: shapes with row tails (m mod 4), odd vector counts, odd widths
 * (mulRowsByA stays in JavaScript then), several row tiles and column tiles;
 * and matmul.ts's Y = X·Wᵀ through the same kernel in its chunked mode.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mulRowsByA, mulRowsByAt } from '../../../src/core/linalg/topSingular.ts';
import { matmulXWt } from '../../../src/core/linalg/matmul.ts';
import { mulRowsByAtSimd, rowProductsSimdAvailable, useRowProductsSimd } from '../../../src/core/linalg/rowProductsSimd.ts';
import { AbortedError } from '../../../src/core/linalg/progress.ts';
import { mulberry32Stream, drawToUnit } from '../../../src/core/rng.ts';
import { firstDifference } from '../../helpers/sameArrays.ts';

function seeded(n: number, seed: number, wide: boolean): Float64Array {
  const next = mulberry32Stream(seed);
  const out = new Float64Array(n);
  // wide: magnitudes over many binades (rounding differs if the order of operations does), signed zeros
  for (let i = 0; i < n; i++) out[i] = (drawToUnit(next()) - 0.5) * (wide ? 2 ** Math.floor(drawToUnit(next()) * 40 - 20) : 1);
  if (n > 3) { out[1] = 0; out[2] = -0; }
  return out;
}

/** the float64 bits as 32-bit halves (−0 and +0 differ) */
const bits = (a: Float64Array): Uint32Array => new Uint32Array(a.buffer, a.byteOffset, 2 * a.length);

afterEach(() => useRowProductsSimd(true));

describe('row products in WebAssembly SIMD (rowProducts.wat)', () => {
  it('runs here', () => expect(rowProductsSimdAvailable()).toBe(true));

  const shapes: [number, number, number][] = [[4, 2, 1], [7, 9, 3], [13, 10, 5], [64, 300, 26], [301, 262, 74], [1030, 520, 11], [8, 1, 4]];
  for (const [m, n, k] of shapes) {
    it(`${m}×${n}, k = ${k}: the JavaScript loops' bits`, () => {
      const a = { data: Float32Array.from(seeded(m * n, m + n, true)), rows: m, cols: n };
      const b = seeded(k * n, 3, false);
      const y = seeded(k * m, 4, true);
      const both = (simd: boolean) => {
        useRowProductsSimd(simd);
        return [mulRowsByAt(a, b, k), mulRowsByA(a, y, k)];
      };
      const [at1, a1] = both(true);
      const [at2, a2] = both(false);
      expect(firstDifference(bits(at1), bits(at2))).toBe('same');
      expect(firstDifference(bits(a1), bits(a2))).toBe('same');
      expect(at1.some((v) => v !== 0) && a1.some((v) => v !== 0)).toBe(true);
    });
  }

  it('does the whole blocks of four rows and leaves the rest (and declines without the kernel)', () => {
    const a = Float32Array.from(seeded(11 * 6, 1, false));
    const out = new Float64Array(2 * 11);
    expect(mulRowsByAtSimd(a, 11, 6, seeded(12, 2, false), 2, out)).toBe(8);
    expect(out.slice(8, 11).every((v) => v === 0) && out.slice(0, 8).some((v) => v !== 0)).toBe(true);
    useRowProductsSimd(false);
    expect(mulRowsByAtSimd(a, 11, 6, seeded(12, 2, false), 2, new Float64Array(22))).toBe(0);
  });

  it('stops between row tiles when aborted', () => {
    const m = 64, n = 8192; // 32 rows per 1 MB tile: two tiles
    const a = { data: Float32Array.from(seeded(m * n, 5, false)), rows: m, cols: n };
    const signal = { aborted: true };
    expect(() => mulRowsByAt(a, seeded(2 * n, 6, false), 2, { signal })).toThrow(AbortedError);
    expect(() => mulRowsByA(a, seeded(2 * m, 6, false), 2, { signal })).toThrow(AbortedError);
  });
});

describe('matmulXWt through the kernel (chunked mode): the bits of the JavaScript loops', () => {
  const f32 = (n: number, seed: number) => Float32Array.from(seeded(n, seed, true));
  const shapes: [string, number, number, number, number?, number?][] = [
    ['T, O and C small and odd', 7, 9, 5],
    ['more channels than one 512-chunk, outputs over one 256-block', 13, 1100, 300],
    ['rows over one 1 MB tile', 70, 4096, 12],
    ['a row range (rowStart, rowEnd) not starting at a multiple of 4', 41, 70, 33, 5, 38],
  ];
  for (const [what, T, C, O, r0, r1] of shapes) {
    it(what, () => {
      const x = { data: f32(T * C, T + C), rows: T, cols: C, shape: [T, C] };
      const w = { data: f32(O * C, O + 1), rows: O, cols: C, shape: [O, C] };
      const run = (simd: boolean) => {
        useRowProductsSimd(simd);
        const seen: number[] = [];
        const y = matmulXWt(x, w, { rowStart: r0, rowEnd: r1, onProgress: (f) => seen.push(f) });
        return { y, seen };
      };
      const a = run(true), b = run(false);
      expect(firstDifference(new Uint32Array(a.y.buffer), new Uint32Array(b.y.buffer))).toBe('same');
      expect(a.y.some((v) => v !== 0)).toBe(true);
      expect(a.seen.at(-1)).toBe(1);
      expect(a.seen.every((f, i) => i === 0 || f >= a.seen[i - 1])).toBe(true);
    });
  }

  it('stops between row tiles when aborted', () => {
    const x = { data: f32(8 * 64, 1), rows: 8, cols: 64, shape: [8, 64] };
    expect(() => matmulXWt(x, x, { signal: { aborted: true } })).toThrow(AbortedError);
  });
});
