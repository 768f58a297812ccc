// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MetricsTable, type MetricsRow } from '../../../src/features/metrics-table/MetricsTable.tsx';
import { metricsCsv, metricsJson } from '../../../src/features/metrics-table/tableExport.ts';

afterEach(cleanup);

const m = (sqnrDb: number, mse: number, maxAbsErr: number, cosine: number) => ({ sqnrDb, mse, maxAbsErr, cosine, relErr: 0.01, count: 100, nonfinite: 0 });
const rows: MetricsRow[] = [
  { id: 'int8', format: 'int8', label: 'INT8', metrics: m(40.5, 1e-4, 0.02, 0.99995), saturated: 0, bitsPerElement: 8.25 },
  { id: 'fp4', format: 'fp4_e2m1', label: 'FP4 E2M1', metrics: m(18.2, 3e-2, 0.5, 0.99), saturated: 12, bitsPerElement: 4.25 },
  { id: 'bf16', format: 'bf16', label: 'BF16', metrics: m(Infinity, 0, 0, 1), saturated: 0, bitsPerElement: 16 },
];

const firstColumn = () => screen.getAllByRole('row').slice(1).map((r) => within(r).getByRole('rowheader').textContent!.replace(/ ★ \(best\)/, ''));

describe('MetricsTable', () => {
  it('marks the best value of each column (ties all marked)', () => {
    render(<MetricsTable rows={rows} caption="activation [64, 128], row" />);
    const best = (label: string) => Array.from(screen.getByRole('row', { name: new RegExp(label) }).querySelectorAll('td[data-best]')).length;
    expect(best('BF16')).toBe(5); // SQNR ∞, MSE 0, max err 0, cosine 1, saturated 0 (tied with INT8)
    expect(best('INT8')).toBe(1); // saturated 0
    expect(best('FP4')).toBe(1); // fewest bits
    expect(screen.getByRole('row', { name: /BF16/ }).textContent).toContain('∞ (exact)');
  });

  it('a tensor with no finite or no nonzero element shows — where a metric is undefined, cosine included', () => {
    const zero: MetricsRow = { id: 'z', format: 'int8', label: 'INT8', metrics: { ...m(NaN, 0, 0, NaN), count: 64 }, saturated: 0, bitsPerElement: 9 };
    render(<MetricsTable rows={[zero]} caption="zeros [16, 32]" />);
    const cells = Array.from(screen.getByRole('row', { name: /INT8/ }).querySelectorAll('td')).map((td) => td.textContent);
    expect(cells.slice(0, 4)).toEqual(['—', '0', '0', '—']);
    expect(screen.getByRole('table').textContent).not.toContain('NaN');
  });

  it('sorts by a column, best first, and toggles direction', async () => {
    const user = userEvent.setup();
    render(<MetricsTable rows={rows} caption="c" />);
    expect(firstColumn()).toEqual(['INT8', 'FP4 E2M1', 'BF16']);
    await user.click(screen.getByRole('button', { name: /SQNR/ }));
    expect(firstColumn()).toEqual(['BF16', 'INT8', 'FP4 E2M1']);
    expect(screen.getByRole('columnheader', { name: /SQNR/ }).getAttribute('aria-sort')).toBe('descending');
    await user.click(screen.getByRole('button', { name: /SQNR/ }));
    expect(firstColumn()).toEqual(['FP4 E2M1', 'INT8', 'BF16']);
    await user.click(screen.getByRole('button', { name: /Bits/ }));
    expect(firstColumn()).toEqual(['FP4 E2M1', 'INT8', 'BF16']);
    expect(screen.getByRole('columnheader', { name: /Bits/ }).getAttribute('aria-sort')).toBe('ascending');
  });

  it('exports CSV and JSON with the CLI names (JSON: null for ∞)', () => {
    const csv = metricsCsv(rows).split('\n');
    expect(csv[0]).toBe('format,label,granularity,sqnr_db,mse,max_abs_err,cosine,rel_err,saturated,nonfinite,bits_per_element');
    expect(csv[3]).toBe('bf16,BF16,,inf,0,0,1,0.01,0,0,16');
    const j = JSON.parse(metricsJson(rows, 'cap'));
    expect(j.rows[2].metrics.sqnr_db).toBeNull();
    expect(j.rows[1].counts).toEqual({ saturated: 12, nonfinite: 0 });
  });
});
