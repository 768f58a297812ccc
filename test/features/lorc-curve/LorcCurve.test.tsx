// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { LorcCurve } from '../../../src/features/lorc-curve/LorcCurve.tsx';

afterEach(cleanup);

const points = Array.from({ length: 65 }, (_, r) => ({ rank: r, value: 0.121 - 0.00015 * r }));

describe('LorcCurve', () => {
  it('shows the finished share of the decomposition while running, with cancel', () => {
    render(<LorcCurve series={[]} metricLabel="relative error" status="running" progress={0.37} onStart={() => {}} onCancel={() => {}} caption="c" />);
    expect(screen.getByText(/singular vectors of W − Ŵ: 37 %/)).toBeTruthy();
    expect((screen.getByRole('progressbar') as HTMLProgressElement).value).toBeCloseTo(0.37);
    expect(screen.getByRole('button', { name: 'Cancel' })).toBeTruthy();
  });

  it('fits a linear error axis to the curve (a change of a few per cent stays visible)', () => {
    const { container } = render(<LorcCurve series={[{ label: 'MXFP4', points }]} metricLabel="relative error" status="done" caption="c" />);
    const ticks = Array.from(container.querySelectorAll('.tick text, text')).map((t) => Number(t.textContent)).filter((v) => v > 0 && v < 1);
    // ticks inside [0.11, 0.122], not the decade 0.1 … 1 of a log axis
    expect(ticks.length).toBeGreaterThan(2);
    expect(Math.min(...ticks)).toBeGreaterThanOrEqual(0.11);
    expect(Math.max(...ticks)).toBeLessThanOrEqual(0.122);
  });

  it('says how to start again after a cancel', () => {
    render(<LorcCurve series={[]} metricLabel="relative error" status="cancelled" onStart={() => {}} caption="c" />);
    expect(screen.getByRole('status').textContent).toMatch(/Cancelled; press Compute to start again/);
  });
});
