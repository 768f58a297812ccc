// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createAppStore, StoreProvider, type AppStore } from '../../../src/state/store.ts';
import { FormatExplorer } from '../../../src/features/format-explorer/FormatExplorer.tsx';
import { FormatControls } from '../../../src/features/app-shell/FormatControls.tsx';
import { BitEditor } from '../../../src/features/format-explorer/BitEditor.tsx';
import { gridInfo } from '../../../src/core/explorer/grids.ts';

afterEach(cleanup);

function renderWith(store: AppStore, ui: React.ReactNode) {
  return render(<StoreProvider store={store}>{ui}</StoreProvider>);
}

describe('format explorer', () => {
  it('shows the focused format, its description and a keyboard-operable number line', async () => {
    const store = createAppStore({ config: { format: 'fp4_e2m1', formats: ['int8', 'mxfp4'] } });
    renderWith(store, <FormatExplorer />);
    expect(screen.getByRole('heading', { level: 3, name: /FP4 E2M1/ })).toBeTruthy();
    expect(screen.getByText(/only ±\{0, 0.5, 1, 1.5, 2, 3, 4, 6\}/)).toBeTruthy();
    const line = screen.getByRole('slider', { name: /Representable values of FP4 E2M1/ });
    line.focus();
    await userEvent.keyboard('{End}');
    expect(line.getAttribute('aria-valuetext')).toMatch(/^6; inputs from 5 to ∞/);
    expect(store.getState().picked.fp4_e2m1).toBe(6);
    await userEvent.keyboard('{ArrowLeft}');
    expect(line.getAttribute('aria-valuetext')).toMatch(/^4; inputs from 3.5 to 5/);
  });

  it('switching to the log scale updates the config (and so the URL)', async () => {
    const store = createAppStore();
    renderWith(store, <FormatExplorer />);
    await userEvent.click(screen.getByRole('radio', { name: /log₂/ }));
    expect(store.getState().config.line).toBe('log');
    expect(store.getState().historyMode).toBe('push');
  });

  it('shows waiting states before the worker answers', () => {
    const store = createAppStore();
    renderWith(store, <FormatExplorer />);
    expect(screen.getAllByRole('status').length).toBeGreaterThan(0);
  });
});

describe('bit editor', () => {
  it('flipping bits shows the value they encode (FP8 E4M3)', async () => {
    let last: [number, number] | null = null;
    const info = gridInfo('fp8_e4m3');
    const { rerender } = render(<BitEditor info={info} value={1} onChange={(v, c) => (last = [v, c])} />);
    // 1.0 = 0 0111 000
    const bits = within(screen.getByRole('group', { name: /Bits of FP8 E4M3/ })).getAllByRole('button');
    expect(bits.map((b) => b.textContent).join('')).toBe('00111000');
    await userEvent.click(screen.getByRole('button', { name: 'sign bit 7' }));
    expect(last).toEqual([-1, 0xb8]);
    rerender(<BitEditor info={info} value={448} code={0x7f} onChange={() => {}} />);
    expect(screen.getByText(/this bit pattern is reserved/)).toBeTruthy();
  });

  it('INT4 asym codes are unsigned (code 15 is 15, not −1); INT4 codes are two\'s complement', () => {
    const { unmount } = render(<BitEditor info={gridInfo('int4_asym')} value={15} onChange={() => {}} />);
    expect(screen.getByText(/unsigned integer 15 \(x = scale · \(15 − zero point\)\)/)).toBeTruthy();
    expect(screen.queryByText(/two's-complement/)).toBeNull();
    unmount();
    render(<BitEditor info={gridInfo('int4')} value={-7} onChange={() => {}} />);
    expect(screen.getByText(/two's-complement integer −?-?7/)).toBeTruthy();
  });

  it('GGML Q4_0 bits are the stored offset-binary nibble: 1 is 1001', () => {
    render(<BitEditor info={gridInfo('q4_0')} value={1} onChange={() => {}} />);
    expect(within(screen.getByRole('group', { name: /Bits of GGML Q4_0/ })).getAllByRole('button').map((b) => b.textContent).join('')).toBe('1001');
    expect(screen.getByText(/offset binary: stored 9 − 8 = 1/)).toBeTruthy();
  });

  it('E8M0 scale bits are all exponent', () => {
    render(<BitEditor info={gridInfo('e8m0')} value={1} onChange={() => {}} />);
    expect(screen.getAllByRole('button', { name: /exponent bit/ })).toHaveLength(8);
    expect(screen.getByText(/2\^\(127 − 127\) = 2\^0/)).toBeTruthy();
  });
});

describe('format controls', () => {
  it('picks the focused format and keeps 1–6 compared formats', async () => {
    const store = createAppStore({ config: { formats: ['int8', 'fp8_e4m3', 'fp4_e2m1', 'mxfp4', 'nvfp4', 'q4_0'] } });
    renderWith(store, <FormatControls />);
    await userEvent.selectOptions(screen.getByLabelText('Format to explore'), 'nf4');
    expect(store.getState().config.format).toBe('nf4');
    // six chosen: the others are disabled, and their tooltip says why before explaining the format
    expect((screen.getByRole('checkbox', { name: 'NF4' }) as HTMLInputElement).disabled).toBe(true);
    expect(screen.getByRole('checkbox', { name: 'NF4' }).closest('label')!.title).toMatch(/^At most 6 formats at once: untick one first\. QLoRA NormalFloat-4/);
    expect(screen.getByRole('checkbox', { name: 'INT8' }).closest('label')!.title).toMatch(/^Symmetric 8-bit integers/);
    await userEvent.click(screen.getByRole('checkbox', { name: 'INT8' }));
    expect(store.getState().config.formats).toEqual(['fp8_e4m3', 'fp4_e2m1', 'mxfp4', 'nvfp4', 'q4_0']);
    await userEvent.click(screen.getByRole('checkbox', { name: 'NF4' }));
    expect(store.getState().config.formats).toEqual(['fp8_e4m3', 'fp4_e2m1', 'mxfp4', 'nvfp4', 'q4_0', 'nf4']);
  });
});
