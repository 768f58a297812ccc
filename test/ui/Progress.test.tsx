// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { Progress } from '../../src/ui/Progress.tsx';

afterEach(cleanup);

describe('Progress', () => {
  it('indeterminate: a <progress> without a value, marked for the compositor-moved segment', () => {
    render(<Progress label="Computing heatmaps" />);
    const bar = screen.getByRole('progressbar', { name: 'Computing heatmaps' }) as HTMLProgressElement;
    expect(bar.hasAttribute('value')).toBe(false);
    expect(bar.closest('[role="status"]')!.classList.contains('progress-indeterminate')).toBe(true);
    expect(bar.parentElement!.classList.contains('progress-track')).toBe(true);
  });

  it('determinate: the value, and no moving segment', () => {
    render(<Progress label="Reading" value={0.25} />);
    const bar = screen.getByRole('progressbar', { name: 'Reading' }) as HTMLProgressElement;
    expect(bar.value).toBeCloseTo(0.25);
    expect(bar.closest('[role="status"]')!.classList.contains('progress-indeterminate')).toBe(false);
  });

  it('over a result: marked to overlay it (no line of its own); in flow otherwise', () => {
    render(<><Progress label="Over" over /><Progress label="Above" /></>);
    const status = (name: string) => screen.getByRole('progressbar', { name }).closest('[role="status"]')!;
    expect(status('Over').classList.contains('progress-over')).toBe(true);
    expect(status('Above').classList.contains('progress-over')).toBe(false);
  });
});
