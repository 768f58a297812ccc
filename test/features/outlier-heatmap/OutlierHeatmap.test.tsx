// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { OutlierHeatmap } from '../../../src/features/outlier-heatmap/OutlierHeatmap.tsx';
import { ErrorHeatmap } from '../../../src/features/outlier-heatmap/ErrorHeatmap.tsx';
import { compareHeatmaps, errorHeatmap } from '../../../src/core/analysis/heatmap.ts';
import { fullViewport } from '../../../src/core/stats/pooling.ts';
import { tensor2D } from '../../../src/core/tensor.ts';

afterEach(cleanup);

// [4, 8] with an outlier channel 5
const data = new Float32Array(32).map((_, i) => ((i % 8) === 5 ? 40 : 1 + (i % 3)));
const X = tensor2D(data, [4, 8]);
const Xs = tensor2D(data.map((v, i) => ((i % 8) === 5 ? v / 10 : v)), [4, 8]);

describe('OutlierHeatmap', () => {
  it('shows both sides, the ratio before → after and the outlier channel', () => {
    const res = compareHeatmaps(X, Xs, fullViewport(4, 8), 4, 8, { kind: 'topk', k: 1 });
    render(<OutlierHeatmap data={res} shape={[4, 8]} viewport={fullViewport(4, 8)} onViewportChange={() => {}} afterLabel="after smooth:0.5" caption="sample" />);
    expect(screen.getByRole('img', { name: /^\|x\| before/ })).toBeTruthy();
    expect(screen.getByRole('img', { name: /^\|x\| after smooth:0.5/ })).toBeTruthy();
    expect(screen.getByText(/Channel max\/median ratio: 13.3× before → 1.33× after smooth:0.5/)).toBeTruthy();
    expect(screen.getAllByText(/channel 5/).length).toBe(2);
  });

  it('one viewport drives both sides (keyboard pan on either)', async () => {
    const user = userEvent.setup();
    const onVp = vi.fn();
    const res = compareHeatmaps(X, Xs, { row0: 0, row1: 2, col0: 0, col1: 4 }, 2, 4);
    render(<OutlierHeatmap data={res} shape={[4, 8]} viewport={{ row0: 0, row1: 2, col0: 0, col1: 4 }} onViewportChange={onVp} caption="c" />);
    screen.getByRole('img', { name: /^\|x\| after/ }).focus();
    await user.keyboard('{ArrowRight}');
    expect(onVp).toHaveBeenLastCalledWith({ row0: 0, row1: 2, col0: 1, col1: 5 });
  });
});

describe('ErrorHeatmap', () => {
  it('reports the worst element and its block on click', () => {
    const xhat = data.map((v, i) => (i === 13 ? v - 3 : v));
    const res = errorHeatmap(X, { xhat }, fullViewport(4, 8), 2, 2, 'abs');
    const onBlock = vi.fn();
    render(<ErrorHeatmap data={res} shape={[4, 8]} viewport={fullViewport(4, 8)} onViewportChange={() => {}} formatLabel="MXFP4" blockSize={4} onBlockClick={onBlock} caption="c" width={80} height={40} />);
    const area = screen.getByRole('img', { name: /error of MXFP4/ });
    area.getBoundingClientRect = () => ({ left: 0, top: 0, width: 80, height: 40, right: 80, bottom: 40, x: 0, y: 0, toJSON: () => ({}) });
    // top-right cell (rows 0–1, cols 4–7) holds element 13 = [1, 5]
    // jsdom has no PointerEvent with coordinates: dispatch mouse events under the pointer names
    fireEvent(area, new MouseEvent('pointerdown', { bubbles: true, clientX: 60, clientY: 10 }));
    fireEvent(area, new MouseEvent('pointerup', { bubbles: true, clientX: 60, clientY: 10 }));
    expect(onBlock).toHaveBeenCalledWith({ row: 1, col: 5, block: 1 });
  });
});
