/**
 * The specialized stochastic kernels (src/core/formats/stochasticKernels.ts and
 * the scalar run kernel) against the generic per-element casts they inline:
 * castStochastic(y, drawToUnit(mulberry32At(seed, index))), bit for bit, on
 * random values of every magnitude plus zeros, −0, NaN, ±Inf, values on and
 * between the grid points and past max.
 */
import { describe, expect, it } from 'vitest';
import { f32Hex } from '../../helpers/fixtures.ts';
import { INT_QMAX, MINIFLOATS } from '../../../src/core/formats/elementCast.ts';
import { castIntStochastic } from '../../../src/core/formats/int.ts';
import { formatValues } from '../../../src/core/formats/valueGrid.ts';
import {
  intStochastic, minifloatStochastic, MXINT8_STOCHASTIC, scaledStochasticKernel, type StochasticElement,
} from '../../../src/core/formats/stochasticKernels.ts';
import { stochasticRun } from '../../../src/core/quant/scalarKernels.ts';
import { drawToUnit, mulberry32At, mulberry32Stream } from '../../../src/core/rng.ts';

interface Case { name: string; el: StochasticElement; cast: (y: number, u: number) => number; grid: number[] }

const CASES: Case[] = [
  ...(['int8', 'int4'] as const).map((id) => ({
    name: id, el: intStochastic(INT_QMAX[id]), cast: (y: number, u: number) => castIntStochastic(y, u, INT_QMAX[id]),
    grid: Array.from({ length: 2 * INT_QMAX[id] + 1 }, (_, k) => k - INT_QMAX[id]),
  })),
  ...Object.entries(MINIFLOATS).map(([id, mf]) => ({
    name: id, el: minifloatStochastic(mf), cast: mf.castStochastic,
    grid: id === 'bf16' || id === 'fp16' ? [] : Array.from(formatValues(id as 'fp8_e4m3')),
  })),
  {
    name: 'mxint8', el: MXINT8_STOCHASTIC, cast: (y: number, u: number) => castIntStochastic(y * 64, u, 127) / 64,
    grid: Array.from({ length: 255 }, (_, k) => (k - 127) / 64),
  },
];

/** Random float32 values around the format's range, with specials and grid points mixed in. */
function inputs(max: number, grid: number[], n: number, seed: number): Float32Array {
  const next = mulberry32Stream(seed);
  const unit = () => drawToUnit(next());
  const specials = [0, -0, NaN, Infinity, -Infinity, max, -max, 3.4e38, -3.4e38, 1e-45, -1e-45, 1e-40, -1e-40];
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const r = unit();
    const sign = unit() < 0.5 ? -1 : 1;
    if (r < 0.05) x[i] = specials[Math.floor(unit() * specials.length)];
    else if (r < 0.15 && grid.length) x[i] = grid[Math.floor(unit() * grid.length)];
    else if (r < 0.3) x[i] = sign * unit() * 2 ** Math.floor(unit() * 300 - 150); // any magnitude
    else x[i] = sign * unit() * max * 1.2; // the cast's range and a little past max
  }
  return x;
}

function firstMismatch(got: Float32Array, want: Float32Array): number {
  const a = new Uint32Array(got.buffer, got.byteOffset, got.length);
  const b = new Uint32Array(want.buffer, want.byteOffset, want.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

function expectSame(got: Float32Array, want: Float32Array, x: Float32Array, what: string): void {
  const i = firstMismatch(got, want);
  if (i >= 0) throw new Error(`${what}: element ${i}, x=${x[i]} (0x${f32Hex(x[i])}): got ${got[i]}, want ${want[i]}`);
}

describe('specialized stochastic kernels equal the generic stochastic cast', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const n = 20000;
      for (const [seed, first] of [[0, 0], [7, 1000], [4294967295, 2 ** 33 + 3]]) {
        const x = inputs(c.el.max, c.grid, n, seed + 1);
        // unit scales: the cast itself
        const got = new Float32Array(n);
        const sat = scaledStochasticKernel(c.el)(x, got, 0, n, 1, false, 1, seed, first);
        const want = new Float32Array(n);
        let wantSat = 0;
        for (let i = 0; i < n; i++) {
          want[i] = c.cast(x[i], drawToUnit(mulberry32At(seed, first + i)));
          if (Math.abs(x[i]) > c.el.max && Math.abs(x[i]) < Infinity) wantSat++;
        }
        expectSame(got, want, x, `${c.name} seed ${seed}`);
        expect(sat).toBe(wantSat);

        // a scaled sub-range (divide, then multiply back), in place
        const S = 0.37;
        const start = 101;
        const end = n - 55;
        const inPlace = x.slice();
        const sat2 = scaledStochasticKernel(c.el)(inPlace, inPlace, start, end, S, true, S, seed, first);
        const want2 = x.slice();
        let wantSat2 = 0;
        for (let i = start; i < end; i++) {
          const y = Math.fround(x[i] / S);
          if (Math.abs(y) > c.el.max && Math.abs(y) < Infinity) wantSat2++;
          want2[i] = c.cast(y, drawToUnit(mulberry32At(seed, first + i - start))) * S;
        }
        expectSame(inPlace, want2, x, `${c.name} scaled seed ${seed}`);
        expect(sat2).toBe(wantSat2);

        // the scalar pipeline's run kernel: runs of 64 with their own scales, draws at drawBase + i
        const scales = Float32Array.from({ length: Math.ceil(n / 64) }, (_, k) => (k % 5 === 0 ? 2 ** -140 : 0.25 + (k % 7) * 0.3));
        const out = new Float32Array(n);
        const sat3 = stochasticRun(c.el, seed, first)(
          x, new Int32Array(x.buffer), out, new Int32Array(out.buffer), 0, n, 64, scales, new Float32Array(0), 0,
        );
        const want3 = new Float32Array(n);
        let wantSat3 = 0;
        for (let i = 0; i < n; i++) {
          const s = scales[Math.floor(i / 64)];
          const y = Math.fround(x[i] / s);
          if (Math.abs(y) > c.el.max && Math.abs(x[i]) !== Infinity) wantSat3++;
          want3[i] = c.cast(y, drawToUnit(mulberry32At(seed, first + i))) * s;
        }
        expectSame(out, want3, x, `${c.name} run seed ${seed}`);
        expect(sat3).toBe(wantSat3);
      }
    });
  }
});
