// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ScanTable, WorstTensors, RecommendPanel, DiffTable } from '../../../src/features/model-scan/index.ts';
import { parseTensorName } from '../../../src/core/model/names.ts';
import { recommend } from '../../../src/core/model/recommend.ts';
import type { ScanRow } from '../../../src/core/model/scan.ts';
import type { DiffResult } from '../../../src/core/model/diff.ts';

afterEach(cleanup);

function row(name: string, variant: string, sqnrDb: number, bits: number): ScanRow {
  const role = parseTensorName(name);
  const numel = 1024;
  return {
    name, shape: [32, 32], dtype: 'BF16', layer: role.layer, module: role.module, family: role.family, format: variant as ScanRow['format'], variant,
    sqnrDb, mse: 10 ** (-sqnrDb / 10), maxAbsErr: 0.1, saturated: 0, saturatedFraction: 0, numel, nonfinite: 0, signalEnergy: numel, bitsPerElement: bits,
  };
}

const ROWS = [
  row('model.layers.0.self_attn.q_proj.weight', 'int8', 40, 8.25), row('model.layers.0.self_attn.q_proj.weight', 'mxfp4', 18, 4.25),
  row('model.layers.0.mlp.down_proj.weight', 'int8', 35, 8.25), row('model.layers.0.mlp.down_proj.weight', 'mxfp4', 12, 4.25),
  row('model.layers.1.self_attn.q_proj.weight', 'int8', 41, 8.25), row('model.layers.1.self_attn.q_proj.weight', 'mxfp4', 19, 4.25),
];

function table(props: Partial<Parameters<typeof ScanTable>[0]> = {}) {
  const h = { onGroupByChange: vi.fn(), onMetricChange: vi.fn(), onSortChange: vi.fn(), onOpenTensor: vi.fn(), onCancel: vi.fn() };
  render(<ScanTable rows={ROWS} groupBy="tensor" metric="sqnrDb" sort={{ by: 'name' }} {...h} {...props} />);
  return h;
}

describe('ScanTable', () => {
  it('shows one row per tensor and one column per format; a cell click opens that tensor with that format', async () => {
    const h = table();
    const t = screen.getByRole('table', { name: /SQNR \(dB\) per tensor and format/ });
    const bodyRows = within(t).getAllByRole('row').slice(1);
    expect(bodyRows.map((r) => within(r).getByRole('rowheader').textContent)).toEqual([
      'model.layers.0.self_attn.q_proj.weight', 'model.layers.0.mlp.down_proj.weight', 'model.layers.1.self_attn.q_proj.weight',
    ]);
    expect(bodyRows[1].textContent).toContain('12.0');
    await userEvent.click(screen.getByRole('button', { name: /open model\.layers\.0\.mlp\.down_proj\.weight with mxfp4/ }));
    expect(h.onOpenTensor).toHaveBeenCalledWith('model.layers.0.mlp.down_proj.weight', 'mxfp4');
  });

  it('a column header sorts by that format, worst first; grouping by layer aggregates (no click-through)', async () => {
    const h = table();
    await userEvent.click(screen.getByRole('button', { name: /^mxfp4/ }));
    expect(h.onSortChange).toHaveBeenCalledWith({ by: 'variant', variant: 'mxfp4', metric: 'sqnrDb' });
    cleanup();
    table({ sort: { by: 'variant', variant: 'mxfp4', metric: 'sqnrDb' } });
    const first = screen.getAllByRole('rowheader')[0];
    expect(first.textContent).toBe('model.layers.0.mlp.down_proj.weight');
    cleanup();
    table({ groupBy: 'layer' });
    expect(screen.getAllByRole('rowheader').map((e) => e.textContent)).toEqual(['layer 0', 'layer 1']);
    expect(screen.queryByRole('button', { name: /^open / })).toBeNull();
    await userEvent.selectOptions(screen.getByLabelText('Group by'), 'module');
    expect(screen.getByLabelText('Group by')).toBeTruthy();
  });

  it('shows progress with time left and cancel while scanning', async () => {
    const h = table({ progress: { tensorsDone: 3, tensorsTotal: 10, bytesDone: 3e6, bytesTotal: 1e7 }, secondsLeft: 4.2 });
    expect(screen.getByText(/3 of 10 tensors, 3\.00 MB of 10\.00 MB, about 5 s left/)).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(h.onCancel).toHaveBeenCalled();
  });
});

describe('WorstTensors', () => {
  it('lists the worst tensors per format', () => {
    render(<WorstTensors rows={ROWS} variants={['mxfp4']} n={2} />);
    const items = within(screen.getByRole('list', { name: 'worst tensors for mxfp4' })).getAllByRole('listitem');
    expect(items.map((i) => i.textContent)).toEqual(['model.layers.0.mlp.down_proj.weight 12.0', 'model.layers.0.self_attn.q_proj.weight 18.0']);
  });
});

describe('RecommendPanel', () => {
  it('summarises the recommendation against uniform choices and exports JSON', async () => {
    const rec = recommend(ROWS, 6);
    const onExport = vi.fn();
    render(<RecommendPanel recommendation={rec} targetBits={6} onTargetBitsChange={vi.fn()} objective="sse" onObjectiveChange={vi.fn()} onExport={onExport} />);
    expect(screen.getByLabelText('recommendation summary').textContent).toMatch(/^5\.583 bits per element, .* — optimal$/);
    const uniform = screen.getByRole('table', { name: 'uniform formats compared' });
    expect(within(uniform).getByText('all int8 (over budget)')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Export assignment (JSON)' }));
    const json = JSON.parse(onExport.mock.calls[0][0]);
    expect(json.assignment.find((a: { name: string }) => a.name === 'model.layers.0.mlp.down_proj.weight').variant).toBe('int8');
  });

  it('shows a budget error as one sentence', () => {
    render(<RecommendPanel recommendation={null} targetBits={2} onTargetBitsChange={vi.fn()} objective="sse" onObjectiveChange={vi.fn()} error="2 bits per element is below the cheapest choice." />);
    expect(screen.getByRole('alert').textContent).toBe('2 bits per element is below the cheapest choice.');
  });
});

describe('DiffTable', () => {
  it('shows release error next to quantscope error and lists what was not compared', () => {
    const result: DiffResult = {
      cancelled: false,
      rows: [{
        name: 'model.layers.0.mlp.up_proj.weight', releaseName: 'model.layers.0.mlp.up_proj.weight', shape: [192, 128], originalDtype: 'BF16',
        releaseDtype: 'nvfp4-packed', releaseBitsPerElement: 4.5, rule: 'same name', real: { sqnrDb: 20.5, mse: 1e-4, maxAbsErr: 0.01 },
        own: { sqnrDb: 20.25, mse: 1.1e-4, maxAbsErr: 0.011, format: 'nvfp4', saturated: 0 },
      }],
      match: { pairs: [], missingInRelease: ['lm_head.weight'], extraInRelease: ['rope_freqs.weight'], mismatched: [{ original: 'a', release: 'a', reason: 'shapes differ: [2] vs [3]' }], auxiliary: ['x.weight_scale'] },
    };
    render(<DiffTable result={result} />);
    const r = screen.getAllByRole('row')[1];
    expect(r.textContent).toContain('20.50 dB');
    expect(r.textContent).toContain('+0.25 dB');
    const notCompared = within(screen.getByRole('list', { name: 'tensors not compared' })).getAllByRole('listitem').map((i) => i.textContent);
    expect(notCompared).toEqual(['lm_head.weight: missing in the release', 'rope_freqs.weight: only in the release', 'a: shapes differ: [2] vs [3]']);
  });
});
