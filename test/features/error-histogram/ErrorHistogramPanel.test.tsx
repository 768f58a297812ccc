// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ErrorHistogramPanel } from '../../../src/features/error-histogram/ErrorHistogramPanel.tsx';

afterEach(cleanup);

const edges = [-1, -0.5, 0, 0.5, 1];
const series = ['INT8', 'FP8 E4M3', 'FP4 E2M1', 'MXFP4', 'NVFP4', 'NF4', 'Q4_0'].map((label, i) => ({ format: label, label, counts: [i, 1, 2, 1] }));

describe('ErrorHistogramPanel', () => {
  it('draws at most 6 formats and says so', () => {
    const { container } = render(<ErrorHistogramPanel edges={edges} series={series} caption="activation, row" />);
    expect(container.querySelectorAll('svg[aria-label^="Error histogram"] path').length).toBe(6);
    expect(screen.getByText(/1 more format not drawn/)).toBeTruthy();
  });

  it('switches layout and count scale, calling back when controlled', async () => {
    const user = userEvent.setup();
    const onLayout = vi.fn(), onScale = vi.fn();
    render(<ErrorHistogramPanel edges={edges} series={series.slice(0, 2)} caption="c" layout="overlay" onLayoutChange={onLayout} countScale="log" onCountScaleChange={onScale} />);
    await user.click(screen.getByRole('radio', { name: 'small multiples' }));
    expect(onLayout).toHaveBeenCalledWith('multiples');
    await user.click(screen.getByRole('radio', { name: 'linear' }));
    expect(onScale).toHaveBeenCalledWith('linear');
  });

  it('uncontrolled: small multiples draw one chart per format', async () => {
    const user = userEvent.setup();
    const { container } = render(<ErrorHistogramPanel edges={edges} series={series.slice(0, 3)} caption="c" />);
    await user.click(screen.getByRole('radio', { name: 'small multiples' }));
    expect(container.querySelector('svg')!.getAttribute('aria-label')).toMatch(/small multiples, log counts/);
    expect(container.querySelectorAll('text[font-weight="600"]').length).toBe(3);
  });

  it('draws the value histogram once per compared format, each with that format\'s own grid', () => {
    const valueHistogram = { edges: [-4, -2, 0, 2, 4], counts: [1, 5, 5, 1] };
    const valueGrids = [
      { label: 'INT8', values: [-3, -1.5, 0, 1.5, 3] },
      { label: 'MXFP4', values: [-4, 0, 4] },
    ];
    const { container } = render(<ErrorHistogramPanel edges={edges} series={series.slice(0, 2)} caption="c" valueHistogram={valueHistogram} valueGrids={valueGrids} />);
    const charts = container.querySelector('svg[aria-label^="Value histogram with each format"]')!;
    expect(charts.getAttribute('aria-label')).toMatch(/small multiples/);
    const int8 = charts.querySelector('g[aria-label="grid lines: INT8 grid"]')!;
    const mx = charts.querySelector('g[aria-label="grid lines: MXFP4 grid"]')!;
    expect(int8.querySelectorAll('line').length).toBe(5);
    expect(mx.querySelectorAll('line').length).toBe(3);
    expect(int8.getAttribute('stroke')).not.toBe(mx.getAttribute('stroke')); // each in its format's colour
  });
});
