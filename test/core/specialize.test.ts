import { describe, expect, it } from 'vitest';
import { specialize, specializeStats } from '../../src/core/specialize.ts';
import { quantize } from '../../src/core/quant/quantize.ts';
import { DEFAULT_QUANT_OPTIONS } from '../../src/core/quant/options.ts';

function scaleTemplate(k: number): (x: number) => number {
  return (x) => x * k;
}

describe('specialize', () => {
  it('compiles a fresh copy per call, bound to its constants', () => {
    const before = specializeStats.compiled;
    const twice = specialize(scaleTemplate, 2);
    const thrice = specialize(scaleTemplate, 3);
    expect(twice(5)).toBe(10);
    expect(thrice(5)).toBe(15);
    expect(twice).not.toBe(thrice);
    expect(specializeStats.compiled).toBe(before + 2);
  });

  it('is what the hot kernels run on here (no silent fallback to the template)', () => {
    const x = { rows: 2, cols: 64, shape: [2, 64], data: Float32Array.from({ length: 128 }, (_, i) => Math.sin(i) * 3) };
    for (const format of ['int8', 'fp8_e4m3', 'fp4_e2m1', 'mxfp4', 'mxint8', 'nvfp4'] as const) {
      quantize(x, { ...DEFAULT_QUANT_OPTIONS, format });
    }
    expect(specializeStats.compiled).toBeGreaterThan(0);
    expect(specializeStats.fallbacks).toBe(0);
  });

  it('falls back to the template when the source cannot be compiled', () => {
    const before = specializeStats.fallbacks;
    const notCompilable = Object.assign((k: number) => (x: number) => x + k, { toString: () => 'this is not javascript' });
    expect(specialize(notCompilable, 1)(1)).toBe(2);
    expect(specializeStats.fallbacks).toBe(before + 1);
  });
});
