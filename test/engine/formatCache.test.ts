import { describe, expect, it } from 'vitest';
import { FormatCache, formatCacheKey, optionsText } from '../../src/engine/formatCache.ts';

describe('FormatCache', () => {
  it('keys by tensor, job, options (field order does not matter) and extra part', () => {
    expect(optionsText({ b: 1, a: 2 })).toBe(optionsText({ a: 2, b: 1 }));
    // nested options (granularity) are part of the key, keys sorted there too
    const g = (granularity: unknown) => formatCacheKey('t', 'metrics', { format: 'int8', granularity });
    expect(g({ kind: 'row' })).not.toBe(g({ kind: 'tensor' }));
    expect(g({ kind: 'block', rows: 1, cols: 32 })).not.toBe(g({ kind: 'block', rows: 1, cols: 128 }));
    expect(g({ rows: 1, kind: 'block', cols: 32 })).toBe(g({ kind: 'block', cols: 32, rows: 1 }));
    const k = formatCacheKey('sample:x', 'metrics', { format: 'int8', scale: 'fp32' });
    expect(k).not.toBe(formatCacheKey('sample:x', 'metrics', { format: 'int4', scale: 'fp32' }));
    expect(k).not.toBe(formatCacheKey('sample:y', 'metrics', { format: 'int8', scale: 'fp32' }));
    expect(k).not.toBe(formatCacheKey('sample:x', 'tradeoff', { format: 'int8', scale: 'fp32' }));
    expect(k).not.toBe(formatCacheKey('sample:x', 'metrics', { format: 'int8', scale: 'fp32' }, 'smooth:0.5'));
  });

  it('evicts the least recently used entry past its capacity', () => {
    const c = new FormatCache(2);
    c.set('a', 1);
    c.set('b', 2);
    expect(c.get('a')).toBe(1); // a is now the most recent
    c.set('c', 3);
    expect(c.get('b')).toBeUndefined();
    expect(c.get('a')).toBe(1);
    expect(c.get('c')).toBe(3);
    expect(c.size).toBe(2);
  });

  it('keeps a cached null (a point that does not exist) apart from a miss', () => {
    const c = new FormatCache();
    c.set('p', null);
    expect(c.get('p')).toBeNull();
    expect(c.get('q')).toBeUndefined();
  });

  it('drops every entry of a tensor, and only those', () => {
    const c = new FormatCache();
    const k1 = formatCacheKey('sample:a', 'metrics', { format: 'int8' });
    const k2 = formatCacheKey('sample:a', 'tradeoff', { format: 'int4' });
    const k3 = formatCacheKey('sample:ab', 'metrics', { format: 'int8' });
    c.set(k1, 1); c.set(k2, 2); c.set(k3, 3);
    c.dropTensor('sample:a');
    expect(c.get(k1)).toBeUndefined();
    expect(c.get(k2)).toBeUndefined();
    expect(c.get(k3)).toBe(3);
  });
});
