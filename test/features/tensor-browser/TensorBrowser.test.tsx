// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { TensorBrowser, filesLabel } from '../../../src/features/tensor-browser/TensorBrowser.tsx';
import { PackedStatsView, exponentBins } from '../../../src/features/tensor-browser/PackedStatsView.tsx';
import { dtypeSummary, filterTensors, fmtBytes, fmtCount, groupByLayer } from '../../../src/features/tensor-browser/browserModel.ts';
import type { TensorInfo } from '../../../src/core/io/types.ts';

afterEach(cleanup);

const T = (name: string, dtype: string, shape: number[], bytesPer = 2): TensorInfo => ({ name, dtype, shape, byteSize: shape.reduce((a, b) => a * b, 1) * bytesPer });
const PACKED: TensorInfo = {
  name: 'model.layers.1.mlp.experts.down_proj', dtype: 'mxfp4-packed', shape: [2, 64, 64], byteSize: 4352,
  packed: { kind: 'mxfp4', elementFormat: 'fp4_e2m1', blockSize: 32, scaleFormat: 'e8m0', parts: ['model.layers.1.mlp.experts.down_proj_blocks', 'model.layers.1.mlp.experts.down_proj_scales'], rule: 'x = e2m1(code) · 2^(scale − 127)' },
};
const TENSORS: TensorInfo[] = [
  T('model.embed_tokens.weight', 'BF16', [160, 128]),
  T('model.layers.0.self_attn.q_proj.weight', 'BF16', [128, 128]),
  T('model.layers.0.mlp.down_proj.weight', 'BF16', [128, 192]),
  T('model.layers.0.input_layernorm.weight', 'F32', [128], 4),
  T('model.layers.1.self_attn.q_proj.weight', 'BF16', [128, 128]),
  PACKED,
  T('model.layers.1.mlp.experts.down_proj_blocks', 'U8', [2, 64, 2, 16], 1),
  T('model.layers.1.mlp.experts.down_proj_scales', 'U8', [2, 64, 2], 1),
  { ...T('model.layers.1.odd', 'Q5_K', [32, 32]), notDecoded: 'Q5_K is not decoded yet' },
];

function setup(props: Partial<Parameters<typeof TensorBrowser>[0]> = {}) {
  const h = { onSelect: vi.fn(), onSetWeight: vi.fn() };
  const r = render(
    <TensorBrowser tensors={TENSORS} metadata={{ format: 'pt', note: 'hello' }} format="safetensors"
      fileNames={['model.safetensors.index.json', 'a.safetensors', 'b.safetensors']} totalBytes={123_456}
      selected={null} weightTensor={null} {...h} {...props} />,
  );
  return { ...h, ...r };
}

const grid = () => screen.getByRole('grid', { name: 'Tensors in the checkpoint' });
const tensorRows = () => within(grid()).getAllByRole('row').filter((r) => r.hasAttribute('data-name'));

describe('browser model', () => {
  it('filters by every term, groups by layer (outside the layers first), counts logical parameters per dtype', () => {
    expect(filterTensors(TENSORS, 'LAYERS.0 proj').map((t) => t.name)).toEqual(['model.layers.0.self_attn.q_proj.weight', 'model.layers.0.mlp.down_proj.weight']);
    expect(groupByLayer(TENSORS).map((g) => [g.label, g.tensors.length])).toEqual([['outside the layers', 1], ['layer 0', 3], ['layer 1', 5]]);
    const s = dtypeSummary(TENSORS);
    // the U8 parts of the packed tensor are not counted again
    expect(s.tensors).toBe(7);
    expect(s.byDtype.map((d) => d.dtype)).toEqual(['BF16', 'mxfp4-packed', 'Q5_K', 'F32']);
    expect(s.params).toBe(160 * 128 + 128 * 128 * 2 + 128 * 192 + 128 + 2 * 64 * 64 + 1024);
    expect([fmtCount(999), fmtCount(1234), fmtCount(7_200_000_000)]).toEqual(['999', '1.23 K', '7.20 B']);
    expect([fmtBytes(512), fmtBytes(40_960), fmtBytes(1.2e9)]).toEqual(['512 B', '40.96 KB', '1.20 GB']);
    expect(filesLabel(['model.safetensors.index.json', 'a', 'b'])).toBe('model.safetensors.index.json + 2 shards');
  });
});

describe('TensorBrowser', () => {
  it('shows the summary line, metadata, dtype/shape/size columns and flags packed tensors with their rule', () => {
    setup();
    const summary = screen.getByLabelText('checkpoint summary').textContent!;
    expect(summary).toContain('model.safetensors.index.json + 2 shards');
    expect(summary).toContain('7 tensors');
    expect(summary).toMatch(/BF16 \d/);
    expect(summary).toContain('123.46 KB');
    expect(screen.getByText('Metadata (2 entries)')).toBeTruthy();
    expect(screen.getByText('hello')).toBeTruthy();
    const row = within(grid()).getByRole('row', { name: /model\.layers\.0\.mlp\.down_proj\.weight/ });
    expect(within(row).getAllByRole('gridcell').map((c) => c.textContent)).toEqual(['model.layers.0.mlp.down_proj.weight', 'BF16', '[128, 192]', '24.6 K', '49.15 KB']);
    const packed = within(grid()).getByRole('row', { name: /experts\.down_proj packed mxfp4/ });
    expect(within(packed).getByText('packed mxfp4').getAttribute('title')).toMatch(/e2m1/);
    expect(within(grid()).getByRole('row', { name: /down_proj_blocks/ }).textContent).toContain('stored part of model.layers.1.mlp.experts.down_proj');
    expect(within(grid()).getByRole('row', { name: /model\.layers\.1\.odd/ }).getAttribute('aria-disabled')).toBe('true');
  });

  it('filters by name through the labelled search and says how many match', async () => {
    setup();
    await userEvent.type(screen.getByLabelText('Filter tensors by name'), 'q_proj');
    expect(tensorRows().map((r) => r.dataset.name)).toEqual(['model.layers.0.self_attn.q_proj.weight', 'model.layers.1.self_attn.q_proj.weight']);
    expect(screen.getByRole('status').textContent).toBe('2 of 9 tensors match');
    await userEvent.clear(screen.getByLabelText('Filter tensors by name'));
    await userEvent.type(screen.getByLabelText('Filter tensors by name'), 'nothing-like-this');
    expect(tensorRows()).toHaveLength(0);
  });

  it('groups by layer with a header row per group, and lists flat when grouping is off', async () => {
    setup();
    const headers = within(grid()).getAllByRole('columnheader').filter((h) => h.getAttribute('scope') === 'colgroup');
    expect(headers.map((h) => h.textContent!.split(' · ')[0])).toEqual(['outside the layers', 'layer 0', 'layer 1']);
    expect(headers[1].textContent).toContain('3 tensors');
    await userEvent.click(screen.getByLabelText('Group by layer'));
    expect(within(grid()).getAllByRole('columnheader').filter((h) => h.getAttribute('scope') === 'colgroup')).toHaveLength(0);
    expect(tensorRows()).toHaveLength(TENSORS.length);
  });

  it('a click analyses a tensor; a tensor that cannot be decoded is not chosen; the selected row is marked', async () => {
    const h = setup({ selected: 'model.layers.0.self_attn.q_proj.weight' });
    expect(within(grid()).getByRole('row', { selected: true }).dataset.name).toBe('model.layers.0.self_attn.q_proj.weight');
    await userEvent.click(within(grid()).getByRole('row', { name: /model\.layers\.0\.mlp\.down_proj\.weight/ }));
    expect(h.onSelect).toHaveBeenLastCalledWith('model.layers.0.mlp.down_proj.weight');
    await userEvent.click(within(grid()).getByRole('row', { name: /model\.layers\.1\.odd/ }));
    expect(h.onSelect).toHaveBeenCalledTimes(1);
    expect(screen.getByRole('region', { name: 'selected tensor' }).textContent).toContain('[128, 128]');
  });

  it('is keyboard operable: one tab stop, arrows move, Enter analyses, W picks the weight, ↓ from the search enters the grid', async () => {
    const h = setup({ selected: 'model.embed_tokens.weight' });
    const focusable = tensorRows().filter((r) => r.tabIndex === 0);
    expect(focusable.map((r) => r.dataset.name)).toEqual(['model.embed_tokens.weight']);
    await userEvent.type(screen.getByLabelText('Filter tensors by name'), 'layers.0');
    await userEvent.keyboard('{ArrowDown}');
    await vi.waitFor(() => expect((document.activeElement as HTMLElement).dataset.name).toBe('model.layers.0.self_attn.q_proj.weight'));
    await userEvent.keyboard('{ArrowDown}');
    await vi.waitFor(() => expect((document.activeElement as HTMLElement).dataset.name).toBe('model.layers.0.mlp.down_proj.weight'));
    await userEvent.keyboard('{Enter}');
    expect(h.onSelect).toHaveBeenLastCalledWith('model.layers.0.mlp.down_proj.weight');
    await userEvent.keyboard('{End}');
    await vi.waitFor(() => expect((document.activeElement as HTMLElement).dataset.name).toBe('model.layers.0.input_layernorm.weight'));
    await userEvent.keyboard('w');
    expect(h.onSetWeight).toHaveBeenLastCalledWith('model.layers.0.input_layernorm.weight');
    await userEvent.keyboard('{Home}{ }');
    expect(h.onSelect).toHaveBeenLastCalledWith('model.layers.0.self_attn.q_proj.weight');
  });

  it('picks and clears the weight W of a pair from the selected tensor', async () => {
    const h = setup({ selected: 'model.layers.0.self_attn.q_proj.weight', weightTensor: 'model.layers.0.mlp.down_proj.weight' });
    expect(within(grid()).getByRole('row', { name: /mlp\.down_proj\.weight/ }).textContent).toContain('W');
    await userEvent.click(screen.getByRole('button', { name: 'Use q_proj.weight as weight W' }));
    expect(h.onSetWeight).toHaveBeenLastCalledWith('model.layers.0.self_attn.q_proj.weight');
    await userEvent.click(screen.getByRole('button', { name: 'Clear weight W' }));
    expect(h.onSetWeight).toHaveBeenLastCalledWith(null);
  });

  it('caps the rows drawn and says how to see the rest', () => {
    setup({ maxRows: 3 });
    expect(tensorRows()).toHaveLength(3);
    expect(screen.getByRole('status').textContent).toMatch(/showing the first 3, narrow the filter/);
  });
});

describe('PackedStatsView', () => {
  it('orders exponents with NaN last and states the at-max fraction', () => {
    expect(exponentBins({ '-6': 50, nan: 1, '-8': 7, '-7': 711 }).map((b) => b.label)).toEqual(['2^-8', '2^-7', '2^-6', 'NaN']);
    render(<PackedStatsView stats={{ kind: 'mxfp4', atMaxCount: 1190, atMaxFraction: 0.0484, scaleExpHistogram: { '-8': 7, '-7': 711, '-6': 50 } }} />);
    const v = screen.getByLabelText('stored scale statistics');
    expect(v.textContent).toContain('4.84%');
    expect(v.textContent).toContain('1,190 elements');
    expect(v.textContent).toContain('E8M0 scale exponents over 768 blocks: 2^-8 … 2^-6, most often 2^-7 (711 blocks)');
    expect(screen.getByRole('img').getAttribute('aria-label')).toBe('2^-8: 7, 2^-7: 711, 2^-6: 50');
  });
});

describe('TensorBrowser, a tensor with no elements', () => {
  it('is listed with "no elements", disabled, and a click does not analyse it', async () => {
    const h = { onSelect: vi.fn(), onSetWeight: vi.fn() };
    render(<TensorBrowser tensors={[...TENSORS, T('model.layers.1.empty', 'F32', [0, 128], 4)]} metadata={{}} format="safetensors"
      fileNames={['a.safetensors']} totalBytes={1} selected={null} weightTensor={null} {...h} />);
    const row = within(grid()).getByRole('row', { name: /model\.layers\.1\.empty/ });
    expect(row.getAttribute('aria-disabled')).toBe('true');
    expect(row.textContent).toContain('no elements');
    await userEvent.click(row);
    expect(h.onSelect).not.toHaveBeenCalled();
  });
});
