// @vitest-environment jsdom
/** Store adapters of the analysis view: what they read, what they write, their empty and error states. */
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createAppStore, StoreProvider, type AppStore } from '../../src/state/store.ts';
import { OutlierHeatmapPanel } from '../../src/app/connected/analysis/OutlierHeatmapPanel.tsx';
import { ErrorHeatmapPanel } from '../../src/app/connected/analysis/ErrorHeatmapPanel.tsx';
import { OutlierSplitPanel } from '../../src/app/connected/analysis/OutlierSplitPanel.tsx';
import { useConfigExcept } from '../../src/app/connected/analysis/common.tsx';
import { MatmulPanel } from '../../src/app/connected/analysis/MatmulPanel.tsx';
import { LorcPanel } from '../../src/app/connected/analysis/LorcPanel.tsx';
import { MetricsPanel } from '../../src/app/connected/MetricsPanel.tsx';
import { ErrorHistogramsPanel } from '../../src/app/connected/analysis/ErrorHistogramsPanel.tsx';
import { fakeMetrics } from '../features/lessons/helpers.ts';
import { JOB } from '../../src/state/resultTypes.ts';
import { ANALYSIS_JOB } from '../../src/state/analysisTypes.ts';
import { lorcKey } from '../../src/state/analysisView.ts';
import { generateSample } from '../../src/core/samples/samples.ts';
import { compareHeatmaps, errorHeatmap } from '../../src/core/analysis/index.ts';
import { quantize } from '../../src/core/quant/quantize.ts';
import { DEFAULT_QUANT_OPTIONS } from '../../src/core/quant/options.ts';
import { fullViewport } from '../../src/core/stats/pooling.ts';
import { prepareTransform } from '../../src/core/pipeline/transformPrep.ts';
import { probeElement } from '../../src/core/pipeline/elementProbe.ts';
import { parseTransform } from '../../src/core/transforms/parse.ts';
import { quantBaseOf } from '../../src/state/config.ts';

afterEach(cleanup);

const x = generateSample({ kind: 'activation', size: 256, seed: 0 });

function withTensor(store: AppStore) {
  const s = store.getState();
  s.jobStarted(JOB.tensor, 't');
  s.jobDone(JOB.tensor, 't', { key: 't', name: 'act', rows: 256, cols: 256, shape: [256, 256], summary: {}, slices: 1, loadMs: 0, valueHistogram: null });
}

/** the |x| heatmap job's result for `act` (engine analysisJobs runHeatmap adds the tensor) */
const heatmapData = (r: ReturnType<typeof compareHeatmaps>) => ({ ...r, tensor: 'act [256, 256]' });
/** the error heatmap job's result for `act` under MXFP4 (engine analysisJobs runErrorHeatmap adds the caption parts) */
const errorData = (r: ReturnType<typeof errorHeatmap>) => ({ ...r, tensor: 'act [256, 256]', options: 'granularity row, scale absmax, transform none', formatLabel: 'MXFP4' });

const mount = (store: AppStore, el: React.ReactElement) => render(<StoreProvider store={store}>{el}</StoreProvider>);

describe('analysis adapters', () => {
  it('the transform bar writes transform= text; the heatmap lists the outlier channels; a click zooms to a channel', async () => {
    const store = createAppStore({ config: { size: 256 } });
    withTensor(store);
    store.getState().jobStarted(JOB.heatmap, 'h');
    store.getState().jobDone(JOB.heatmap, 'h', heatmapData(compareHeatmaps(x, undefined, fullViewport(256, 256), 64, 64)));
    mount(store, <OutlierHeatmapPanel />);
    expect(screen.getAllByText(/outlier channels? \(> median/)[0].textContent).toMatch(/^\d+ outlier channels?/);
    await userEvent.selectOptions(screen.getByLabelText('Transform'), 'hadamard');
    expect(store.getState().config.transform).toBe('hadamard:64');
    await userEvent.selectOptions(screen.getByLabelText('Block size G'), '256');
    expect(store.getState().config.transform).toBe('hadamard:256');
    await userEvent.selectOptions(screen.getByLabelText('Transform'), 'smooth');
    expect(store.getState().config.transform).toBe('smooth');
    const first = screen.getAllByRole('button', { name: /^channel \d+$/ })[0];
    const ch = Number(first.textContent!.replace('channel ', ''));
    await userEvent.click(first);
    const c = store.getState().config;
    expect(c.channel).toBe(ch);
    expect(c.c0! <= ch && ch < c.c1!).toBe(true);
    expect(screen.getByTestId('channel-readout').textContent).toContain(`Channel ${ch}`);
  });

  it('while another tensor loads, the last heatmaps keep the axes and caption of the tensor they were pooled from', () => {
    const store = createAppStore({ config: { size: 256, format: 'mxfp4' } });
    withTensor(store);
    store.getState().jobStarted(JOB.heatmap, 'h');
    store.getState().jobDone(JOB.heatmap, 'h', heatmapData(compareHeatmaps(x, undefined, fullViewport(256, 256), 64, 64)));
    const q = quantize(x, { ...DEFAULT_QUANT_OPTIONS, format: 'mxfp4', granularity: { kind: 'row' } });
    store.getState().jobStarted(JOB.errorHeatmap, 'e');
    store.getState().jobDone(JOB.errorHeatmap, 'e', errorData(errorHeatmap(x, q, fullViewport(256, 256), 64, 64, 'abs', 32)));
    // the next tensor is [37, 53]; its heatmaps are not in yet
    act(() => {
      store.getState().jobStarted(JOB.tensor, 't2');
      store.getState().jobDone(JOB.tensor, 't2', { key: 't2', name: 'odd', rows: 37, cols: 53, shape: [37, 53], summary: {}, slices: 1, loadMs: 0, valueHistogram: null });
      store.getState().jobStarted(JOB.heatmap, 'h2');
      store.getState().jobStarted(JOB.errorHeatmap, 'e2');
    });
    const { container } = mount(store, <><OutlierHeatmapPanel /><ErrorHeatmapPanel /></>);
    for (const sel of ['section.outlier-heatmap', 'section.error-heatmap']) {
      const ticks = Array.from(container.querySelector(sel)!.querySelectorAll('.axis g > text')).map((t) => t.textContent);
      expect(ticks, sel).toContain('200');
    }
    expect(screen.getByText(/^\|x\| of act \[256, 256\], max-\|x\| pooled/)).toBeTruthy();
  });

  it('a failed job keeps the last heatmaps dimmed for the same tensor, not for another tensor', () => {
    const store = createAppStore({ config: { size: 256 } });
    withTensor(store);
    store.getState().jobStarted(JOB.heatmap, 'h');
    store.getState().jobDone(JOB.heatmap, 'h', heatmapData(compareHeatmaps(x, undefined, fullViewport(256, 256), 64, 64)));
    const { container } = mount(store, <OutlierHeatmapPanel />);
    expect(container.querySelector('section.outlier-heatmap')).not.toBeNull();
    act(() => {
      store.getState().jobStarted(JOB.heatmap, 'h2');
      store.getState().jobFailed(JOB.heatmap, 'h2', 'hadamard:512 needs a power-of-two block size that divides the last axis (256); valid: 1, 2, 4, …, 256');
    });
    expect(screen.getByRole('alert').textContent).toContain('divides the last axis (256)');
    expect(container.querySelector('.stale section.outlier-heatmap')).not.toBeNull(); // a bad setting: the view stays
    act(() => {
      store.getState().jobStarted(JOB.tensor, 't2');
      store.getState().jobDone(JOB.tensor, 't2', { key: 't2', name: 'odd', rows: 37, cols: 53, shape: [37, 53], summary: {}, slices: 1, loadMs: 0, valueHistogram: null });
      store.getState().jobStarted(JOB.heatmap, 'h3');
    });
    expect(container.querySelector('.stale section.outlier-heatmap')).not.toBeNull(); // dimmed while the new tensor's computes
    act(() => {
      store.getState().jobFailed(JOB.heatmap, 'h3', 'hadamard:64 needs a power-of-two block size that divides the last axis (53); 53 is odd, so only G = 1 (no rotation) divides it');
    });
    expect(screen.getByRole('alert').textContent).toContain('divides the last axis (53)');
    expect(container.querySelector('section.outlier-heatmap')).toBeNull(); // not the other tensor's heatmaps under this one's name
  });

  it('a pair transform on a file without a weight says what to pick', () => {
    const store = createAppStore({ config: { file: 'm.safetensors:10', tensor: 'x', transform: 'smooth:0.5' } });
    mount(store, <><OutlierHeatmapPanel /><MatmulPanel /></>);
    expect(screen.getByRole('alert').textContent).toMatch(/needs an activation X and a weight W: pick the weight under Tensor/);
    expect(screen.getByText(/The matmul table needs an activation X and a weight W/)).toBeTruthy();
  });

  it('clicking the error heatmap sets the explorer row and block of the focused format', async () => {
    const store = createAppStore({ config: { size: 256, format: 'mxfp4' } });
    withTensor(store);
    const q = quantize(x, { ...DEFAULT_QUANT_OPTIONS, format: 'mxfp4', granularity: { kind: 'row' } });
    store.getState().jobStarted(JOB.errorHeatmap, 'e');
    store.getState().jobDone(JOB.errorHeatmap, 'e', errorData(errorHeatmap(x, q, fullViewport(256, 256), 64, 64, 'abs', 32)));
    mount(store, <ErrorHeatmapPanel />);
    expect(screen.getByText(/MXFP4: x̂ − x/)).toBeTruthy();
    await userEvent.selectOptions(screen.getByLabelText('Format of the error view'), 'int8');
    expect(store.getState().config.format).toBe('int8');
    // until the INT8 grid is in, the heading and caption name what the grid shown is of
    expect(screen.getByText(/MXFP4: x̂ − x/)).toBeTruthy();
    expect(screen.getByText(/^Error x̂ − x of act \[256, 256\] under MXFP4, granularity row/)).toBeTruthy();
  });

  it('metrics and histogram captions name the tensor and options of the result shown while a new config computes; a failure for another tensor shows alone', () => {
    const store = createAppStore({ config: { size: 256, transform: 'hadamard:64' } });
    withTensor(store);
    store.getState().jobStarted(JOB.metrics, 'm1');
    store.getState().jobDone(JOB.metrics, 'm1', { ...fakeMetrics([{ format: 'int8', sqnrDb: 30, bits: 8 }]), options: 'granularity row, scale absmax, transform hadamard:64' });
    mount(store, <><MetricsPanel /><ErrorHistogramsPanel /></>);
    const captions = () => screen.queryAllByText(/transform hadamard:/).map((e) => e.textContent);
    expect(captions().length).toBe(2);
    act(() => {
      // another tensor opens and the config changes: the last result stays dimmed, with its own tensor and options
      store.getState().jobStarted(JOB.tensor, 't2');
      store.getState().jobDone(JOB.tensor, 't2', { key: 't2', name: 'odd', rows: 37, cols: 53, shape: [37, 53], summary: {}, slices: 1, loadMs: 0, valueHistogram: null });
      store.getState().setConfig({ transform: 'hadamard:512' });
      store.getState().jobStarted(JOB.metrics, 'm2');
    });
    expect(captions().length).toBe(2);
    expect(captions().every((t) => t!.includes('act [256, 256]') && t!.includes('transform hadamard:64') && !t!.includes('512') && !t!.includes('odd'))).toBe(true);
    act(() => {
      store.getState().jobFailed(JOB.metrics, 'm2', 'hadamard:512 needs a power-of-two block size that divides the last axis (53); 53 is odd, so only G = 1 (no rotation) divides it');
    });
    expect(captions()).toEqual([]);
    expect(screen.getAllByRole('alert').map((a) => a.textContent)).toEqual(new Array(2).fill('hadamard:512 needs a power-of-two block size that divides the last axis (53); 53 is odd, so only G = 1 (no rotation) divides it'));
  });

  it('the outlier split is off until a quantile is picked; the last good result stays dimmed while the next computes', async () => {
    const store = createAppStore({ config: { size: 256 } });
    mount(store, <OutlierSplitPanel />);
    expect(screen.getByText(/Pick a quantile/)).toBeTruthy();
    await userEvent.selectOptions(screen.getByLabelText(/Keep in bf16/), '0.999');
    expect(store.getState().config.outliers).toBe(0.999);
    const m = { mse: 1, sqnrDb: 20, cosine: 1, maxAbsErr: 1, relErr: 0.1, count: 1, nonfinite: 0 };
    const s = store.getState();
    s.jobStarted(ANALYSIS_JOB.outlierSplit, 'a');
    s.jobDone(ANALYSIS_JOB.outlierSplit, 'a', {
      quantile: 0.999, rows: [{ format: 'int8', label: 'INT8', without: m, with: { ...m, sqnrDb: 23 }, bitsWithout: 8.125, bitsWith: 8.2, keptFraction: 0.001 }],
      tensor: 'act [256, 256]', options: 'granularity row, scale absmax, transform none',
    });
    expect((await screen.findByTestId('split-int8')).textContent).toContain('+3.00');
    const caption = screen.getByText(/outliers=0\.999/).textContent;
    expect(caption).toBe('act [256, 256], outliers=0.999: granularity row, scale absmax, transform none');
    act(() => { s.setConfig({ granularity: 'tensor' }); });
    s.jobStarted(ANALYSIS_JOB.outlierSplit, 'b');
    await screen.findByRole('status');
    expect(screen.getByTestId('split-int8').closest('.stale')).not.toBeNull();
    expect(screen.getByText(/outliers=0\.999/).textContent).toBe(caption); // the dimmed rows keep their own caption
  });

  it('LoRC starts and cancels through store actions and shows a cancelled state', async () => {
    const store = createAppStore({ config: { size: 256 } });
    mount(store, <LorcPanel />);
    await userEvent.click(screen.getByRole('button', { name: /Compute LoRC curve/ }));
    expect(store.getState().lorcRequest).toBe(1);
    const key = lorcKey(store.getState().config);
    store.getState().jobStarted(ANALYSIS_JOB.lorc, key);
    store.getState().jobProgress(ANALYSIS_JOB.lorc, key, 0.5);
    await userEvent.click(await screen.findByRole('button', { name: 'Cancel' }));
    expect(store.getState().lorcCancel).toBe(1);
    store.getState().jobFailed(ANALYSIS_JOB.lorc, key, 'cancelled');
    expect((await screen.findByRole('status')).textContent).toMatch(/Cancelled/);
  });
});

describe('heatmap readout, error mode and bar scale adapters', () => {
  it('focusing the heatmap asks (debounced) for x̂ of the cell\'s largest element; the readout shows the per-format values', async () => {
    const store = createAppStore({ config: { size: 256, formats: ['int8', 'fp4_e2m1'] } });
    withTensor(store);
    const hm = compareHeatmaps(x, undefined, fullViewport(256, 256), 64, 64);
    store.getState().jobStarted(JOB.heatmap, 'h');
    store.getState().jobDone(JOB.heatmap, 'h', heatmapData(hm));
    mount(store, <OutlierHeatmapPanel />);
    expect(store.getState().probe).toBeNull();
    act(() => screen.getByRole('img', { name: /^\|x\| x/ }).focus());
    // the focused cell is the grid's largest: its element is the tensor's max |x|
    let k = 0;
    for (let i = 1; i < hm.before.grid.values.length; i++) if (Math.abs(hm.before.grid.values[i]) > Math.abs(hm.before.grid.values[k])) k = i;
    const idx = hm.before.grid.index[k];
    const want = { side: 'before', row: Math.floor(idx / 256), col: idx % 256 };
    expect(store.getState().probe).toBeNull(); // debounced
    await waitFor(() => expect(store.getState().probe).toEqual(want));
    expect(screen.getByText('computing x̂ per format…')).toBeTruthy();
    // what the worker answers (the same core function), under the key the engine uses
    const prep = prepareTransform(x, undefined, parseTransform('none'), 0);
    const res = probeElement(prep, want.row, want.col, ['int8', 'fp4_e2m1'], quantBaseOf(store.getState().config));
    const s = store.getState();
    s.jobStarted(ANALYSIS_JOB.probe, 'p');
    act(() => { s.jobDone(ANALYSIS_JOB.probe, 'p', { ...res, side: 'before', transform: 'none' }); });
    const cell = screen.getByTestId('probe-xhat-fp4_e2m1');
    expect(Number(cell.getAttribute('data-xhat'))).toBe(res.perFormat[1].xhat);
    expect(screen.getByTestId('probe-xhat-int8').getAttribute('data-xhat')).toBe(String(res.perFormat[0].xhat));
    // leaving the heatmap clears the readout
    act(() => screen.getByRole('img', { name: /^\|x\| x/ }).blur());
    expect(screen.queryByTestId('probe-xhat-int8')).toBeNull();
  });

  it('the SmoothQuant weight heatmaps ask for ŵ of the focused cell\'s element and show it per format', async () => {
    const store = createAppStore({ config: { size: 256, formats: ['int8', 'mxfp4'], transform: 'smooth:0.5' } });
    withTensor(store);
    const w = generateSample({ kind: 'weight', size: 256, seed: 0 });
    const prep = prepareTransform(x, w, parseTransform('smooth:0.5'), 0);
    const s = store.getState();
    s.jobStarted(JOB.heatmap, 'h');
    s.jobDone(JOB.heatmap, 'h', heatmapData(compareHeatmaps(x, prep.xPrime, fullViewport(256, 256), 64, 64)));
    const whm = compareHeatmaps(w, prep.wPrime, fullViewport(256, 256), 64, 64);
    s.jobStarted(ANALYSIS_JOB.weightHeatmap, 'wh');
    s.jobDone(ANALYSIS_JOB.weightHeatmap, 'wh', { heatmap: whm, shape: [256, 256], name: 'W' });
    mount(store, <OutlierHeatmapPanel />);
    act(() => screen.getByRole('img', { name: /^\|x\| W after/ }).focus());
    let k = 0;
    for (let i = 1; i < whm.after!.grid.values.length; i++) if (Math.abs(whm.after!.grid.values[i]) > Math.abs(whm.after!.grid.values[k])) k = i;
    const idx = whm.after!.grid.index[k];
    const want = { side: 'after', row: Math.floor(idx / 256), col: idx % 256, tensor: 'w' };
    await waitFor(() => expect(store.getState().probe).toEqual(want));
    // an answer for the activation's element at the same place is not shown for the weight
    const quant = quantBaseOf(store.getState().config);
    const forX = probeElement(prep, want.row, want.col, ['int8', 'mxfp4'], quant);
    s.jobStarted(ANALYSIS_JOB.probe, 'px');
    act(() => { s.jobDone(ANALYSIS_JOB.probe, 'px', { ...forX, side: 'after', transform: 'smooth:0.5' }); });
    expect(screen.queryByTestId('probe-xhat-mxfp4')).toBeNull();
    const res = probeElement(prep, want.row, want.col, ['int8', 'mxfp4'], quant, { side: 'w' });
    s.jobStarted(ANALYSIS_JOB.probe, 'pw');
    act(() => { s.jobDone(ANALYSIS_JOB.probe, 'pw', { ...res, side: 'after', transform: 'smooth:0.5', tensor: 'w' }); });
    expect(Number(screen.getByTestId('probe-xhat-mxfp4').getAttribute('data-xhat'))).toBe(res.perFormat[1].xhat);
    expect(screen.getByText(/Q\(w′\) per format/)).toBeTruthy();
  });

  it('the log-scale bars checkbox writes bar-scale; the error heatmap mode writes error-mode', async () => {
    const store = createAppStore({ config: { size: 256, format: 'int8' } });
    withTensor(store);
    store.getState().jobStarted(JOB.heatmap, 'h');
    store.getState().jobDone(JOB.heatmap, 'h', heatmapData(compareHeatmaps(x, undefined, fullViewport(256, 256), 64, 64)));
    const q = quantize(x, { ...DEFAULT_QUANT_OPTIONS, format: 'int8', granularity: { kind: 'row' } });
    store.getState().jobStarted(JOB.errorHeatmap, 'e');
    store.getState().jobDone(JOB.errorHeatmap, 'e', errorData(errorHeatmap(x, q, fullViewport(256, 256), 64, 64, 'abs')));
    mount(store, <><OutlierHeatmapPanel /><ErrorHeatmapPanel /></>);
    const box = screen.getByRole('checkbox', { name: /log-scale bars/ }) as HTMLInputElement;
    expect(box.checked).toBe(true);
    expect(screen.getByRole('img', { name: /^channel max \|x\| x, outlier channels highlighted \(log scale\)/ })).toBeTruthy();
    // the activation's row bars (one per token row) follow the same toggle
    expect(screen.getByRole('img', { name: 'max |x| per row, x (log scale)' })).toBeTruthy();
    await userEvent.click(box);
    expect(store.getState().config.barScale).toBe('linear');
    expect(box.checked).toBe(false);
    expect(screen.queryByRole('img', { name: /^channel max \|x\| x.*\(log scale\)/ })).toBeNull();
    expect(screen.getByRole('img', { name: /^channel max \|x\| x, outlier channels highlighted/ })).toBeTruthy();
    expect(screen.getByRole('img', { name: 'max |x| per row, x' })).toBeTruthy();
    await userEvent.click(screen.getByRole('radio', { name: /relative to the cell's max \|x\|/ }));
    expect(store.getState().config.errorMode).toBe('rel');
  });
});

describe('useConfigExcept', () => {
  it('a pan/zoom (viewport, channel) does not re-render panels that read the config this way; other changes do', () => {
    const store = createAppStore({ config: { size: 256 } });
    let renders = 0;
    function Probe() {
      const c = useConfigExcept();
      renders++;
      return <p>{c.format}</p>;
    }
    mount(store, <Probe />);
    expect(renders).toBe(1);
    act(() => store.getState().setConfig({ r0: 10, r1: 90, c0: 0, c1: 64, channel: 5 }, 'replace'));
    expect(renders).toBe(1);
    act(() => store.getState().setConfig({ format: 'int8' }));
    expect(renders).toBe(2);
    expect(screen.getByText('int8')).toBeTruthy();
  });
});
