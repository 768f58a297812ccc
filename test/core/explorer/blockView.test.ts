import { describe, expect, it } from 'vitest';
import { analyzeBlock, blockRulesFor } from '../../../src/core/explorer/blockView.ts';
import { DEFAULT_QUANT_OPTIONS } from '../../../src/core/quant/options.ts';

describe('block view', () => {
  it('MXFP4 floor rule clips the block max, ceil does not', () => {
    // amax 7 → floor: E = floor(log2 7) − 2 = 0, y = 7 > 6 saturates; ceil: E = ceil(log2(7/6)) = 1
    const x = new Float32Array(32).fill(0.5);
    x[3] = 7;
    const v = analyzeBlock(x, 'mxfp4', 7, DEFAULT_QUANT_OPTIONS);
    expect(v.amax).toBe(7);
    const floor = v.rules.find((r) => r.rule === 'e8m0-floor')!;
    const ceil = v.rules.find((r) => r.rule === 'e8m0-ceil')!;
    expect(floor.scale).toBe(1);
    expect(floor.saturated[3]).toBe(1);
    expect(floor.saturatedCount).toBe(1);
    expect(floor.xhat[3]).toBe(6);
    expect(ceil.scale).toBe(2);
    expect(ceil.saturatedCount).toBe(0);
    expect(v.rules.map((r) => r.rule)).toEqual(['absmax', 'pow2', 'e8m0-floor', 'e8m0-ceil', 'nvfp4']);
  });

  it('NF4 and GGML show their own scaling', () => {
    expect(blockRulesFor('nf4')).toEqual({ element: null, rules: ['format'], blockSize: 64 });
    const x = new Float32Array(64).map((_, i) => Math.sin(i));
    const v = analyzeBlock(x, 'nf4', 1, DEFAULT_QUANT_OPTIONS);
    expect(v.rules[0].scale).toBe(v.amax);
  });
});
