// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { BarChart } from '../../src/plot/BarChart.tsx';
import { barRects, type BarRect } from '../helpers/bars.ts';

afterEach(cleanup);

const num = (el: BarRect, a: 'x' | 'y' | 'width' | 'height') => Number(el.getAttribute(a));
const barsOf = (name: RegExp) => barRects(screen.getByRole('img', { name }));

// four row cells of unequal size over rows [10, 20); cell 2 has no value
const starts = [10, 12, 16, 18, 20];
const values = [1, 4, NaN, 2];

describe('BarChart, vertical (beside a heatmap, along its rows)', () => {
  it('puts each bar on its row cell: same index scale as a heatmap of that height', () => {
    const height = 100;
    render(<BarChart orientation="vertical" values={values} starts={starts} domain={[10, 20]} valueDomain={[0, 4]} width={40} height={height} valueLabel="max |x| per row" title="rows" />);
    const bars = barsOf(/^rows$/);
    const drawn = [0, 1, 3];
    expect(bars).toHaveLength(drawn.length);
    const px = (row: number) => ((row - 10) / (20 - 10)) * height;
    bars.forEach((r, i) => {
      const k = drawn[i];
      expect(num(r, 'x')).toBe(0);
      expect(num(r, 'y')).toBeCloseTo(px(starts[k]), 9);
      // cells wider than 3 px keep a 1 px gap to the next
      const cell = px(starts[k + 1]) - px(starts[k]);
      expect(num(r, 'height')).toBeCloseTo(cell > 3 ? cell - 1 : cell, 9);
    });
    // bars grow to the right in proportion to the value (linear)
    expect(num(bars[1], 'width') / num(bars[0], 'width')).toBeCloseTo(values[1] / values[0], 9);
    expect(num(bars[2], 'width') / num(bars[0], 'width')).toBeCloseTo(values[3] / values[0], 9);
    expect(num(bars[1], 'width')).toBeLessThanOrEqual(40);
  });

  it('a zoomed domain keeps real indices: the same cell sits lower when the view starts earlier', () => {
    const { rerender } = render(<BarChart orientation="vertical" values={values} starts={starts} domain={[10, 20]} width={40} height={100} valueLabel="v" title="rows" />);
    const y1 = num(barsOf(/^rows$/)[1], 'y');
    rerender(<BarChart orientation="vertical" values={values} starts={starts} domain={[0, 20]} width={40} height={100} valueLabel="v" title="rows" />);
    const y2 = num(barsOf(/^rows$/)[1], 'y');
    expect(y2).toBeCloseTo((starts[1] / 20) * 100, 9);
    expect(y2).toBeGreaterThan(y1);
  });

  it('log option: equal value ratios give equal length steps, and the name says log', () => {
    const dec = [1, 10, 100];
    render(<BarChart orientation="vertical" log values={dec} starts={[0, 1, 2, 3]} domain={[0, 3]} valueDomain={[1, 100]} width={60} height={30} valueLabel="v" title="rows" />);
    const w = barsOf(/^rows \(log scale\)$/).map((r) => num(r, 'width'));
    expect(w).toHaveLength(3);
    expect(w[0]).toBeGreaterThan(0);
    expect(w[2] - w[1]).toBeCloseTo(w[1] - w[0], 9);
    expect(w[2]).toBeLessThanOrEqual(60);
  });

  it('the value axis is under the bars and the title wraps to the chart width', () => {
    const { container } = render(<BarChart orientation="vertical" values={values} starts={starts} domain={[10, 20]} width={40} height={100} valueLabel="max |x| per output feature" title="rows" />);
    expect(container.querySelector('.axis-bottom')).not.toBeNull();
    const lines = Array.from(container.querySelectorAll('tspan')).map((t) => t.textContent);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.join(' ')).toBe('max |x| per output feature');
  });
});

describe('BarChart, horizontal (under a heatmap, along its columns)', () => {
  it('puts each bar on its column cell and highlights the marked ones', () => {
    const width = 100;
    render(<BarChart values={values} starts={starts} domain={[10, 20]} valueDomain={[0, 4]} highlight={[0, 1, 0, 0]} width={width} height={50} valueLabel="v" title="cols" />);
    const bars = barsOf(/^cols, 1 highlighted$/);
    expect(bars).toHaveLength(3);
    const xs = bars.map((r) => num(r, 'x')).sort((a, b) => a - b);
    expect(xs).toEqual([0, 1, 3].map((k) => ((starts[k] - 10) / 10) * width));
    // the highlighted cell is drawn last, in its own colour
    expect(num(bars[2], 'x')).toBe(((starts[1] - 10) / 10) * width);
    expect(bars[2].getAttribute('fill')).not.toBe(bars[0].getAttribute('fill'));
    // bars stand on the baseline at the bottom
    bars.forEach((r) => expect(num(r, 'y') + num(r, 'height')).toBeCloseTo(50, 9));
  });
});

describe('BarChart with an infinite value (a channel holding ±∞, e.g. a packed checkpoint whose scale overflows float32)', () => {
  const inf = [1, Infinity, 2];
  const cells = [0, 1, 2, 3];
  for (const log of [false, true]) {
    for (const valueDomain of [undefined, [1, Infinity] as const]) {
      it(`draws it to the end of the axis and the finite bars on the finite domain (${log ? 'log' : 'linear'}, ${valueDomain ? 'domain given with ∞' : 'own domain'})`, () => {
        const { container } = render(<BarChart log={log} values={inf} starts={cells} domain={[0, 3]} valueDomain={valueDomain} width={60} height={50} valueLabel="v" title="cols" />);
        for (const p of Array.from(container.querySelectorAll('path'))) expect(p.getAttribute('d') ?? '').not.toMatch(/NaN|Infinity/);
        const bars = barsOf(log ? /^cols \(log scale\)$/ : /^cols$/);
        expect(bars).toHaveLength(3);
        const len = bars.map((r) => num(r, 'height'));
        // the infinite value's bar spans the whole value axis; the finite ones are shorter and ordered
        expect(len[1]).toBeCloseTo(50, 9);
        expect(len[0]).toBeGreaterThan(0);
        expect(len[0]).toBeLessThan(len[2]);
        expect(len[2]).toBeLessThanOrEqual(50);
      });
    }
  }
});

describe('BarChart, log scale with no positive value (an all-zero or all-NaN tensor)', () => {
  it('labels about one decade below the top, not ticks down to the smallest double', () => {
    const { container } = render(<BarChart log values={[0, NaN, 0]} starts={[0, 1, 2, 3]} domain={[0, 3]} valueDomain={[0, 1]} width={60} height={50} valueLabel="v" title="cols" />);
    const ticks = Array.from(container.querySelectorAll('.axis g > text')).map((t) => t.textContent ?? '');
    expect(ticks.length).toBeGreaterThan(0);
    expect(ticks.join(' ')).not.toMatch(/e-[1-9]\d/);
    expect(barsOf(/^cols \(log scale\)$/)).toHaveLength(0);
  });
});
