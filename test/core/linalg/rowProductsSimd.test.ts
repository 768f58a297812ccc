/**
 * The randomized SVD's row products in WebAssembly SIMD (rowProducts.wat
 * through rowProductsSimd.ts) against the JavaScript loops of topSingular.ts,
 * bit for bit: shapes with row tails (m mod 4), odd vector counts, odd widths
 * (mulRowsByA stays in JavaScript then), several row tiles and column tiles.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mulRowsByA, mulRowsByAt } from '../../../src/core/linalg/topSingular.ts';
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
