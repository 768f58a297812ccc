/** QuantContext.absmaxCache: the scalar formats' group absmax kept across calls on the same rows gives the same bits. */
import { describe, expect, it } from 'vitest';
import type { FormatId } from '../../../src/core/formats/registry.ts';
import type { Granularity, QuantOptions } from '../../../src/core/quant/options.ts';
import { quantize } from '../../../src/core/quant/quantize.ts';
import { firstDifference } from '../../helpers/sameArrays.ts';
import { lcg, tensor } from '../../helpers/tensors.ts';

const u = lcg(3);
const x = tensor(24, 256, (i) => (u() - 0.5) * (i % 256 === 7 ? 500 : 4));
x.data[300] = NaN;
x.data[1000] = -Infinity;
x.data.fill(0, 512, 768); // an all-zero row: scale 1

const opts = (format: FormatId, granularity: Granularity, extra: Partial<QuantOptions> = {}): QuantOptions => ({
  format, granularity, scale: 'absmax', scaleRule: 'floor', rounding: 'rne', seed: 0, ...extra,
});

function expectSame(a: ReturnType<typeof quantize>, b: ReturnType<typeof quantize>): void {
  expect(firstDifference(a.xhat, b.xhat)).toBe('same');
  expect(firstDifference(a.scales!, b.scales!)).toBe('same');
  expect(a.saturated).toBe(b.saturated);
}

describe('group absmax cache', () => {
  it('gives the bits of an uncached call for other formats, seeds, roundings and pow2 scales on the same rows', () => {
    for (const g of [{ kind: 'row' }, { kind: 'group', size: 32 }, { kind: 'group', size: 24 }, { kind: 'column' }, { kind: 'block', rows: 4, cols: 64 }, { kind: 'tensor' }] as Granularity[]) {
      const cache = new Map<string, Float32Array>();
      for (const [f, extra] of [
        ['int8', {}], ['fp8_e4m3', { rounding: 'stochastic', seed: 5 }], ['fp4_e2m1', {}], ['int4', { scale: 'pow2' }],
        ['fp6_e2m3', { scale: 'pow2-row' }], ['int8', { rounding: 'stochastic', seed: 9 }],
      ] as [FormatId, Partial<QuantOptions>][]) {
        if (extra.scale === 'pow2-row' && g.kind !== 'row' && g.kind !== 'group') continue; // pow2-row is for rows and groups
        const o = opts(f, g, extra);
        const rowOffset = g.kind === 'column' || g.kind === 'tensor' ? 0 : 8; // their scales need the whole tensor
        expectSame(quantize(x, o, undefined, { rowOffset, absmaxCache: cache }), quantize(x, o, undefined, { rowOffset }));
      }
      expect(cache.size, JSON.stringify(g)).toBe(1);
    }
  });

  it('is not used for clip, int4_asym or the context tensor amax, and keeps other rows and layouts apart', () => {
    const cache = new Map<string, Float32Array>();
    quantize(x, opts('int8', { kind: 'row' }, { clip: 0.99 }), undefined, { absmaxCache: cache });
    quantize(x, opts('int4_asym', { kind: 'row' }), undefined, { absmaxCache: cache });
    quantize(x, opts('int8', { kind: 'tensor' }), undefined, { absmaxCache: cache, tensorAmax: 1000 });
    expect(cache.size).toBe(0);
    quantize(x, opts('int8', { kind: 'row' }), undefined, { rowOffset: 0, absmaxCache: cache });
    quantize(x, opts('int8', { kind: 'row' }), undefined, { rowOffset: 24, absmaxCache: cache });
    quantize(x, opts('int8', { kind: 'group', size: 32 }), undefined, { rowOffset: 0, absmaxCache: cache });
    expect(cache.size).toBe(3);
  });

  it('is what a later call reads (a changed entry changes its scales)', () => {
    const cache = new Map<string, Float32Array>();
    const o = opts('int8', { kind: 'row' });
    quantize(x, o, undefined, { absmaxCache: cache });
    const [entry] = cache.values();
    entry.forEach((v, i) => { entry[i] = v * 2; });
    const again = quantize(x, opts('fp8_e4m3', { kind: 'row' }), undefined, { absmaxCache: cache });
    const plain = quantize(x, opts('fp8_e4m3', { kind: 'row' }), undefined, {});
    expect(firstDifference(again.scales!, plain.scales!)).not.toBe('same');
  });
});
