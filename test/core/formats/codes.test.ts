/** decode(code) of every small-float code versus ml_dtypes, and encode(decode(code)) round trips. */
import { describe, expect, it } from 'vitest';
import { BF16, FP16, FP4_E2M1, FP6_E2M3, FP6_E3M2, FP8_E4M3, FP8_E5M2, type Minifloat } from '../../../src/core/formats/minifloat.ts';
import { f32Hex, hexToF32, readFixtureJson } from '../../helpers/fixtures.ts';

const CODECS: Record<string, Minifloat> = {
  fp8_e4m3: FP8_E4M3, fp8_e5m2: FP8_E5M2, fp6_e2m3: FP6_E2M3, fp6_e3m2: FP6_E3M2, fp4_e2m1: FP4_E2M1, fp16: FP16, bf16: BF16,
};
const fixture = readFixtureJson<Record<string, { bits: number; codes: number[]; values: string }>>('codes/codes.json');

describe('small-float codes decode like ml_dtypes', () => {
  for (const [name, codec] of Object.entries(CODECS)) {
    it(`${name}: every listed code`, () => {
      const { codes, values } = fixture[name];
      const want = hexToF32(values);
      const bad: string[] = [];
      codes.forEach((code, i) => {
        const got = Math.fround(codec.decode(code));
        const same = Number.isNaN(want[i]) ? Number.isNaN(got) : f32Hex(got) === f32Hex(want[i]);
        if (!same) bad.push(`code 0x${code.toString(16)}: got ${got}, ml_dtypes ${want[i]}`);
        // finite, non-NaN codes round-trip through encode (−0 keeps its code)
        if (Number.isFinite(want[i]) && codec.encode(want[i]) !== code) bad.push(`encode(${want[i]}) = 0x${codec.encode(want[i]).toString(16)}, want 0x${code.toString(16)}`);
      });
      expect(bad).toEqual([]);
    });
  }
});
