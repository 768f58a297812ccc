import { describe, expect, it } from 'vitest';
import { formatTransform, parseTransform, transformNeedsPair } from '../../../src/core/transforms/parse.ts';
import { parseOutlierQuantile } from '../../../src/core/transforms/outliers.ts';

describe('parseTransform', () => {
  it.each([
    ['none', { kind: 'none' }, 'none'],
    ['smooth', { kind: 'smooth', alpha: 0.5 }, 'smooth'],
    ['smooth:0.8', { kind: 'smooth', alpha: 0.8 }, 'smooth:0.8'],
    ['smooth:0.5', { kind: 'smooth', alpha: 0.5 }, 'smooth'],
    ['smooth:1', { kind: 'smooth', alpha: 1 }, 'smooth:1'],
    ['hadamard:128', { kind: 'hadamard', block: 128 }, 'hadamard:128'],
    ['random-hadamard:16', { kind: 'random-hadamard', block: 16 }, 'random-hadamard:16'],
    ['awq', { kind: 'awq' }, 'awq'],
    ['awq:0.25', { kind: 'awq', alpha: 0.25 }, 'awq:0.25'],
    ['svdquant:32', { kind: 'svdquant', rank: 32, alpha: 0.5 }, 'svdquant:32'],
    ['svdquant:16:0.7', { kind: 'svdquant', rank: 16, alpha: 0.7 }, 'svdquant:16:0.7'],
  ])('%s', (text, want, canon) => {
    const t = parseTransform(text);
    expect(t).toEqual(want);
    expect(formatTransform(t)).toBe(canon);
    expect(parseTransform(formatTransform(t))).toEqual(t);
  });

  it.each([
    ['rotate', /unknown transform "rotate"; valid: none, smooth/],
    ['smooth:1.5', /needs α between 0 and 1/],
    ['smooth:-0.1', /needs α between 0 and 1/],
    ['smooth:abc', /needs α between 0 and 1/],
    ['awq:2', /needs α between 0 and 1/],
    ['hadamard', /needs a block size: hadamard:G/],
    ['hadamard:48', /hadamard:48 needs a power-of-two block size; valid: 1, 2, 4, 8/],
    ['random-hadamard:0', /power-of-two block size/],
    ['svdquant', /needs a rank: svdquant:RANK/],
    ['svdquant:0', /needs a rank/],
    ['svdquant:8:1.2', /needs α between 0 and 1/],
    ['outliers', /outliers is a separate option.*outliers=Q/],
    ['none:1', /unknown transform/],
  ])('rejects %s with one plain sentence', (text, re) => {
    expect(() => parseTransform(text)).toThrow(re);
    try { parseTransform(text); } catch (e) { expect((e as Error).message).not.toMatch(/\n/); }
  });

  it('knows which transforms need an X/W pair', () => {
    expect(transformNeedsPair(parseTransform('smooth'))).toBe(true);
    expect(transformNeedsPair(parseTransform('svdquant:4'))).toBe(true);
    expect(transformNeedsPair(parseTransform('awq'))).toBe(true);
    expect(transformNeedsPair(parseTransform('hadamard:16'))).toBe(false);
  });

  it('parses outliers=Q', () => {
    expect(parseOutlierQuantile('0.999')).toBe(0.999);
    expect(() => parseOutlierQuantile('1')).toThrow(/0 < Q < 1/);
    expect(() => parseOutlierQuantile('x')).toThrow(/0 < Q < 1/);
  });
});
