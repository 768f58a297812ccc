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
    // NaN is skipped wherever it stands (an all-NaN channel of a pooled profile), and alone gives NaN
    expect(median([NaN, 4, 1, NaN, 2, 3])).toBe(2.5);
    expect(median(new Float32Array([5, NaN, 1]))).toBe(3);
    expect(median([NaN, NaN])).toBeNaN();
    expect(median([])).toBeNaN();
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
  it('sigma rule on a few thousand channels: the ones over median + k·1.4826·MAD, largest first, ties to the lower index', () => {
    let st = 7;
    const rand = () => ((st = (Math.imul(st, 1103515245) + 12345) >>> 0) / 2 ** 32);
    // log-normal-ish channel maxima with repeated values, NaN holes and a few big outliers
    const absmax = Array.from({ length: 4096 }, (_, i) => (i % 211 === 5 ? NaN : i % 97 === 3 ? 40 + (i % 3) : Math.round(Math.exp(rand()) * 8) / 8));
    const finite = absmax.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
    const med = (a: number[]) => (a.length % 2 ? a[a.length >> 1] : (a[(a.length >> 1) - 1] + a[a.length >> 1]) / 2);
    const centre = med(finite);
    const spread = 1.4826 * med(finite.map((v) => Math.abs(v - centre)).sort((a, b) => a - b));
    const threshold = centre + 6 * spread;
    const expected = absmax.map((v, i) => [v, i]).filter(([v]) => v > threshold).sort((a, b) => b[0] - a[0] || a[1] - b[1]).map(([, i]) => i);
    const got = outlierChannels(absmax, { kind: 'sigma', k: 6 });
    expect(got.threshold).toBe(threshold);
    expect(expected.length).toBeGreaterThan(10);
    expect(Array.from(got.indices)).toEqual(expected);
    expect(median(absmax)).toBe(centre);
  });
});
