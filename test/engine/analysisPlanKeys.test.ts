import { describe, expect, it } from 'vitest';
import { defaultConfig, type Config } from '../../src/state/config.ts';
import { heatmapKey, probeKey, transformSeed } from '../../src/engine/analysisPlan.ts';

const cfg = (patch: Partial<Config>): Config => ({ ...defaultConfig(), ...patch });

describe('analysis keys and the rounding seed', () => {
  it('the |x| heatmap does not depend on the rounding seed, except through random-hadamard signs', () => {
    for (const transform of ['none', 'hadamard:64', 'smooth:0.5']) {
      const a = cfg({ rounding: 'stochastic', seed: 1, transform });
      const b = cfg({ rounding: 'stochastic', seed: 2, transform });
      expect(heatmapKey(b), transform).toBe(heatmapKey(a));
    }
    const ra = cfg({ rounding: 'rne', seed: 1, transform: 'random-hadamard:64' });
    const rb = cfg({ rounding: 'rne', seed: 2, transform: 'random-hadamard:64' });
    expect(heatmapKey(rb)).not.toBe(heatmapKey(ra));
  });

  it('what quantizes still does (the element probe under stochastic rounding)', () => {
    const p = { side: 'before' as const, row: 3, col: 4 };
    expect(probeKey(cfg({ rounding: 'stochastic', seed: 2 }), p)).not.toBe(probeKey(cfg({ rounding: 'stochastic', seed: 1 }), p));
  });

  it('prep requests carry the seed only for random-hadamard', () => {
    expect(transformSeed('random-hadamard:128', 7)).toBe(7);
    expect(transformSeed('hadamard:128', 7)).toBe(0);
    expect(transformSeed('smooth:0.5', 7)).toBe(0);
    expect(transformSeed('none', 7)).toBe(0);
  });
});
