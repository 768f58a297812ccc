// @vitest-environment jsdom
/** Methods panels (issue 9) by role and label: table + CSV, AWQ, SVDQuant, controls, and the connected panel. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MethodsTable } from '../../../src/features/methods/MethodsTable.tsx';
import { methodsCsv, type MethodsRow } from '../../../src/features/methods/tableCsv.ts';
import { AwqPanel, salientChannels, type AwqCurve } from '../../../src/features/methods/AwqPanel.tsx';
import { SvdQuantPanel } from '../../../src/features/methods/SvdQuantPanel.tsx';
import { MethodsControls, type MethodsControlsProps } from '../../../src/features/methods/MethodsControls.tsx';
import { MethodsPanel } from '../../../src/app/connected/MethodsPanel.tsx';
import { createAppStore, StoreProvider } from '../../../src/state/store.ts';
import { compareHeatmaps } from '../../../src/core/analysis/heatmap.ts';
import { fullViewport } from '../../../src/core/stats/pooling.ts';
import { tensor2D } from '../../../src/core/tensor.ts';

afterEach(cleanup);

const rows: MethodsRow[] = [
  { method: 'none', transform: 'none', activationFormat: 'mxfp4', weightFormat: 'mxfp4', sqnrDb: 13.9, mse: 126, xBits: 4.25, wBits: 4.25 },
  { method: 'SmoothQuant', transform: 'smooth:0.5', activationFormat: 'mxfp4', weightFormat: 'mxfp4', sqnrDb: 14.6, mse: 108, xBits: 4.25, wBits: 4.25 },
  { method: 'AWQ', transform: 'awq (α = 0.4)', activationFormat: 'mxfp4', weightFormat: 'mxfp4', sqnrDb: 18.09, mse: 48.4, xBits: 32, wBits: 4.25 },
  { method: 'SVDQuant', transform: 'svdquant:32', activationFormat: 'mxfp4', weightFormat: 'mxfp4', sqnrDb: null, mse: null, xBits: null, wBits: null },
];

describe('MethodsTable', () => {
  it('shows every method with its CLI transform, marks the best SQNR and leaves pending cells as …', () => {
    render(<MethodsTable rows={rows} labelOf={(f) => f.toUpperCase()} caption="pair" errors={['SVDQuant MXFP4/MXFP4: boom']} />);
    const table = screen.getByRole('table', { name: /^pair/ });
    const awq = within(table).getByRole('row', { name: /AWQ/ });
    expect(awq.textContent).toContain('not quantized');
    expect(within(awq).getByText('18.09').tagName).not.toBe('STRONG'); // weight-only: not a W+A contender
    expect(within(within(table).getByRole('row', { name: /SmoothQuant/ })).getByText('14.60').tagName).toBe('STRONG');
    expect(within(table).getByRole('row', { name: /SVDQuant/ }).textContent).toContain('…');
    expect(screen.getByText(/boom/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Download CSV' })).toBeTruthy();
  });

  it('CSV has the CLI names, empty cells for pending values and inf for exact', () => {
    const csv = methodsCsv([...rows, { ...rows[0], method: 'none', transform: 'none', activationFormat: 'bf16', weightFormat: 'bf16', sqnrDb: Infinity }]);
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('method,transform,activation_format,weight_format,matmul_sqnr_db,matmul_mse,bits_per_element_x,bits_per_element_w');
    expect(lines[3]).toBe('AWQ,awq (α = 0.4),mxfp4,mxfp4,18.09,48.4,32,4.25');
    expect(lines[4]).toBe('SVDQuant,svdquant:32,mxfp4,mxfp4,,,,');
    expect(lines[5]).toContain(',inf,');
  });
});

const curve = (format: string, label: string, chosen: number | null): AwqCurve => ({
  format, label, chosen,
  points: [0, 0.2, 0.4, 0.6].map((alpha) => ({ alpha, mse: 10 + (alpha - 0.4) ** 2, sqnrDb: 20 - (alpha - 0.4) ** 2 })),
});

describe('AwqPanel', () => {
  const means = Float32Array.from({ length: 200 }, (_, j) => (j === 7 || j === 99 ? 100 : 1 + (j % 5) / 10));
  const scales = means.map((a) => Math.sqrt(a) / 3);
  const props = {
    curves: [curve('mxfp4', 'MXFP4', 0.4), curve('int4', 'INT4', null)], focus: 'mxfp4',
    scales: { alpha: 0.5, scales, means },
    w4a16: [{ format: 'int4', label: 'INT4', plain: { sqnrDb: 24.27, mse: 1 }, awq: { alpha: 0.3, sqnrDb: 27.52, mse: 0.5 }, wBits: 4.125 },
      { format: 'nf4', label: 'NF4', plain: null, awq: null, wBits: null }],
    caption: 'awq',
  };

  it('marks the chosen α, plots scales against channel magnitude and protects the salient channels', () => {
    render(<AwqPanel {...props} />);
    const chart = screen.getByRole('img', { name: /AWQ matmul error versus α \(MSE\)/ });
    expect(chart.textContent).toContain('chosen α = 0.4');
    expect(screen.getByRole('img', { name: /per-channel scale versus activation channel magnitude, α = 0.5/ })).toBeTruthy();
    expect([...salientChannels(means)].sort((a, b) => a - b)).toEqual([7, 99]);
    expect(screen.getByText(/the 2 salient channels get scales of at least/)).toBeTruthy();
  });

  it('switches the curve to SQNR and fills the W4A16 table', async () => {
    const user = userEvent.setup();
    render(<AwqPanel {...props} />);
    await user.click(screen.getByRole('radio', { name: /SQNR of Ŷ/ }));
    expect(screen.getByRole('img', { name: /AWQ matmul error versus α \(SQNR\)/ })).toBeTruthy();
    const table = screen.getByRole('table', { name: /Weight-only \(W4A16\)/ });
    expect(within(table).getByRole('row', { name: /INT4/ }).textContent).toMatch(/24\.27.*27\.52.*0\.3.*3\.25.*4\.125/);
    expect(within(table).getByRole('row', { name: /NF4/ }).textContent).toContain('…');
  });

  it('says the curves are not computed after a cancel, instead of "Computing…"', () => {
    const empty = { ...props, curves: [], scales: null };
    const { unmount } = render(<AwqPanel {...empty} />);
    expect(screen.getByText('Computing the α curve…')).toBeTruthy();
    unmount();
    render(<AwqPanel {...empty} stopped />);
    expect(screen.queryByText('Computing the α curve…')).toBeNull();
    expect(screen.getByText(/α curve is not computed: the comparison was cancelled/)).toBeTruthy();
    render(<SvdQuantPanel stopped rank={4} alpha={0.5} spectrum={null} curves={[]} heatmap={null} shape={null} extraBytes={null} addedBits={null} caption="svd" />);
    expect(screen.getByText(/spectrum is not computed: the comparison was cancelled/)).toBeTruthy();
    expect(screen.getByText(/error-versus-rank curve is not computed/)).toBeTruthy();
  });
});

describe('SvdQuantPanel', () => {
  it('shows the spectrum, the rank curve with the chosen rank, the branch bytes and the residual heatmaps', () => {
    const w = tensor2D(Float32Array.from({ length: 64 }, (_, i) => (i % 8 === 3 ? 30 : 1)), [8, 8]);
    const r = tensor2D(Float32Array.from({ length: 64 }, () => 1), [8, 8]);
    render(
      <SvdQuantPanel rank={4} alpha={0.5} spectrum={{ values: [10, 5, 2, 1, 0.5], frobSq: 130.25 }}
        curves={[{ format: 'nvfp4', label: 'NVFP4', points: [0, 1, 4].map((rank) => ({ rank, sqnrDb: 20 + rank, mse: 1 })) }]}
        heatmap={compareHeatmaps(w, r, fullViewport(8, 8), 8, 8)} shape={[8, 8]} extraBytes={128} addedBits={16} caption="svd" />,
    );
    expect(screen.getByRole('img', { name: /Singular value spectrum of the smoothed weight/ })).toBeTruthy();
    expect(screen.getByRole('img', { name: /SVDQuant W4A4 matmul SQNR versus rank/ }).textContent).toContain('rank 4');
    expect(screen.getByText(/The top 4 singular values hold 99\.8% of/)).toBeTruthy();
    expect(screen.getByText('128 bytes')).toBeTruthy();
    expect(screen.getByRole('img', { name: /^\|x\| W′ \(smoothed weight\)/ })).toBeTruthy();
    expect(screen.getByRole('img', { name: /^\|x\| residual W′ − L \(rank 4\)/ })).toBeTruthy();
  });
});

describe('MethodsControls', () => {
  const base: MethodsControlsProps = {
    awqAlpha: null, onAwqAlpha: vi.fn(), rank: 32, minRank: 0, maxRank: 128, onRank: vi.fn(), svdAlpha: 0.5, onSvdAlpha: vi.fn(),
    status: 'running', done: 3, total: 10, active: true, onStart: vi.fn(), onCancel: vi.fn(),
  };

  it('AWQ search/fixed, rank and α sliders, cancel while running', async () => {
    const user = userEvent.setup();
    const p = { ...base, onAwqAlpha: vi.fn(), onRank: vi.fn(), onCancel: vi.fn() };
    const { rerender } = render(<MethodsControls {...p} />);
    await user.click(screen.getByRole('radio', { name: 'fixed' }));
    expect(p.onAwqAlpha).toHaveBeenCalledWith(0.5);
    const rank = screen.getByRole('slider', { name: /SVDQuant rank/ }) as HTMLInputElement;
    expect([rank.min, rank.max, rank.value]).toEqual(['0', '128', '32']);
    fireEvent.change(rank, { target: { value: '33' } });
    expect(p.onRank).toHaveBeenCalledWith(33);
    expect(screen.getByText(/3 of 10 points/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(p.onCancel).toHaveBeenCalled();
    rerender(<MethodsControls {...p} awqAlpha={0.35} status="cancelled" />);
    expect((screen.getByRole('slider', { name: /AWQ α/ }) as HTMLInputElement).value).toBe('0.35');
    expect(screen.getByRole('button', { name: 'Resume' })).toBeTruthy();
  });

  it('offers to start when inactive', async () => {
    const user = userEvent.setup();
    const onStart = vi.fn();
    render(<MethodsControls {...base} active={false} status="idle" onStart={onStart} />);
    await user.click(screen.getByRole('button', { name: 'Compare methods on this pair' }));
    expect(onStart).toHaveBeenCalled();
  });
});

describe('MethodsPanel (connected)', () => {
  it('starts on request, and the rank slider writes methods-rank (or the transform when it names svdquant)', async () => {
    const user = userEvent.setup();
    const store = createAppStore({ config: { size: 256 } });
    render(<StoreProvider store={store}><MethodsPanel /></StoreProvider>);
    await user.click(screen.getByRole('button', { name: 'Compare methods on this pair' }));
    expect(store.getState().methods.requested).toBe(true);
    const rank = screen.getByRole('slider', { name: /SVDQuant rank/ });
    fireEvent.change(rank, { target: { value: '31' } });
    expect(store.getState().config.methodsRank).toBe(31);
    act(() => store.getState().setConfig({ transform: 'svdquant:16:0.25' }));
    expect((screen.getByRole('slider', { name: /SVDQuant rank/ }) as HTMLInputElement).value).toBe('16');
    fireEvent.change(screen.getByRole('slider', { name: /SVDQuant rank/ }), { target: { value: '17' } });
    expect(store.getState().config.transform).toBe('svdquant:17:0.25');
    await user.click(screen.getByRole('radio', { name: 'fixed' }));
    expect(store.getState().config.methodsAwq).toBe(0.5);
  });
});
