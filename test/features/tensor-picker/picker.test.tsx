// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createAppStore, StoreProvider } from '../../../src/state/store.ts';
import { TensorPicker } from '../../../src/features/tensor-picker/TensorPicker.tsx';
import { QuantControls } from '../../../src/features/app-shell/QuantControls.tsx';
import { JOB } from '../../../src/state/resultTypes.ts';

afterEach(cleanup);

describe('tensor picker', () => {
  it('chooses sample, size and seed; rejects a bad seed with a message', async () => {
    const store = createAppStore();
    render(<StoreProvider store={store}><TensorPicker /></StoreProvider>);
    await userEvent.selectOptions(screen.getByLabelText('Sample'), 'weight');
    await userEvent.selectOptions(screen.getByLabelText('Size'), '256');
    const seed = screen.getByLabelText('Sample seed');
    await userEvent.clear(seed);
    await userEvent.type(seed, 'abc{Enter}');
    expect(screen.getByRole('alert').textContent).toMatch(/whole number/);
    await userEvent.clear(seed);
    await userEvent.type(seed, '12{Enter}');
    const c = store.getState().config;
    expect([c.sample, c.size, c.sampleSeed]).toEqual(['weight', 256, 12]);
  });

  it('opening a file names it in the config, and the summary shows worker results', async () => {
    const store = createAppStore();
    render(<StoreProvider store={store}><TensorPicker /></StoreProvider>);
    const file = new File([new Uint8Array(10)], 'w.npy');
    await userEvent.upload(screen.getByLabelText('Open a tensor file…'), file);
    // the worker reads the headers first; only a successful open changes the file
    const req = store.getState().openRequest!;
    expect(req.files.map((f) => f.name)).toEqual(['w.npy']);
    expect(store.getState().config.file).toBeNull();
    store.getState().openSucceeded(req.id, { format: 'npy', metadata: {}, tensors: [{ name: 'x', dtype: '<f4', shape: [2, 3], byteSize: 24 }], headerBytes: 10, fileNames: ['w.npy'] });
    expect(store.getState().config.file).toBe('w.npy:10');
    expect(await screen.findByText('w.npy')).toBeTruthy();
    store.getState().jobStarted(JOB.tensor, 'k');
    store.getState().jobDone(JOB.tensor, 'k', {
      key: 'k', name: 'x', rows: 2, cols: 3, shape: [2, 3], slices: 1, loadMs: 1,
      summary: { min: -1, max: 2, absmax: 2, mean: 0.5, std: 1, count: 6, nonfinite: 0 },
      valueHistogram: { edges: new Float64Array(2), counts: new Uint32Array(1), outside: 0, nonfinite: 0 },
    });
    expect((await screen.findByLabelText('Tensor statistics')).textContent).toContain('[2, 3]');
    await userEvent.click(screen.getByRole('button', { name: 'Back to the built-in samples' }));
    expect(store.getState().config.file).toBeNull();
  });
});

describe('quantization controls', () => {
  it('group size and transform use the URL parsers', async () => {
    const store = createAppStore();
    render(<StoreProvider store={store}><QuantControls /></StoreProvider>);
    await userEvent.selectOptions(screen.getByLabelText('Granularity (scalar formats)'), 'group');
    expect(store.getState().config.granularity).toBe('group:128');
    const g = screen.getByLabelText('Group size G');
    await userEvent.clear(g);
    await userEvent.type(g, '32{Enter}');
    expect(store.getState().config.granularity).toBe('group:32');
    const t = screen.getByLabelText('Transform');
    await userEvent.clear(t);
    await userEvent.type(t, 'hadamard:abc{Enter}');
    expect(screen.getByRole('alert').textContent).toMatch(/valid: none/);
    expect(store.getState().config.transform).toBe('none');
    await userEvent.selectOptions(screen.getByLabelText('MX scale rule'), 'ceil');
    expect(store.getState().config.scaleRule).toBe('ceil');
  });
});
