import { describe, expect, it } from 'vitest';
import { fitWidth } from '../../src/plot/useWidth.ts';

describe('fitWidth', () => {
  it('keeps the preferred width when it fits, shrinks to the container on a phone, never below the minimum', () => {
    expect(fitWidth(360, 0, 64)).toBe(360); // not measured yet
    expect(fitWidth(360, 900, 64)).toBe(360);
    expect(fitWidth(360, 330, 64)).toBe(266);
    expect(fitWidth(360, 100, 64, 120)).toBe(120);
  });
});
