/**
 * Stochastic rounding in WebAssembly SIMD (src/core/formats/stochasticRuns.wat
 * through stochasticSimd.ts) against the JavaScript kernels it replaces, bit
 * for bit: the run kernel alone on every element format, then quantize() on
 * the scalar, MX and NVFP4 paths with the kernel on and off.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { INT_QMAX, MINIFLOATS } from '../../../src/core/formats/elementCast.ts';
import {
  intStochastic, minifloatStochastic, MXINT8_STOCHASTIC, scaledStochasticKernel, type StochasticElement,
} from '../../../src/core/formats/stochasticKernels.ts';
import { stochasticRunsSimd, stochasticSimdAvailable, useStochasticSimd } from '../../../src/core/formats/stochasticSimd.ts';
import { useNvfp4Simd } from '../../../src/core/formats/nvfp4Simd.ts';
import { quantize } from '../../../src/core/quant/quantize.ts';
import { DEFAULT_QUANT_OPTIONS, type QuantOptions } from '../../../src/core/quant/options.ts';
import { drawToUnit, mulberry32At, mulberry32Stream } from '../../../src/core/rng.ts';
import type { Tensor2D } from '../../../src/core/tensor.ts';
import { groupLayout } from '../../../src/core/quant/granularity.ts';
import type { Granularity } from '../../../src/core/quant/options.ts';
import { groupAbsmax } from '../../../src/core/quant/scales.ts';
import { firstDifference } from '../../helpers/sameArrays.ts';

const ELEMENTS: [string, StochasticElement][] = [
  ...(['int8', 'int4'] as const).map((id): [string, StochasticElement] => [id, intStochastic(INT_QMAX[id])]),
  ...Object.entries(MINIFLOATS).map(([id, mf]): [string, StochasticElement] => [id, minifloatStochastic(mf)]),
  ['mxint8', MXINT8_STOCHASTIC],
];

/** Bits, with every NaN as −1 (WebAssembly leaves a NaN's payload unspecified). */
const bitsOf = (a: Float32Array): number[] =>
  Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length), (b, i) => (Number.isNaN(a[i]) ? -1 : b));

/** Values of every magnitude around max, grid-like halves, specials. */
function inputs(max: number, n: number, seed: number): Float32Array {
  const next = mulberry32Stream(seed);
  const unit = () => drawToUnit(next());
  const specials = [0, -0, NaN, Infinity, -Infinity, max, -max, 3.4e38, -3.4e38, 1e-45, -1e-45, 1e-40, -1e-40, 0.5, -1.5];
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const r = unit();
    const sign = unit() < 0.5 ? -1 : 1;
    if (r < 0.05) x[i] = specials[Math.floor(unit() * specials.length)];
    else if (r < 0.2) x[i] = sign * Math.floor(unit() * 64) / 8; // on and between grid points
    else if (r < 0.35) x[i] = sign * unit() * 2 ** Math.floor(unit() * 300 - 150);
    else x[i] = sign * unit() * max * 1.2;
  }
  return x;
}

afterEach(() => { useStochasticSimd(true); useNvfp4Simd(true); });

describe('stochastic runs in WebAssembly SIMD (stochasticRuns.wat)', () => {
  it('runs here', () => expect(stochasticSimdAvailable()).toBe(true));

  for (const [name, el] of ELEMENTS) {
    it(`${name}: the grid spacing from bits equals quantumOf for every binade below max`, () => {
      if (!el.simd) {
        expect(['fp16', 'bf16']).toContain(name); // |y| ≥ max may round to ±Inf there: the JS kernel only
        return;
      }
      const { loField, hiField, manBits } = el.simd;
      const maxField = (new Uint32Array(new Float32Array([el.max]).buffer)[0] >>> 23) & 0xff;
      for (let f = 0; f <= maxField; f++) {
        const field = Math.min(Math.max(f, loField), hiField) - manBits;
        expect([2 ** (field - 127), 2 ** (127 - field)]).toEqual([el.quantumOf[f], el.invQuantumOf[f]]);
      }
    });

    if (!el.simd) continue;
    for (const [width, nRuns, divide, satOnY] of [[4, 3000, true, true], [16, 700, false, false], [32, 400, true, false], [20004, 2, false, true]] as const) {
      it(`${name}: runs of ${width} (${divide ? 'x / s' : 'x · s'}, saturated by ${satOnY ? 'y' : 'x'}) equal the JavaScript kernel`, () => {
        const n = width * nRuns;
        for (const [seed, first] of [[0, 0], [4294967295, 2 ** 33 + 3]]) {
          const x = inputs(el.max, n + 8, seed + 11);
          const sIn = Float32Array.from({ length: nRuns }, (_, k) => (k % 9 === 0 ? 2 ** -140 : 0.25 + (k % 7) * 0.3));
          const mulOut = Float32Array.from({ length: nRuns }, (_, k) => sIn[k] * (k % 2 ? 1 : 0.5));
          const got = x.slice();
          const satPerRun = new Uint32Array(nRuns);
          const sat = stochasticRunsSimd(el, {
            src: got, dst: got, start: 5, nRuns, width, sIn, mulOut, sAt: 0, divide, seed, drawStart: first, satOnY, satPerRun,
          });
          const want = x.slice();
          const k = scaledStochasticKernel(el);
          let wantSat = 0;
          const wantPerRun = new Uint32Array(nRuns);
          for (let r = 0; r < nRuns; r++) {
            const s0 = 5 + r * width;
            // the JS kernel counts finite y; the scalar runs count finite x: recount here for satOnY = false
            wantPerRun[r] = k(want, want, s0, s0 + width, sIn[r], divide, mulOut[r], seed, first + r * width);
            if (!satOnY) {
              wantPerRun[r] = 0;
              for (let i = s0; i < s0 + width; i++) {
                const y = Math.fround(divide ? x[i] / sIn[r] : x[i] * sIn[r]);
                if (Math.abs(y) > el.max && Math.abs(x[i]) !== Infinity) wantPerRun[r]++;
              }
            }
            wantSat += wantPerRun[r];
          }
          expect(firstDifference(bitsOf(got), bitsOf(want))).toBe('same');
          expect(firstDifference(satPerRun, wantPerRun)).toBe('same');
          expect(sat).toBe(wantSat);
        }
      });
    }
  }

  // draws at the ends of the range, where u < frac and u < fl64(1 − frac) are decided by the last bit:
  // state 1080371100 mixes to 0xFFFFFFFF and state 0 to 0 (found by a search over all 2^32 states)
  const GOLDEN = 0x6d2b79f5;
  const SEED_DRAW_MAX = (1080371100 - GOLDEN) >>> 0;
  const SEED_DRAW_ZERO = (0 - GOLDEN) >>> 0;
  it('the seeds of the edge draws give them', () => {
    expect([mulberry32At(SEED_DRAW_MAX, 0), mulberry32At(SEED_DRAW_ZERO, 0)]).toEqual([0xffffffff, 0]);
  });
  for (const [name, el] of ELEMENTS) {
    if (!el.simd) continue;
    it(`${name}: fractions within 2^−56 of the draw's threshold round as the JavaScript kernel`, () => {
      const fracs = [2 ** -32 - 2 ** -56, 2 ** -32, 2 ** -32 + 2 ** -55, 2 ** -33, 3 * 2 ** -34, 1 - 2 ** -24, 2 ** -24, 0.5, 2 ** -60, 1e-45];
      for (let k = -12; k <= 7; k++) {
        for (const f of fracs) {
          for (const base of [0, 1]) {
            const y = Math.fround((base + f) * 2 ** k);
            for (const sign of [1, -1]) {
              for (const seed of [SEED_DRAW_MAX, SEED_DRAW_ZERO]) {
                const got = new Float32Array([sign * y, 0, 0, 0]);
                const want = got.slice();
                const one = new Float32Array([1]);
                stochasticRunsSimd(el, { src: got, dst: got, start: 0, nRuns: 1, width: 4, sIn: one, mulOut: one, sAt: 0, divide: false, seed, drawStart: 0, satOnY: true });
                scaledStochasticKernel(el)(want, want, 0, 4, 1, false, 1, seed, 0);
                if (bitsOf(got)[0] !== bitsOf(want)[0]) throw new Error(`y = ${sign * y}, seed ${seed}: got ${got[0]}, want ${want[0]}`);
              }
            }
          }
        }
      }
    });
  }

  // The kernel decides most lanes by h = k >>> 8 against G = frac·2^24 and sends a vector with a lane
  // where h < G < h + 1 to the exact compare (stochasticRuns.wat runs): y placed so that G lands just
  // inside and on both edges of that interval for each lane's own draw, both signs, in mixed vectors.
  for (const [name, el] of ELEMENTS) {
    if (!el.simd) continue;
    it(`${name}: draws within one 2^24-th of the threshold (the kernel's exact path) round as the JavaScript kernel`, () => {
      const q0 = el.quantumOf[0]; // the spacing below the smallest normal: a/q = |y|/q0 there
      const offsets = [0.5, 0.25, 2 ** -8, 1 - 2 ** -8, 0, 1, -0.5];
      const nRuns = 3000;
      const seed = 12345;
      const x = new Float32Array(4 * nRuns);
      const between = new Set<number>(); // vectors with a lane strictly inside
      for (let i = 0; i < x.length; i++) {
        const d = mulberry32At(seed, i);
        const sign = (i * 7) % 3 === 0 ? -1 : 1;
        const h = (sign < 0 ? ~d >>> 0 : d) >>> 8;
        let g = h + offsets[(i + Math.floor(i / 4)) % offsets.length];
        if (Math.fround(g) !== g || g >= 2 ** 24) g = h; // not a float32: on the edge instead
        if (g > h && g < h + 1) between.add(i >> 2);
        x[i] = sign * g * 2 ** -24 * q0;
        if (Math.abs(x[i]) / q0 !== g * 2 ** -24) throw new Error(`lane ${i}: ${g} is not exact`);
      }
      expect(between.size).toBeGreaterThan(nRuns / 4); // a third of the vectors take the exact path
      const one = new Float32Array(nRuns).fill(1);
      const got = x.slice();
      stochasticRunsSimd(el, { src: got, dst: got, start: 0, nRuns, width: 4, sIn: one, mulOut: one, sAt: 0, divide: false, seed, drawStart: 0, satOnY: true });
      const want = x.slice();
      scaledStochasticKernel(el)(want, want, 0, want.length, 1, false, 1, seed, 0);
      expect(firstDifference(bitsOf(got), bitsOf(want))).toBe('same');
    });
  }

  it('declines a width that is not a multiple of 4, writing nothing', () => {
    const x = new Float32Array(12).fill(0.3);
    const r = stochasticRunsSimd(intStochastic(127), {
      src: x, dst: x, start: 0, nRuns: 2, width: 6, sIn: new Float32Array(2).fill(0.01), mulOut: new Float32Array(2).fill(0.01),
      sAt: 0, divide: true, seed: 1, drawStart: 0, satOnY: false,
    });
    expect(r).toBe(-1);
    expect(Array.from(x)).toEqual(new Array(12).fill(Math.fround(0.3)));
  });
});

function tensor(rows: number, cols: number, seed: number): Tensor2D {
  const data = inputs(6, rows * cols, seed);
  for (let i = 0; i < data.length; i++) {
    const block = Math.floor(i / 16);
    if (block % 29 === 3) data[i] = i % 3 ? 0 : -0; // an all-zero block
    else if (block % 31 === 5) data[i] = (i % 2 ? 1 : -1) * 1e-30 * (i % 7); // NVFP4: its E4M3 scale underflows to 0
    else if (Number.isFinite(data[i]) && Math.abs(data[i]) > 1e30) data[i] = 1e3; // keep the tensor scale sane
  }
  data[7] = NaN;
  return { rows, cols, data, shape: [rows, cols] } as unknown as Tensor2D;
}

function quantizeBoth(x: Tensor2D, opts: Partial<QuantOptions> & Pick<QuantOptions, 'format'>, inPlace: boolean, rowOffset = 0) {
  const run = (simd: boolean) => {
    useStochasticSimd(simd);
    useNvfp4Simd(simd);
    const data = x.data.slice();
    const r = quantize({ ...x, data }, { ...DEFAULT_QUANT_OPTIONS, rounding: 'stochastic', seed: 7, ...opts }, inPlace ? data : undefined,
      rowOffset ? { rowOffset, tensorAmax: 1e3 } as never : undefined);
    return { ...r, bits: bitsOf(r.xhat) };
  };
  return [run(true), run(false)] as const;
}

describe('quantize() with stochastic rounding and RNE: SIMD and JavaScript paths give the same bits', () => {
  const cases: [string, Partial<QuantOptions> & Pick<QuantOptions, 'format'>, number][] = [
    ['int8 per row', { format: 'int8' }, 96],
    ['fp8_e4m3 group:32, a shorter last group', { format: 'fp8_e4m3', granularity: { kind: 'group', size: 32 } as never }, 100],
    ['int4 tensor', { format: 'int4', granularity: { kind: 'tensor' } }, 96],
    ['fp4_e2m1 per row, rows longer than a chunk', { format: 'fp4_e2m1' }, 16384 + 32],
    ['mxfp4 floor', { format: 'mxfp4' }, 96],
    ['mxfp4 ceil', { format: 'mxfp4', scaleRule: 'ceil' }, 96],
    ['mxint8', { format: 'mxint8' }, 64],
    ['mxfp8_e5m2', { format: 'mxfp8_e5m2' }, 64],
    ['mxfp8_e4m3 ceil', { format: 'mxfp8_e4m3', scaleRule: 'ceil' }, 64],
    ['mxfp6_e3m2 ceil', { format: 'mxfp6_e3m2', scaleRule: 'ceil' }, 64],
    ['mxint8 ceil', { format: 'mxint8', scaleRule: 'ceil' }, 96],
    ['mxfp4, more blocks than one kernel chunk', { format: 'mxfp4' }, 32 * 700],
    ['mxfp6_e2m3, rows not whole blocks (JS)', { format: 'mxfp6_e2m3' }, 100],
    ['nvfp4 with zero blocks', { format: 'nvfp4' }, 96],
  ];
  for (const [name, opts, cols] of cases) {
    for (const [inPlace, rounding] of [[false, 'stochastic'], [true, 'stochastic'], [false, 'rne'], [true, 'rne']] as const) {
      it(`${name}${rounding === 'rne' ? ', RNE' : ''}${inPlace ? ', in place' : ''}`, () => {
        const x = tensor(cols > 10000 ? 2 : 40, cols, cols);
        const [a, b] = quantizeBoth(x, { ...opts, rounding }, inPlace);
        expect(firstDifference(a.bits, b.bits)).toBe('same');
        expect(a.saturated).toBe(b.saturated);
        if (b.scales) expect(firstDifference(a.scales!, b.scales)).toBe('same');
        if (b.scaleExps) expect(firstDifference(a.scaleExps!, b.scaleExps)).toBe('same');
        if (b.saturatedPerBlock) expect(firstDifference(a.saturatedPerBlock!, b.saturatedPerBlock)).toBe('same');
      });
    }
  }

  it('MX block exponents at the ends of the E8M0 range: zero, subnormal, huge and non-finite blocks', () => {
    // one 32-element block per kind: E = −127 from amax 0 and from subnormal amax (floor log2 from the bit
    // length), E = 127 from amax near float32 max (ceil rule), NaN/±Inf skipped by the amax
    const kinds: ((i: number) => number)[] = [
      () => 0,
      (i) => (i % 2 ? -0 : 0),
      (i) => (i === 5 ? NaN : i === 9 ? -Infinity : 0),
      (i) => (i % 3 ? 1e-45 : -1e-45),
      (i) => (i % 5) * 1e-40,
      (i) => (i === 17 ? 1.1754942e-38 : 2e-39), // the largest subnormal
      (i) => (i % 2 ? 3.4e38 : -1e38),
      (i) => (i === 3 ? Infinity : i === 4 ? NaN : 3e38),
      (i) => 2 ** (i - 16),
      (i) => (i === 0 ? 6 : 0.25), // amax exactly an element max
    ];
    const cols = 32 * kinds.length;
    const data = new Float32Array(4 * cols);
    for (let r = 0; r < 4; r++) kinds.forEach((k, b) => { for (let i = 0; i < 32; i++) data[r * cols + b * 32 + i] = k(i + r); });
    const x = { rows: 4, cols, data, shape: [4, cols] } as unknown as Tensor2D;
    for (const format of ['mxfp4', 'mxfp8_e4m3', 'mxfp8_e5m2', 'mxfp6_e2m3', 'mxfp6_e3m2', 'mxint8'] as const) {
      for (const [scaleRule, rounding] of [['floor', 'stochastic'], ['ceil', 'stochastic'], ['floor', 'rne'], ['ceil', 'rne']] as const) {
        const [a, b] = quantizeBoth(x, { format, scaleRule, rounding }, false);
        const what = `${format} ${scaleRule} ${rounding}`;
        expect(firstDifference(a.scaleExps!, b.scaleExps!), what).toBe('same');
        expect(firstDifference(a.scales!, b.scales!), what).toBe('same');
        expect(firstDifference(a.bits, b.bits), what).toBe('same');
        expect(firstDifference(a.saturatedPerBlock!, b.saturatedPerBlock!)).toBe('same');
      }
    }
    // the range's ends are reached: −127 (zero and subnormal blocks) and 127 (MXINT8's ceil rule: 3.4e38 / (127/64) > 2^127)
    const [ceil] = quantizeBoth(x, { format: 'mxint8', scaleRule: 'ceil' }, false);
    expect([Math.min(...ceil.scaleExps!), Math.max(...ceil.scaleExps!)]).toEqual([-127, 127]);
  });

  it('a row slice draws at its flat indices (ctx.rowOffset)', () => {
    const x = tensor(8, 64, 3);
    for (const format of ['int8', 'mxfp4', 'nvfp4'] as const) {
      const [a, b] = quantizeBoth(x, { format }, false, 5);
      expect(firstDifference(a.bits, b.bits)).toBe('same');
    }
  });

  it('an NVFP4 zero block keeps the sign of each x, and NaN', () => {
    const x = tensor(2, 32, 5);
    x.data.fill(0, 0, 16);
    x.data[1] = -0;
    x.data[2] = NaN;
    x.data[3] = 1e-38;
    x.data[4] = -1e-38;
    const [a, b] = quantizeBoth(x, { format: 'nvfp4' }, true);
    expect(a.scales![0]).toBe(0);
    expect(firstDifference(a.bits, b.bits)).toBe('same');
    expect([Object.is(a.xhat[1], -0), Number.isNaN(a.xhat[2]), Object.is(a.xhat[3], 0), Object.is(a.xhat[4], -0)]).toEqual([true, true, true, true]);
  });
});

describe('group absmax in the kernel (absmax export, scales.ts groupAbsmax)', () => {
  const layouts: [string, Granularity, number, number][] = [
    ['row', { kind: 'row' }, 40, 96],
    ['group:32', { kind: 'group', size: 32 }, 40, 96],
    ['block:4x32 (a group row of several rows)', { kind: 'block', rows: 4, cols: 32 }, 40, 96],
    ['tensor', { kind: 'tensor' }, 40, 96],
    ['row, rows longer than a kernel chunk', { kind: 'row' }, 3, 16384 + 64],
    ['row, a width not a multiple of 4 (JavaScript)', { kind: 'row' }, 9, 30],
    ['group:32, a shorter last group (JavaScript)', { kind: 'group', size: 32 }, 9, 100],
  ];
  for (const [name, g, rows, cols] of layouts) {
    it(`${name}: the same amax as the JavaScript loop, NaN/±Inf skipped, a band at a time`, () => {
      const x = tensor(rows, cols, 11);
      x.data.fill(NaN, 0, Math.min(cols, 64)); // a row start with no finite element
      x.data[cols + 1] = Infinity;
      x.data[cols + 2] = -3.4e38;
      const L = groupLayout(g, rows, cols);
      const both = (r0: number, r1: number) => [true, false].map((simd) => {
        useStochasticSimd(simd);
        const amax = new Float32Array(L.numGroups).fill(-1);
        groupAbsmax(x.data, L, amax, r0, r1);
        return amax;
      });
      const bands = L.rowsPerGroup < rows ? [[0, rows], [L.rowsPerGroup, Math.min(rows, 3 * L.rowsPerGroup)]] : [[0, rows]];
      for (const [r0, r1] of bands) {
        const [a, b] = both(r0, r1);
        expect(firstDifference(a, b), `rows ${r0}–${r1}`).toBe('same');
        expect(a.some((v) => v > 0)).toBe(true);
      }
      expect(both(0, rows)[0].every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
    });
  }
});
