// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HeatmapCanvas, type HeatmapGrid } from '../../src/plot/HeatmapCanvas.tsx';
import { getLut } from '../../src/plot/colormaps.ts';

afterEach(cleanup);

const grid: HeatmapGrid = {
  values: Float32Array.from([1, 2, 3, 4]), outRows: 2, outCols: 2,
  viewport: { row0: 0, row1: 64, col0: 0, col1: 128 },
  rowStarts: Int32Array.from([0, 32, 64]), colStarts: Int32Array.from([0, 64, 128]),
};
const vp = { row0: 0, row1: 64, col0: 0, col1: 128 };

function setup(viewport = vp) {
  const onViewportChange = vi.fn();
  render(
    <HeatmapCanvas grid={grid} shape={[64, 128]} viewport={viewport} lut={getLut('viridis')} mapping={{ kind: 'linear', domain: [0, 4] }}
      width={256} height={128} label="|x| of the sample" onViewportChange={onViewportChange} />,
  );
  return onViewportChange;
}

describe('HeatmapCanvas', () => {
  it('renders without a canvas context (jsdom) and names the view', () => {
    setup();
    expect(screen.getByRole('img', { name: /\|x\| of the sample: rows 0–63 of 64, columns 0–127 of 128/ })).toBeTruthy();
  });

  it('zooms and pans from the keyboard', async () => {
    const user = userEvent.setup();
    const cb = setup({ row0: 16, row1: 48, col0: 32, col1: 96 });
    screen.getByRole('img', { name: /sample/ }).focus();
    await user.keyboard('{ArrowRight}');
    expect(cb).toHaveBeenLastCalledWith({ row0: 16, row1: 48, col0: 38, col1: 102 });
    await user.keyboard('{ArrowUp}');
    expect(cb).toHaveBeenLastCalledWith({ row0: 13, row1: 45, col0: 32, col1: 96 });
    await user.keyboard('+');
    expect(cb).toHaveBeenLastCalledWith({ row0: 21, row1: 42, col0: 43, col1: 86 });
    await user.keyboard('-');
    expect(cb).toHaveBeenLastCalledWith({ row0: 8, row1: 56, col0: 16, col1: 112 });
    await user.keyboard('0');
    expect(cb).toHaveBeenLastCalledWith(vp);
  });

  it('has labelled zoom buttons', async () => {
    const user = userEvent.setup();
    const cb = setup();
    await user.click(screen.getByRole('button', { name: 'Zoom in' }));
    expect(cb).toHaveBeenLastCalledWith({ row0: 11, row1: 54, col0: 21, col1: 106 });
    await user.click(screen.getByRole('button', { name: 'Reset view' }));
    expect(cb).toHaveBeenLastCalledWith(vp);
  });
});
