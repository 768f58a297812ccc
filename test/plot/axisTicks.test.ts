/** defaultTicks on log scales: labels never crowd a short axis, and a roomy one keeps d3's 2·10ⁿ / 5·10ⁿ labels. */
import { describe, expect, it } from 'vitest';
import { scaleLog } from 'd3';
import { defaultTicks } from '../../src/plot/Axis.tsx';

describe('log axis ticks', () => {
  it('a 60 px axis over 10…300 labels only the powers of ten', () => {
    const t = defaultTicks(scaleLog().domain([10, 300]).range([0, 60]), 2);
    expect(t.map((x) => x.value)).toEqual([10, 100]);
  });
  it('a 400 px axis over 10…300 keeps the labels d3 gives', () => {
    const s = scaleLog().domain([10, 300]).range([0, 400]);
    const t = defaultTicks(s, 6);
    expect(t.length).toBeGreaterThan(2);
    for (let i = 1; i < t.length; i++) expect(t[i].offset - t[i - 1].offset).toBeGreaterThanOrEqual(24);
  });
  it('a domain within one decade (where d3 labels no tick) still gets labelled ticks', () => {
    const t = defaultTicks(scaleLog().domain([26.7, 40.4]).range([0, 60]), 3);
    expect(t.map((x) => x.label)).toEqual(['30', '40']);
  });
  it('powers of ten above 10³ are recognised (log10 rounding)', () => {
    const t = defaultTicks(scaleLog().domain([100, 5e6]).range([0, 40]), 2);
    expect(t.map((x) => x.value).every((v) => [100, 1e3, 1e4, 1e5, 1e6].includes(v))).toBe(true);
    expect(t.length).toBeGreaterThanOrEqual(2);
  });
});
