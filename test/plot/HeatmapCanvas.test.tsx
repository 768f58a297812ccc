// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HeatmapCanvas, type HeatmapGrid, type HeatmapHover } from '../../src/plot/HeatmapCanvas.tsx';
import { getLut } from '../../src/plot/colormaps.ts';

afterEach(cleanup);

const grid: HeatmapGrid = {
  values: Float32Array.from([1, 2, 3, 4]), outRows: 2, outCols: 2,
  viewport: { row0: 0, row1: 64, col0: 0, col1: 128 },
  rowStarts: Int32Array.from([0, 32, 64]), colStarts: Int32Array.from([0, 64, 128]),
};
const vp = { row0: 0, row1: 64, col0: 0, col1: 128 };

function setup(viewport = vp, extra: { onHover?: (h: HeatmapHover | null) => void; onCellClick?: (h: HeatmapHover) => void; grid?: HeatmapGrid } = {}) {
  const onViewportChange = vi.fn();
  render(
    <HeatmapCanvas grid={extra.grid ?? grid} shape={[64, 128]} viewport={viewport} lut={getLut('viridis')} mapping={{ kind: 'linear', domain: [0, 4] }}
      width={256} height={128} label="|x| of the sample" onViewportChange={onViewportChange} onHover={extra.onHover} onCellClick={extra.onCellClick} />,
  );
  return onViewportChange;
}

describe('HeatmapCanvas', () => {
  it('renders without a canvas context (jsdom) and names the view', () => {
    setup();
    expect(screen.getByRole('img', { name: /\|x\| of the sample: rows 0–63 of 64, columns 0–127 of 128/ })).toBeTruthy();
  });

  it('zooms and pans from the keyboard (arrows pan once the cell cursor is at the edge)', async () => {
    const user = userEvent.setup();
    const cb = setup({ row0: 16, row1: 48, col0: 32, col1: 96 });
    // focus puts the cursor on the largest cell: bottom-right (value 4)
    screen.getByRole('img', { name: /sample/ }).focus();
    await user.keyboard('{ArrowRight}');
    expect(cb).toHaveBeenLastCalledWith({ row0: 16, row1: 48, col0: 38, col1: 102 });
    await user.keyboard('{ArrowUp}'); // moves the cursor to the top row: no pan
    expect(cb).toHaveBeenCalledTimes(1);
    await user.keyboard('{ArrowUp}'); // at the top edge: pans
    expect(cb).toHaveBeenLastCalledWith({ row0: 13, row1: 45, col0: 32, col1: 96 });
    await user.keyboard('+');
    expect(cb).toHaveBeenLastCalledWith({ row0: 21, row1: 42, col0: 43, col1: 86 });
    await user.keyboard('-');
    expect(cb).toHaveBeenLastCalledWith({ row0: 8, row1: 56, col0: 16, col1: 112 });
    await user.keyboard('0');
    expect(cb).toHaveBeenLastCalledWith(vp);
  });

  it('the focused cell reports like a hover: its largest element, moved by the arrows; Enter clicks it; blur clears', async () => {
    const user = userEvent.setup();
    const hovers: (HeatmapHover | null)[] = [];
    const onCellClick = vi.fn();
    // cell (0, 0) holds its max at [3, 7]; cell (1, 1) (the largest) at [40, 100]
    const g: HeatmapGrid = { ...grid, index: Uint32Array.from([3 * 128 + 7, 10, 33 * 128, 40 * 128 + 100]) };
    setup(vp, { onHover: (h) => hovers.push(h), onCellClick, grid: g });
    const area = screen.getByRole('img', { name: /sample/ });
    act(() => area.focus());
    expect(hovers.at(-1)).toMatchObject({ cellRow: 1, cellCol: 1, value: 4, row: 40, col: 100, maxRow: 40, maxCol: 100 });
    expect(document.querySelector('.heatmap-cursor')).not.toBeNull();
    await user.keyboard('{ArrowUp}{ArrowLeft}');
    expect(hovers.at(-1)).toMatchObject({ cellRow: 0, cellCol: 0, value: 1, maxRow: 3, maxCol: 7 });
    await user.keyboard('{Enter}');
    expect(onCellClick).toHaveBeenCalledWith(expect.objectContaining({ cellRow: 0, cellCol: 0, maxRow: 3, maxCol: 7 }));
    act(() => area.blur());
    expect(hovers.at(-1)).toBeNull();
    expect(document.querySelector('.heatmap-cursor')).toBeNull();
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
