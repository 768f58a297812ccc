import { describe, expect, it } from 'vitest';
import { sharedBarDomain } from '../../../src/core/analysis/heatmap.ts';

describe('sharedBarDomain', () => {
  it('spans the finite positive values of all profiles, skipping NaN, 0 and ±∞', () => {
    expect(sharedBarDomain([0, 3, NaN, Infinity], [0.5, 2, -Infinity])).toEqual([0.5, 3]);
  });
  it('is [0, 1] when no finite value is positive (all NaN, 0 or ∞), and skips a missing profile', () => {
    expect(sharedBarDomain([NaN, Infinity, 0], undefined)).toEqual([0, 1]);
  });
});
