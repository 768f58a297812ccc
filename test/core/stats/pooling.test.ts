import { describe, expect, it } from 'vitest';
import { cellStarts, clampViewport, fullViewport, NO_INDEX, poolMaxAbs, viewportCoversRows } from '../../../src/core/stats/pooling.ts';
import { channelAbsMax } from '../../../src/core/stats/channelStats.ts';
import { markCells, poolProfileMax } from '../../../src/core/stats/channelGrid.ts';

/** straightforward reference: every cell scanned separately */
function refPool(x: Float32Array, rows: number, cols: number, r0: number, r1: number, c0: number, c1: number, oR: number, oC: number) {
  const rs = Array.from({ length: oR + 1 }, (_, k) => r0 + Math.floor((k * (r1 - r0)) / oR));
  const cs = Array.from({ length: oC + 1 }, (_, k) => c0 + Math.floor((k * (c1 - c0)) / oC));
  const out: number[] = [];
  for (let i = 0; i < oR; i++) for (let j = 0; j < oC; j++) {
    let best = NaN, bestAbs = -1;
    for (let r = rs[i]; r < rs[i + 1]; r++) for (let c = cs[j]; c < cs[j + 1]; c++) {
      const v = x[r * cols + c];
      if (Math.abs(v) > bestAbs) { bestAbs = Math.abs(v); best = v; }
    }
    out.push(best);
  }
  return Float32Array.from(out);
}

function seeded(n: number, seed = 1): Float32Array {
  let s = seed;
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) { s = (Math.imul(s, 1103515245) + 12345) >>> 0; a[i] = (s / 2 ** 32 - 0.5) * 4; }
  return a;
}

describe('cellStarts', () => {
  it('splits a range into near-equal cells covering every index once', () => {
    expect(Array.from(cellStarts(0, 10, 3))).toEqual([0, 3, 6, 10]);
    expect(Array.from(cellStarts(5, 7, 10))).toEqual([5, 6, 7]); // never finer than the data
  });
});

describe('poolMaxAbs', () => {
  it('keeps the signed value of the largest magnitude, never an average', () => {
    const x = Float32Array.from([1, -5, 2, 0, 3, 4, -1, 1]);
    const g = poolMaxAbs(x, 2, 4, fullViewport(2, 4), 1, 2);
    expect(Array.from(g.values)).toEqual([-5, 2]); // cells: {1, −5, 3, 4} and {2, 0, −1, 1}
    expect(Array.from(g.index)).toEqual([1, 2]);
    expect(g.absMax).toBe(5);
  });

  it('matches a reference loop on random data and viewports', () => {
    const rows = 37, cols = 53, x = seeded(rows * cols);
    for (const [r0, r1, c0, c1, oR, oC] of [[0, 37, 0, 53, 5, 7], [3, 30, 10, 50, 9, 40], [0, 37, 0, 53, 37, 53], [2, 4, 5, 6, 8, 8]]) {
      const g = poolMaxAbs(x, rows, cols, { row0: r0, row1: r1, col0: c0, col1: c1 }, oR, oC);
      const eR = Math.min(oR, r1 - r0), eC = Math.min(oC, c1 - c0);
      expect([g.outRows, g.outCols]).toEqual([eR, eC]);
      expect(Array.from(g.values)).toEqual(Array.from(refPool(x, rows, cols, r0, r1, c0, c1, eR, eC)));
    }
  });

  it('takes the first element of the largest magnitude in row-major order, on ties, NaN and ±Inf', () => {
    // few distinct magnitudes (ties everywhere), ±0, NaN and ±Inf sprinkled in
    const rows = 41, cols = 29;
    const x = seeded(rows * cols, 5).map((v, i) => (i % 17 === 3 ? NaN : i % 31 === 7 ? -Infinity : i % 53 === 11 ? Infinity : i % 5 === 0 ? -0 : Math.round(v) * (i % 2 ? 1 : -1)));
    for (const [oR, oC] of [[1, 1], [3, 4], [7, 5], [41, 29], [20, 29], [41, 3], [2, 29]]) {
      const g = poolMaxAbs(x, rows, cols, fullViewport(rows, cols), oR, oC);
      const rs = cellStarts(0, rows, oR), cs = cellStarts(0, cols, oC);
      for (let i = 0; i < g.outRows; i++) for (let j = 0; j < g.outCols; j++) {
        let best = NaN, bestAbs = -1, bestK = NO_INDEX;
        for (let r = rs[i]; r < rs[i + 1]; r++) for (let c = cs[j]; c < cs[j + 1]; c++) {
          const v = x[r * cols + c];
          if (Math.abs(v) > bestAbs) { bestAbs = Math.abs(v); best = v; bestK = r * cols + c; }
        }
        const k = i * g.outCols + j;
        expect(Object.is(g.values[k], best) && g.index[k] === bestK, `cell ${i},${j} of ${oR}×${oC}`).toBe(true);
      }
    }
  });

  it('makes the channel absmax of the pooled rows in the same pass (absMaxOut), equal to channelAbsMax', () => {
    const rows = 50, cols = 36;
    const x = seeded(rows * cols, 9).map((v, i) => (i % 13 === 2 ? NaN : i % 97 === 5 ? -Infinity : Math.round(v))); // ties
    for (let c = 0; c < rows; c++) x[c * cols + 7] = NaN; // an all-NaN column
    x.fill(NaN, 4 * cols, 5 * cols); // an all-NaN row
    for (const [s0, s1] of [[0, 50], [0, 17], [17, 50], [20, 21], [10, 10]]) {
      const data = x.subarray(s0 * cols, s1 * cols);
      for (const [oR, oC] of [[1, 1], [7, 5], [50, 36], [16, 36]]) {
        const out = { col: new Float32Array(cols), row: new Float32Array(s1 - s0) };
        const slice = { rowStart: s0, rows: s1 - s0 };
        const fused = poolMaxAbs(data, rows, cols, fullViewport(rows, cols), oR, oC, 'value', undefined, slice, out);
        const plain = poolMaxAbs(data, rows, cols, fullViewport(rows, cols), oR, oC, 'value', undefined, slice);
        const ref = channelAbsMax(data, s1 - s0, cols);
        expect(Array.from(out.col), `rows ${s0}–${s1}, ${oR}×${oC}`).toEqual(Array.from(ref.col));
        expect(Array.from(out.row)).toEqual(Array.from(ref.row));
        expect(Array.from(fused.values)).toEqual(Array.from(plain.values));
        expect(Array.from(fused.index)).toEqual(Array.from(plain.index));
      }
    }
  });

  it('refuses channel absmax over a viewport that skips elements', () => {
    const x = seeded(8 * 8);
    expect(viewportCoversRows({ row0: 0, row1: 8, col0: 0, col1: 8 }, 8, 8)).toBe(true);
    expect(viewportCoversRows({ row0: 0, row1: 8, col0: 1, col1: 8 }, 8, 8)).toBe(false);
    expect(viewportCoversRows({ row0: 2, row1: 8, col0: 0, col1: 8 }, 8, 8, 0, 4)).toBe(false);
    expect(() => poolMaxAbs(x, 8, 8, { row0: 0, row1: 8, col0: 1, col1: 8 }, 2, 2, 'value', undefined, undefined,
      { col: new Float32Array(8), row: new Float32Array(8) })).toThrow(/channel absmax needs/);
  });

  it('lets a single outlier survive any downsampling', () => {
    const rows = 64, cols = 96;
    const x = seeded(rows * cols, 7).map((v) => v * 0.01);
    x[41 * cols + 77] = -1000;
    for (const [oR, oC] of [[1, 1], [2, 3], [7, 11], [64, 96], [13, 96]]) {
      const g = poolMaxAbs(x, rows, cols, fullViewport(rows, cols), oR, oC);
      const hits = Array.from(g.values).filter((v) => v === -1000);
      expect(hits.length).toBe(1);
      expect(Array.from(g.index)).toContain(41 * cols + 77);
    }
  });

  it('skips NaN, keeps Inf, and marks all-NaN cells', () => {
    const x = Float32Array.from([NaN, 1, NaN, NaN, -Infinity, 2]);
    const g = poolMaxAbs(x, 1, 6, fullViewport(1, 6), 1, 3);
    expect(g.values[0]).toBe(1);
    expect(g.values[1]).toBeNaN();
    expect(g.index[1]).toBe(NO_INDEX);
    expect(g.values[2]).toBe(-Infinity);
    // the colour scale's top is the largest finite |value|: the infinite cell takes the top colour, the rest keep theirs
    expect(g.absMax).toBe(1);
  });

  it('pools the signed error and the relative error of x̂', () => {
    const x = Float32Array.from([1, 2, 0, 4]);
    const xh = Float32Array.from([1.5, 1, 0, 4]);
    expect(Array.from(poolMaxAbs(x, 1, 4, fullViewport(1, 4), 1, 2, 'error', xh).values)).toEqual([-1, 0]);
    expect(Array.from(poolMaxAbs(x, 1, 4, fullViewport(1, 4), 1, 4, 'relError', xh).values)).toEqual([0.5, -0.5, 0, 0]);
  });

  it('clamps viewports into the tensor', () => {
    expect(clampViewport({ row0: -5, row1: 3.5, col0: 9, col1: 20 }, 10, 10)).toEqual({ row0: 0, row1: 4, col0: 9, col1: 10 });
  });
});

describe('channel profile pooling', () => {
  it('pools a profile with the same cells as the heatmap columns', () => {
    const v = Float32Array.from([1, 9, 2, 3, 8, 4, 0]);
    const p = poolProfileMax(v, 0, 7, 3);
    expect(Array.from(p.starts)).toEqual(Array.from(cellStarts(0, 7, 3)));
    expect(Array.from(p.values)).toEqual([9, 3, 8]); // cells [0,2) [2,4) [4,7)
    expect(Array.from(p.index)).toEqual([1, 3, 4]);
    expect(Array.from(markCells(p.starts, [5, 0]))).toEqual([1, 0, 1]);
  });
});
