// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from '@testing-library/react';
import { Histogram } from '../../src/plot/Histogram.tsx';

afterEach(cleanup);

const edges = [-2, -1, 0, 1, 2];
const series = [{ label: 'INT8', counts: [0, 3, 5, 1] }, { label: 'FP4', counts: [2, 2, 2, 2] }];

describe('Histogram', () => {
  it('overlays step lines on shared bins (snapshot)', () => {
    const { container } = render(<Histogram edges={edges} series={series} width={80} height={40} xLabel="error x̂ − x" title="error histogram" />);
    const paths = Array.from(container.querySelectorAll('path')).map((p) => p.getAttribute('d'));
    expect(paths).toMatchInlineSnapshot(`
      [
        "M0,40L0,40L20,40L20,16L40,16L40,0L60,0L60,32L80,32L80,40",
        "M0,40L0,24L20,24L20,24L40,24L40,24L60,24L60,24L80,24L80,40",
      ]
    `);
    expect(container.querySelector('svg')!.getAttribute('aria-label')).toBe('error histogram (2 series overlaid, linear counts)');
  });

  it('log counts leave empty bins on the baseline', () => {
    const { container } = render(<Histogram edges={edges} series={[series[0]]} yScale="log" width={80} height={40} xLabel="e" title="h" />);
    expect(container.querySelector('path')!.getAttribute('d')).toMatch(/^M0,40L0,40L20,40L20,/);
  });

  it('small multiples: one chart per series with shared axes, and grid lines', () => {
    const { container } = render(<Histogram edges={edges} series={series} mode="multiples" width={80} height={40} xLabel="e" title="h"
      gridLines={[{ label: 'INT8 grid', values: [-1.5, 0, 1.5, 9] }]} />);
    const headings = Array.from(container.querySelectorAll('text[font-weight="600"]')).map((t) => t.textContent);
    expect(headings).toEqual(['INT8', 'FP4']);
    expect(container.querySelectorAll('[aria-label="grid lines: INT8 grid"] line').length).toBe(6); // 3 in range × 2 charts
  });
});
