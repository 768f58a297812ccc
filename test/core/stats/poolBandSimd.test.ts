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

/** x̂ near x: small steps, exact matches (error 0, −0), and specials of its own (NaN, ±Inf against finite and infinite x) */
function nearby(x: Float32Array, seed: number): Float32Array {
  const h = new Float32Array(x.length);
  let s = seed;
  for (let i = 0; i < x.length; i++) {
    s = (Math.imul(s, 22695477) + 1) >>> 0;
    const k = (s >>> 10) % 7;
    h[i] = k < 2 ? x[i] : x[i] + (k - 4) * 0.375 + (i % 97 === 0 ? 1e-30 : 0);
  }
  const specials = [NaN, Infinity, -Infinity, 3.4e38, -3.4e38];
  for (let k = 0; k < specials.length; k++) h[(k * 104729 + 11) % h.length] = specials[k];
  return h;
}

function pool(x: Float32Array, [rows, cols, vp, outRows, outCols, slice, absMax]: Args, simd: boolean, xhat?: Float32Array) {
  usePoolBandSimd(simd);
  const n = slice ? slice.rows : rows;
  const out = absMax ? { col: new Float32Array(cols), row: new Float32Array(n) } : undefined;
  const g = xhat
    ? poolMaxAbs(x, rows, cols, vp, outRows, outCols, 'error', xhat, slice)
    : poolMaxAbs(x, rows, cols, vp, outRows, outCols, 'value', undefined, slice, out);
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
    ['a zoomed viewport whose width is not a multiple of 4 (a wider band)', [80, 48, { row0: 3, row1: 70, col0: 5, col1: 38 }, 9, 11]],
    ['the same at the right edge (the band starts left of the viewport)', [80, 48, { row0: 0, row1: 33, col0: 30, col1: 47 }, 8, 17, { rowStart: 0, rows: 40 }]],
    ['a single column at the right edge', [80, 48, { row0: 2, row1: 80, col0: 47, col1: 48 }, 6, 1]],
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

    it(`gives the JavaScript pass's error grid (x̂ − x in float32): ${what}`, () => {
      const [rows, cols, , , , slice] = args;
      const full = data(rows, cols, rows + cols);
      const fullHat = nearby(full, rows * cols);
      const part = (a: Float32Array) => (slice ? a.subarray(slice.rowStart * cols, (slice.rowStart + slice.rows) * cols) : a);
      const [x, xhat] = [part(full), part(fullHat)];
      const noAbsMax: Args = [args[0], args[1], args[2], args[3], args[4], args[5]];
      const a = pool(x, noAbsMax, true, xhat);
      const b = pool(x, noAbsMax, false, xhat);
      for (const k of ['values', 'index'] as const) expect(firstDifference(a[k], b[k]), k).toBe('same');
      expect(a.absMax).toBe(b.absMax);
      expect(a.values.some((v) => v !== 0 && Number.isFinite(v))).toBe(true);
    });
  }
});
