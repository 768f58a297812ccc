import { afterEach, describe, expect, it } from 'vitest';
import { poolMaxAbs, type Viewport } from '../../../src/core/stats/pooling.ts';
import { poolBandSimdFor, usePoolBandSimd } from '../../../src/core/stats/poolBandSimd.ts';
import { firstDifference } from '../../helpers/sameArrays.ts';

function data(rows: number, cols: number, seed: number): Float32Array {
  let s = seed;
  const a = new Float32Array(rows * cols);
  for (let i = 0; i < a.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    // few distinct magnitudes, so ties between rows and columns are common
    a[i] = ((s >>> 8) % 9 - 4) * (i % 61 === 0 ? 8 : 1);
  }
  const specials = [NaN, Infinity, -Infinity, -0, NaN, 1e-45];
  for (let k = 0; k < specials.length; k++) a[(k * 7919 + 3) % a.length] = specials[k];
  // a whole column of NaN in the first rows
  for (let r = 0; r < Math.min(rows, 5); r++) a[r * cols + 2] = NaN;
  return a;
}

type Args = [rows: number, cols: number, vp: Viewport, outRows: number, outCols: number, slice?: { rowStart: number; rows: number }, absMax?: boolean];

function pool(x: Float32Array, [rows, cols, vp, outRows, outCols, slice, absMax]: Args, simd: boolean) {
  usePoolBandSimd(simd);
  const n = slice ? slice.rows : rows;
  const out = absMax ? { col: new Float32Array(cols), row: new Float32Array(n) } : undefined;
  const g = poolMaxAbs(x, rows, cols, vp, outRows, outCols, 'value', undefined, slice, out);
  return { values: Array.from(g.values), index: Array.from(g.index), absMax: g.absMax, col: out && Array.from(out.col), row: out && Array.from(out.row) };
}

afterEach(() => usePoolBandSimd(true));

describe('pooling in WebAssembly SIMD (poolBand.wat)', () => {
  it('runs here for widths that are multiples of 4 up to 16384', () => {
    expect([poolBandSimdFor(4), poolBandSimdFor(4096), poolBandSimdFor(16384), poolBandSimdFor(6), poolBandSimdFor(16388)]).toEqual([true, true, true, false, false]);
  });

  const cases: [string, Args][] = [
    ['whole tensor with channel and row absmax', [96, 64, { row0: 0, row1: 96, col0: 0, col1: 64 }, 10, 7, undefined, true]],
    ['a row slice with channel and row absmax', [96, 64, { row0: 0, row1: 96, col0: 0, col1: 64 }, 12, 16, { rowStart: 37, rows: 40 }, true]],
    ['a zoomed viewport (column offset, rows copied one by one)', [80, 48, { row0: 3, row1: 70, col0: 8, col1: 36 }, 9, 5]],
    ['a zoomed viewport on a slice', [80, 48, { row0: 10, row1: 77, col0: 4, col1: 44 }, 7, 40, { rowStart: 20, rows: 50 }]],
    ['one band taller than the kernel takes in one call', [140_000, 4, { row0: 0, row1: 140_000, col0: 0, col1: 4 }, 1, 2, undefined, true]],
  ];
  for (const [what, args] of cases) {
    it(`gives the JavaScript pass's grid, indices and absmax: ${what}`, () => {
      const [rows, cols, , , , slice] = args;
      const full = data(rows, cols, rows + cols);
      const x = slice ? full.subarray(slice.rowStart * cols, (slice.rowStart + slice.rows) * cols) : full;
      const a = pool(x, args, true);
      const b = pool(x, args, false);
      for (const k of ['values', 'index', 'col', 'row'] as const) expect(firstDifference(a[k] ?? [], b[k] ?? []), k).toBe('same');
      expect(a.absMax).toBe(b.absMax);
      expect(a.index.some((k) => k !== 0xffffffff)).toBe(true);
    });
  }
});
