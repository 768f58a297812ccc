import { describe, expect, it } from 'vitest';
import {
  checkHadamardBlock, fwht, hadamardForward, hadamardInverse, hadamardSigns, hadamardSpec, validHadamardBlocks,
} from '../../../src/core/transforms/hadamard.ts';
import { firstBitMismatch, hexToF32, readFixtureJson } from '../../helpers/fixtures.ts';
import { fixtureTensor } from './standIn.ts';

const fx = readFixtureJson('transforms/hadamard.json');
const x = fixtureTensor(fx.x);

describe('Hadamard rotation (DOMAIN §5) against ((X·d) @ H_int)/√G in numpy', () => {
  for (const c of fx.cases) {
    const label = `${c.name}:${c.block}${c.seed !== null ? ` seed ${c.seed}` : ''}`;
    it(`${label}: forward and inverse bit-exact`, () => {
      const spec = hadamardSpec(c.block, x.cols, c.name === 'random-hadamard', c.seed ?? 0);
      if (c.signs) expect(Array.from(spec.signs!)).toEqual(c.signs);
      const fwd = hadamardForward(x, spec);
      expect(firstBitMismatch(fwd, hexToF32(c.forward))).toBe(-1);
      const inv = hadamardInverse({ ...x, data: fwd }, spec);
      expect(firstBitMismatch(inv, hexToF32(c.inverse))).toBe(-1);
    });
  }

  it('round-trips to within float32 rounding and preserves X·Wᵀ', () => {
    const spec = hadamardSpec(16, x.cols, true, 3);
    const fwd = hadamardForward(x, spec);
    const inv = hadamardInverse({ ...x, data: fwd }, spec);
    for (let r = 0; r < x.rows; r++) {
      let amax = 0;
      for (let k = 0; k < 64; k++) amax = Math.max(amax, Math.abs(x.data[r * 64 + k]));
      for (let k = 0; k < 64; k++) expect(Math.abs(inv[r * 64 + k] - x.data[r * 64 + k])).toBeLessThanOrEqual(1e-6 * amax);
    }
    // rows of X·Wᵀ: use two rows of x as "W"
    const dot = (a: Float32Array, i: number, j: number) => { let s = 0; for (let k = 0; k < 64; k++) s += a[i * 64 + k] * a[j * 64 + k]; return s; };
    expect(dot(fwd, 2, 3)).toBeCloseTo(dot(x.data, 2, 3), 4);
  });

  it('can run in place (out aliases the input)', () => {
    const spec = hadamardSpec(16, x.cols, false);
    const copy = { ...x, data: new Float32Array(x.data) };
    hadamardForward(copy, spec, copy.data);
    expect(firstBitMismatch(copy.data, hexToF32(fx.cases[0].forward))).toBe(-1);
  });

  it('signs follow bit 0 of mulberry32At(seed, k)', () => {
    expect(Array.from(hadamardSigns(4, 3)).every((v) => v === 1 || v === -1)).toBe(true);
    expect(hadamardSigns(64, 3)).not.toEqual(hadamardSigns(64, 4));
  });

  it('names the valid block sizes when G does not fit the last axis', () => {
    expect(validHadamardBlocks(4096)).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096]);
    expect(validHadamardBlocks(96)).toEqual([1, 2, 4, 8, 16, 32]);
    expect(() => checkHadamardBlock('hadamard', 48, 4096)).toThrow(
      'hadamard:48 needs a power-of-two block size that divides the last axis (4096); valid: 1, 2, 4, …, 4096',
    );
    expect(() => hadamardSpec(64, 96, true)).toThrow(/random-hadamard:64 .*\(96\); valid: 1, 2, 4, …, 32/);
    // an odd axis: only G = 1, which rotates nothing, and the sentence says so
    expect(() => checkHadamardBlock('hadamard', 64, 53)).toThrow(
      'hadamard:64 needs a power-of-two block size that divides the last axis (53); 53 is odd, so only G = 1 (no rotation) divides it',
    );
  });

  it('fwht does the butterflies of the plain stage-by-stage transform, bit for bit, on data that rounds in float64', () => {
    const reference = (v: Float64Array, g: number) => {
      for (let h = 1; h < g; h *= 2) {
        for (let i = 0; i < g; i += 2 * h) {
          for (let j = i; j < i + h; j++) {
            const a = v[j], b = v[j + h];
            v[j] = a + b;
            v[j + h] = a - b;
          }
        }
      }
    };
    let state = 12345;
    const rand = () => ((state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32);
    for (const g of [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096]) {
      // magnitudes over 60 binades: the float64 sums round, so a different operation order would show
      const a = Float64Array.from({ length: g }, () => (rand() - 0.5) * 2 ** Math.floor(rand() * 60 - 30));
      const b = a.slice();
      fwht(a, g);
      reference(b, g);
      expect(Array.from(a), `G=${g}`).toEqual(Array.from(b));
    }
  });

  it('the rotation (fused passes from G = 16) equals signs, fwht and 1/√G block by block, bit for bit, forward and inverse', () => {
    let state = 99;
    const rand = () => ((state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const rows = 3, cols = 4096;
    // float32 inputs over many binades, so a different operation order would round differently
    const data = Float32Array.from({ length: rows * cols }, () => Math.fround((rand() - 0.5) * 2 ** Math.floor(rand() * 40 - 20)));
    const x = { data, rows, cols, shape: [rows, cols] };
    for (const g of [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096]) {
      for (const random of [false, true]) {
        const spec = hadamardSpec(g, cols, random, 5);
        const d = spec.signs;
        const fwd = new Float32Array(data.length), inv = new Float32Array(data.length);
        const buf = new Float64Array(g);
        for (let base = 0; base < data.length; base += g) {
          const c0 = base % cols;
          for (let k = 0; k < g; k++) buf[k] = data[base + k] * (d ? d[c0 + k] : 1);
          fwht(buf, g);
          for (let k = 0; k < g; k++) fwd[base + k] = buf[k] / Math.sqrt(g);
        }
        for (let base = 0; base < data.length; base += g) {
          const c0 = base % cols;
          for (let k = 0; k < g; k++) buf[k] = fwd[base + k];
          fwht(buf, g);
          for (let k = 0; k < g; k++) inv[base + k] = (buf[k] / Math.sqrt(g)) * (d ? d[c0 + k] : 1);
        }
        const got = hadamardForward(x, spec);
        expect(firstBitMismatch(got, fwd), `forward G=${g}${random ? ' random' : ''}`).toBe(-1);
        expect(firstBitMismatch(hadamardInverse({ ...x, data: got }, spec), inv), `inverse G=${g}${random ? ' random' : ''}`).toBe(-1);
      }
    }
  });
});
