/**
 * Metrics across formats (DOMAIN.md §6): SQNR dB, MSE, max abs error, cosine,
 * saturated count, bits per element. Sortable by any column (click or
 * Enter/Space on the header button); the best value of each column is marked
 * (★ plus text for screen readers; ties all marked). CSV/JSON export.
 * Props in, callbacks out.
 */
import { useMemo, useState } from 'react';
import type { Metrics } from '../../core/stats/metrics.ts';
import { downloadText, slug } from '../../plot/export.ts';
import { fmtBits, fmtInt, fmtNum, fmtSqnr } from '../export/format.ts';
import { metricsCsv, metricsJson } from './tableExport.ts';

export interface MetricsRow {
  /** unique row key, e.g. "int8|row" */
  id: string;
  format: string;
  /** registry label, e.g. "FP8 E4M3" */
  label: string;
  /** canonical granularity text, when rows differ by granularity */
  granularity?: string;
  metrics: Metrics;
  saturated: number;
  bitsPerElement: number;
}

export interface MetricsTableProps {
  rows: readonly MetricsRow[];
  /** what was measured: tensor, shape, options; used as the table caption and in exports */
  caption: string;
  /** file name stem for downloads; default a slug of the caption */
  filename?: string;
  /** a row's format clicked (e.g. to focus it elsewhere) */
  onSelect?: (id: string) => void;
  selectedId?: string;
}

export type SortKey = 'label' | 'sqnrDb' | 'mse' | 'maxAbsErr' | 'cosine' | 'saturated' | 'bitsPerElement';

interface Column {
  key: SortKey;
  title: string;
  /** which direction is better; undefined for text columns */
  better?: 'high' | 'low';
  get: (r: MetricsRow) => number | string;
  show: (r: MetricsRow) => string;
}

export const COLUMNS: readonly Column[] = [
  { key: 'label', title: 'Format', get: (r) => r.label + (r.granularity ? ` ${r.granularity}` : ''), show: (r) => r.label + (r.granularity ? ` · ${r.granularity}` : '') },
  { key: 'sqnrDb', title: 'SQNR (dB)', better: 'high', get: (r) => r.metrics.sqnrDb, show: (r) => fmtSqnr(r.metrics.sqnrDb) },
  { key: 'mse', title: 'MSE', better: 'low', get: (r) => r.metrics.mse, show: (r) => fmtNum(r.metrics.mse) },
  { key: 'maxAbsErr', title: 'Max |x̂ − x|', better: 'low', get: (r) => r.metrics.maxAbsErr, show: (r) => fmtNum(r.metrics.maxAbsErr) },
  { key: 'cosine', title: 'Cosine', better: 'high', get: (r) => r.metrics.cosine, show: (r) => (Number.isFinite(r.metrics.cosine) ? r.metrics.cosine.toFixed(6) : '—') },
  { key: 'saturated', title: 'Saturated', better: 'low', get: (r) => r.saturated, show: (r) => fmtInt(r.saturated) },
  { key: 'bitsPerElement', title: 'Bits / element', better: 'low', get: (r) => r.bitsPerElement, show: (r) => fmtBits(r.bitsPerElement) },
];

/** For each column with a direction, the set of row ids holding the best value (NaN never best). */
export function bestIds(rows: readonly MetricsRow[]): Map<SortKey, Set<string>> {
  const out = new Map<SortKey, Set<string>>();
  for (const c of COLUMNS) {
    if (!c.better || rows.length < 2) continue;
    let best: number | undefined;
    for (const r of rows) {
      const v = c.get(r) as number;
      if (Number.isNaN(v)) continue;
      if (best === undefined || (c.better === 'high' ? v > best : v < best)) best = v;
    }
    out.set(c.key, new Set(rows.filter((r) => c.get(r) === best).map((r) => r.id)));
  }
  return out;
}

export function sortRows(rows: readonly MetricsRow[], key: SortKey | null, dir: 'asc' | 'desc'): MetricsRow[] {
  if (!key) return [...rows];
  const col = COLUMNS.find((c) => c.key === key)!;
  const s = dir === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const va = col.get(a), vb = col.get(b);
    if (typeof va === 'string' || typeof vb === 'string') return s * String(va).localeCompare(String(vb));
    if (Number.isNaN(va)) return 1; // NaN last either way
    if (Number.isNaN(vb)) return -1;
    return va === vb ? 0 : s * (va < vb ? -1 : 1);
  });
}

export function MetricsTable({ rows, caption, filename, onSelect, selectedId }: MetricsTableProps) {
  const [sort, setSort] = useState<{ key: SortKey | null; dir: 'asc' | 'desc' }>({ key: null, dir: 'desc' });
  const sorted = useMemo(() => sortRows(rows, sort.key, sort.dir), [rows, sort]);
  const best = useMemo(() => bestIds(rows), [rows]);
  const stem = filename ?? slug(`metrics ${caption}`);

  const clickHeader = (c: Column) => {
    setSort((s) => {
      if (s.key === c.key) return { key: c.key, dir: s.dir === 'asc' ? 'desc' : 'asc' };
      // first click shows the best first
      return { key: c.key, dir: c.better === 'low' || !c.better ? 'asc' : 'desc' };
    });
  };

  return (
    <div className="metrics-table">
      <table>
        <caption style={{ textAlign: 'left', captionSide: 'top' }}>{caption}</caption>
        <thead>
          <tr>
            {COLUMNS.map((c) => (
              <th key={c.key} scope="col" aria-sort={sort.key === c.key ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
                <button type="button" onClick={() => clickHeader(c)} title={c.better ? `${c.better === 'high' ? 'higher' : 'lower'} is better` : undefined}>
                  {c.title}{sort.key === c.key ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {sorted.map((r) => (
            <tr key={r.id} aria-selected={selectedId === r.id ? true : undefined}>
              {COLUMNS.map((c, i) => {
                const isBest = best.get(c.key)?.has(r.id) ?? false;
                const content = (
                  <>
                    {c.show(r)}
                    {isBest && <><span aria-hidden="true"> ★</span><span className="visually-hidden" style={{ position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)' }}> (best)</span></>}
                  </>
                );
                if (i === 0) {
                  return (
                    <th key={c.key} scope="row">
                      {onSelect ? <button type="button" onClick={() => onSelect(r.id)}>{content}</button> : content}
                    </th>
                  );
                }
                return <td key={c.key} data-best={isBest ? '' : undefined} style={{ textAlign: 'right', fontWeight: isBest ? 700 : undefined, fontVariantNumeric: 'tabular-nums' }}>{content}</td>;
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {rows.some((r) => r.metrics.nonfinite > 0) && (
        <p>Non-finite elements (NaN/Inf) left out of the metrics: {rows.filter((r) => r.metrics.nonfinite > 0).map((r) => `${r.label} ${fmtInt(r.metrics.nonfinite)}`).join(', ')}.</p>
      )}
      <div role="group" aria-label="Export metrics table">
        <button type="button" onClick={() => downloadText(metricsCsv(sorted), `${stem}.csv`, 'text/csv')}>Download CSV</button>
        <button type="button" onClick={() => downloadText(metricsJson(sorted, caption), `${stem}.json`, 'application/json')}>Download JSON</button>
      </div>
    </div>
  );
}
