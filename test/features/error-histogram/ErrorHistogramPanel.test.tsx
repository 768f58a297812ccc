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
});
