// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MIN_PLOT_WIDTH, OutlierHeatmap, fitPlotWidth } from '../../../src/features/outlier-heatmap/OutlierHeatmap.tsx';
import { barRects } from '../../helpers/bars.ts';
import { MARGIN } from '../../../src/plot/HeatmapCanvas.tsx';
import { ErrorHeatmap } from '../../../src/features/outlier-heatmap/ErrorHeatmap.tsx';
import { ElementReadout } from '../../../src/features/outlier-heatmap/ElementReadout.tsx';
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
    // the cell cursor walks to the right edge of the 4-column grid, then the view pans
    await user.keyboard('{ArrowRight}{ArrowRight}{ArrowRight}{ArrowRight}');
    expect(onVp).toHaveBeenLastCalledWith({ row0: 0, row1: 2, col0: 1, col1: 5 });
  });
});

describe('OutlierHeatmap row bars', () => {
  // a weight [4, 3] whose rows have absmax 3, 6, 9, 1; the "after" side is it divided by 3
  const W = tensor2D(Float32Array.from([1, 2, 3, -6, 1, 1, 2, 2, 9, 0.5, 0.5, 1]), [4, 3]);
  const W3 = tensor2D(W.data.map((v) => v / 3), [4, 3]);
  const rowAbsMax = [3, 6, 9, 1];
  const widths = (name: RegExp) => barRects(screen.getByRole('img', { name })).map((r) => Number(r.getAttribute('width')));

  it('beside each side: one bar per row cell, on the heatmap rows, one value domain for both sides and the shared log toggle', async () => {
    const res = compareHeatmaps(W, W3, fullViewport(4, 3), 4, 3);
    const height = 80;
    render(<OutlierHeatmap data={res} shape={[4, 3]} viewport={fullViewport(4, 3)} onViewportChange={() => {}} beforeLabel="W before" afterLabel="W after"
      rowName="output feature" caption="c" width={60} height={height} />);
    const before = screen.getByRole('img', { name: 'max |x| per output feature, W before (log scale)' });
    expect(screen.getByRole('img', { name: 'max |x| per output feature, W after (log scale)' })).toBeTruthy();
    // the plot area starts MARGIN.top below the svg's top, as the heatmap's does, and row r sits at r · height / rows
    expect(before.querySelector('g')!.getAttribute('transform')!.endsWith(`,${MARGIN.top})`)).toBe(true);
    const ys = barRects(before).map((r) => Number(r.getAttribute('y')));
    expect(ys).toEqual(rowAbsMax.map((_, r) => (r * height) / rowAbsMax.length));
    // the visible value-axis title, wrapped to the chart's width
    expect(Array.from(before.querySelectorAll('tspan')).map((t) => t.textContent).join(' ')).toBe('max |x| per output feature');

    await userEvent.click(screen.getByRole('checkbox', { name: 'log-scale bars' }));
    const b = widths(/^max \|x\| per output feature, W before$/), a = widths(/^max \|x\| per output feature, W after$/);
    // linear and one domain: lengths follow rowAbsMax within a side and the 3× between the sides
    rowAbsMax.forEach((v, r) => {
      expect(b[r] / b[0]).toBeCloseTo(v / rowAbsMax[0], 9);
      expect(b[r] / a[r]).toBeCloseTo(3, 5);
    });
  });

  it('takes the shared row domain from both sides when the result has none', () => {
    const res = compareHeatmaps(W, W3, fullViewport(4, 3), 4, 3);
    const view = (data: typeof res) => render(<OutlierHeatmap data={data} shape={[4, 3]} viewport={fullViewport(4, 3)} onViewportChange={() => {}}
      caption="c" barLog={false} />);
    const { unmount } = view(res);
    const want = [widths(/^max \|x\| per row, before$/), widths(/^max \|x\| per row, after$/)];
    unmount();
    view({ ...res, rowBarDomain: undefined });
    expect([widths(/^max \|x\| per row, before$/), widths(/^max \|x\| per row, after$/)]).toEqual(want);
  });
});

describe('fitPlotWidth (two sides with their bars in one line when they fit)', () => {
  const chrome = 150;
  it('keeps the asked width when unmeasured or when it fits', () => {
    expect(fitPlotWidth(360, 0, 2, chrome)).toBe(360);
    expect(fitPlotWidth(360, 2 * (360 + chrome) + 16, 2, chrome)).toBe(360);
  });
  it('narrows to stay side by side, down to MIN_PLOT_WIDTH', () => {
    const avail = 2 * (MIN_PLOT_WIDTH + 40 + chrome) + 16;
    const w = fitPlotWidth(360, avail, 2, chrome);
    expect(w).toBeGreaterThanOrEqual(MIN_PLOT_WIDTH);
    expect(w).toBeLessThan(360);
    expect(2 * (w + chrome) + 16).toBeLessThanOrEqual(avail);
  });
  it('when the sides wrap, one side fits its container', () => {
    const avail = 330;
    const w = fitPlotWidth(360, avail, 2, chrome);
    expect(w + chrome).toBeLessThanOrEqual(avail);
    expect(w).toBeGreaterThan(0);
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

describe('ElementReadout (x̂ of the hovered element per format)', () => {
  const probe = {
    side: 'before' as const, transform: 'none', row: 1, col: 5, x: 40, xPrime: 40,
    perFormat: [
      { format: 'int8' as const, qPrime: 40, xhat: 40 },
      { format: 'fp4_e2m1' as const, qPrime: 36, xhat: 36 },
      { format: 'mxfp4' as const, qPrime: NaN, xhat: NaN, error: 'no such option' },
    ],
  };
  const labelOf = (id: string) => ({ int8: 'INT8', fp4_e2m1: 'FP4 E2M1', mxfp4: 'MXFP4' }[id] ?? id);

  it('lists x̂, x̂ − x and |x̂ − x|/|x| per format for the element, in the hover readout', () => {
    const res = compareHeatmaps(X, undefined, fullViewport(4, 8), 4, 8);
    render(<OutlierHeatmap data={res} shape={[4, 8]} viewport={fullViewport(4, 8)} onViewportChange={() => {}} caption="c"
      hoverDetail={<ElementReadout data={probe} want={{ side: 'before', row: 1, col: 5 }} labelOf={labelOf} />} />);
    // no hover yet: the readout says how to get one and shows no numbers
    expect(screen.queryByRole('table')).toBeNull();
    act(() => screen.getByRole('img', { name: /^\|x\| before/ }).focus());
    const table = screen.getByRole('table', { name: 'x[1, 5] = 40 quantized by each format (tensor units)' });
    const rows = within(table).getAllByRole('row').map((r) => r.textContent);
    expect(rows[0]).toBe('Formatx̂x̂ − x|x̂ − x| / |x|');
    expect(rows[1]).toBe('INT84000 %');
    expect(rows[2]).toBe('FP4 E2M136−410 %');
    expect(rows[3]).toBe('MXFP4no such option');
  });

  it('shows Q(x′) on the after side, and "computing" while the result is for another element', () => {
    const after = { ...probe, side: 'after' as const, transform: 'smooth:0.5', xPrime: 4, perFormat: [{ format: 'int8' as const, qPrime: 4.03, xhat: 40.3 }] };
    const { rerender } = render(<ElementReadout data={after} want={{ side: 'after', row: 1, col: 5 }} labelOf={labelOf} />);
    expect(screen.getByRole('table', { name: 'x′[1, 5] = 4 after smooth:0.5 (x = 40 before): Q(x′) per format, and x̂ = Q(x′) mapped back to the original space (tensor units)' })).toBeTruthy();
    expect(screen.getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Format', 'Q(x′)', 'x̂', 'x̂ − x', '|x̂ − x| / |x|']);
    expect(within(screen.getAllByRole('row')[1]).getAllByRole('cell').map((c) => c.textContent)).toEqual(['4.03', '40.3', '0.3', '0.75 %']);
    rerender(<ElementReadout data={after} want={{ side: 'after', row: 2, col: 5 }} labelOf={labelOf} />);
    expect(screen.queryByRole('table')).toBeNull();
    expect(screen.getByText('computing x̂ per format…')).toBeTruthy();
  });
});

describe('ErrorHeatmap modes', () => {
  it('switches absolute ↔ relative; the relative legend says what the ratio is', async () => {
    const xhat = data.map((v, i) => (i === 13 ? v - 3 : v));
    const onMode = vi.fn();
    const abs = errorHeatmap(X, { xhat }, fullViewport(4, 8), 2, 2, 'abs');
    const { rerender } = render(<ErrorHeatmap data={abs} shape={[4, 8]} viewport={fullViewport(4, 8)} onViewportChange={() => {}} formatLabel="INT8" caption="c" mode="abs" onModeChange={onMode} />);
    expect(screen.getByText(/INT8: x̂ − x \(tensor units\)/)).toBeTruthy();
    await userEvent.click(screen.getByRole('radio', { name: /relative to the cell's max \|x\|/ }));
    expect(onMode).toHaveBeenCalledWith('rel');
    const rel = errorHeatmap(X, { xhat }, fullViewport(4, 8), 2, 2, 'cellRel');
    // cell (0, 1) covers rows 0–1, cols 4–7: error −3 at [1, 5] over the cell's max |x| 40
    expect(rel.grid.values[1]).toBeCloseTo(-3 / 40, 7);
    rerender(<ErrorHeatmap data={rel} shape={[4, 8]} viewport={fullViewport(4, 8)} onViewportChange={() => {}} formatLabel="INT8" caption="c" mode="rel" onModeChange={onMode} />);
    expect(screen.getByText(/INT8: \(x̂ − x\) \/ max \|x\| of the cell, largest per cell/)).toBeTruthy();
    expect(screen.getByText(/Relative error of a cell = x̂ − x of the cell's worst element divided by the largest \|x\| in that cell/)).toBeTruthy();
    expect((screen.getByRole('radio', { name: /relative/ }) as HTMLInputElement).checked).toBe(true);
    // a transform can push a cell past 1: the colour scale stops at ±1 and says so
    const spread = { ...rel, grid: { ...rel.grid, values: Float32Array.from(rel.grid.values, (v, i) => (i === 1 ? -4 : v)), absMax: 4 } };
    rerender(<ErrorHeatmap data={spread} shape={[4, 8]} viewport={fullViewport(4, 8)} onViewportChange={() => {}} formatLabel="INT8" caption="c" mode="rel" onModeChange={onMode} />);
    expect(screen.getByRole('img', { name: /colour scale: \(x̂ − x\) \/ max \|x\| of the cell, diverging, -1.00 to 1.00$/ })).toBeTruthy();
    expect(screen.getByText(/Colours stop at ±1: a transform spreads an outlier's error into small neighbours, up to 4 here/)).toBeTruthy();
  });
});
