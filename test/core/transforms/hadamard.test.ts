import { describe, expect, it } from 'vitest';
import {
  checkHadamardBlock, hadamardForward, hadamardInverse, hadamardSigns, hadamardSpec, validHadamardBlocks,
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
  });
});
