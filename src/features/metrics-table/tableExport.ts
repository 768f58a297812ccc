/**
 * CSV and JSON text of the metrics table, with the CLI/JSON names of DOMAIN.md
 * §6–7 (JSON has no Infinity: an exact reconstruction has "sqnr_db": null;
 * CSV writes "inf").
 */
import type { MetricsRow } from './MetricsTable.tsx';

const num = (v: number) => (Number.isFinite(v) ? v : null);

export function metricsJson(rows: readonly MetricsRow[], caption: string): string {
  return JSON.stringify({
    caption,
    rows: rows.map((r) => ({
      format: r.format,
      label: r.label,
      ...(r.granularity ? { granularity: r.granularity } : {}),
      metrics: {
        mse: num(r.metrics.mse), sqnr_db: num(r.metrics.sqnrDb), cosine: num(r.metrics.cosine),
        max_abs_err: num(r.metrics.maxAbsErr), rel_err: num(r.metrics.relErr),
      },
      bits_per_element: r.bitsPerElement,
      counts: { saturated: r.saturated, nonfinite: r.metrics.nonfinite },
    })),
  }, null, 2);
}

function csvCell(v: string | number): string {
  if (typeof v === 'number') return Number.isNaN(v) ? '' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : String(v);
  return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export const CSV_COLUMNS = ['format', 'label', 'granularity', 'sqnr_db', 'mse', 'max_abs_err', 'cosine', 'rel_err', 'saturated', 'nonfinite', 'bits_per_element'] as const;

export function metricsCsv(rows: readonly MetricsRow[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of rows) {
    lines.push([
      r.format, r.label, r.granularity ?? '', r.metrics.sqnrDb, r.metrics.mse, r.metrics.maxAbsErr, r.metrics.cosine,
      r.metrics.relErr, r.saturated, r.metrics.nonfinite, r.bitsPerElement,
    ].map(csvCell).join(','));
  }
  return lines.join('\n') + '\n';
}
