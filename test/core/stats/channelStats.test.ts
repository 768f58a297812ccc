import { describe, expect, it } from 'vitest';
import { channelAbsMax, columnAbsMax, maxMedianRatio, median, outlierChannels, rowAbsMax } from '../../../src/core/stats/channelStats.ts';

describe('channel stats', () => {
  const x = Float32Array.from([1, -2, 3, -4, 0.5, NaN]); // [2, 3]
  it('takes column and row absmax, ignoring NaN', () => {
    expect(Array.from(columnAbsMax(x, 2, 3))).toEqual([4, 2, 3]);
    expect(Array.from(rowAbsMax(x, 2, 3))).toEqual([3, 4]);
    const both = channelAbsMax(x, 2, 3);
    expect([Array.from(both.col), Array.from(both.row)]).toEqual([[4, 2, 3], [3, 4]]);
  });
  it('median and max/median ratio', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(maxMedianRatio([1, 1, 1, 10])).toBe(10);
    expect(maxMedianRatio([0, 0, 5])).toBe(Infinity);
  });
  it('finds outlier channels by a robust k·σ rule and by top-k', () => {
    const absmax = [1, 1.1, 0.9, 1.05, 30, 0.95, 12, 1];
    expect(Array.from(outlierChannels(absmax, { kind: 'sigma', k: 6 }).indices)).toEqual([4, 6]);
    expect(Array.from(outlierChannels(absmax, { kind: 'topk', k: 3 }).indices)).toEqual([4, 6, 1]);
    // plain mean + kσ: the outliers inflate σ, so fewer are found
    expect(Array.from(outlierChannels(absmax, { kind: 'sigma', k: 2, robust: false }).indices)).toEqual([4]);
  });
});
