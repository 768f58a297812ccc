/**
 * Value grids against gen_elements.py (every ml_dtypes bit pattern decoded, finite,
 * −0 folded, unique) and RNE rounding intervals against the reference ties.
 */
import { describe, expect, it } from 'vitest';
import { readFixtureJson, hexToF32 } from '../../helpers/fixtures.ts';
import { formatValues, roundingIntervals, type GridId } from '../../../src/core/formats/valueGrid.ts';
import { ALL_FORMAT_IDS } from '../../../src/core/formats/registry.ts';

type GridFix = { count: number; all?: string; head?: string; tail?: string; every61?: string };
const FIX = readFixtureJson<{ values: Record<string, GridFix>; mulberry32: unknown }>('elements/values.json');
const CASTS = readFixtureJson<Record<string, { cases: Record<string, { x: string; rne: string }> }>>('elements/casts.json');

const asF64 = (hex: string) => Float64Array.from(hexToF32(hex));

describe('formatValues matches the reference grids', () => {
  for (const [id, fix] of Object.entries(FIX.values)) {
    it(`${id}: ${fix.count} values`, () => {
      const v = formatValues(id as GridId);
      expect(v.length).toBe(fix.count);
      if (fix.all) expect(Array.from(v)).toEqual(Array.from(asF64(fix.all)));
      else {
        expect(Array.from(v.subarray(0, 300))).toEqual(Array.from(asF64(fix.head!)));
        expect(Array.from(v.subarray(v.length - 300))).toEqual(Array.from(asF64(fix.tail!)));
        expect(Array.from(v).filter((_, i) => i % 61 === 0)).toEqual(Array.from(asF64(fix.every61!)));
      }
    });
  }

  it('named edge cases: e8m0 spans 2^-127…2^127, zero appears once and unsigned', () => {
    const e8 = formatValues('e8m0');
    expect([e8[0], e8[254]]).toEqual([2 ** -127, 2 ** 127]);
    const e4 = formatValues('fp8_e4m3');
    expect(e4.filter((v) => v === 0).length).toBe(1);
    expect(Object.is(e4[e4.indexOf(0)], -0)).toBe(false);
    expect([e4[0], e4[e4.length - 1]]).toEqual([-448, 448]);
  });

  it('block formats give their element grid', () => {
    const same: [GridId, GridId][] = [['mxfp8_e4m3', 'fp8_e4m3'], ['mxfp8_e5m2', 'fp8_e5m2'], ['mxfp6_e2m3', 'fp6_e2m3'], ['mxfp6_e3m2', 'fp6_e3m2'], ['mxfp4', 'fp4_e2m1'], ['nvfp4', 'fp4_e2m1']];
    for (const [block, el] of same) expect(Array.from(formatValues(block))).toEqual(Array.from(asF64(FIX.values[el].all!)));
  });

  it('every registry format has an ascending grid', () => {
    for (const id of ALL_FORMAT_IDS) {
      const v = formatValues(id);
      expect(v.length).toBeGreaterThan(1);
      for (let i = 1; i < v.length; i++) if (!(v[i] > v[i - 1])) throw new Error(`${id} not ascending at ${i}`);
    }
  });
});

describe('roundingIntervals', () => {
  for (const id of ['fp8_e4m3', 'fp8_e5m2', 'fp6_e2m3', 'fp6_e3m2', 'fp4_e2m1', 'int8', 'int4', 'fp16'] as const) {
    it(`${id}: each reference tie goes to the value whose interval includes it`, () => {
      const grid = formatValues(id);
      const iv = roundingIntervals(grid);
      const ties = CASTS[id].cases.ties;
      const x = hexToF32(ties.x);
      const want = hexToF32(ties.rne);
      let checked = 0;
      for (let t = 0; t < x.length; t++) {
        // the boundary hi[i] === x[t] between grid[i] and grid[i + 1]
        let lo = 0;
        let hi = grid.length - 1;
        while (lo < hi) { const m = (lo + hi) >> 1; if (iv.hi[m] < x[t]) lo = m + 1; else hi = m; }
        if (iv.hi[lo] !== x[t]) continue; // a tie the grid does not have (e.g. int ties are all present)
        const owner = iv.hiInclusive[lo] ? grid[lo] : grid[lo + 1];
        expect(iv.hiInclusive[lo] + iv.loInclusive[lo + 1]).toBe(1);
        expect(owner).toBe(want[t] === 0 ? 0 : want[t]);
        checked++;
      }
      expect(checked).toBeGreaterThan(10);
    });
  }

  it('ends saturate: the lowest interval starts at −Inf and the highest ends at +Inf', () => {
    const iv = roundingIntervals(formatValues('fp4_e2m1'));
    expect(iv.lo[0]).toBe(-Infinity);
    expect(iv.hi[iv.hi.length - 1]).toBe(Infinity);
    // fp4: between 4 and 6 the tie 5 goes to 4 (even mantissa); between 0.5 and 1, 0.75 goes to 1
    const g = Array.from(formatValues('fp4_e2m1'));
    expect(iv.hi[g.indexOf(4)]).toBe(5);
    expect(iv.hiInclusive[g.indexOf(4)]).toBe(1);
    expect(iv.loInclusive[g.indexOf(1)]).toBe(1);
  });

  it("'lower' sends ties down (NF4) and a cast function decides otherwise", () => {
    const g = new Float64Array([-1, 0, 1]);
    const lower = roundingIntervals(g, 'lower');
    expect(Array.from(lower.hiInclusive)).toEqual([1, 1, 1]);
    expect(Array.from(lower.loInclusive)).toEqual([1, 0, 0]);
    const up = roundingIntervals(g, (m) => Math.ceil(m));
    expect(Array.from(up.loInclusive)).toEqual([1, 1, 1]);
  });
});
