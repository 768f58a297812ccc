/**
 * Layer × format table of a whole-checkpoint scan (issue 7), drawn as a heatmap
 * of SQNR (or MSE, max error, saturated fraction) with one colour domain for all
 * cells. Rows are tensors, layers, module types or families (core/model/groups.ts);
 * clicking a column header sorts by it (worst first), clicking a tensor's cell
 * asks the app to open that tensor with that format. Props only: the state
 * (group, metric, sort) lives with the caller.
 */
import { useMemo } from 'react';
import { buildScanMatrix, type GroupBy, type ScanMetric, type SortKey } from '../../core/model/groups.ts';
import type { ScanProgress, ScanRow } from '../../core/model/scan.ts';
import { Select } from '../../ui/Select.tsx';
import { Progress } from '../../ui/Progress.tsx';
import { METRIC_LABEL, cellColour, colourDomain, fmtBytes, fmtMetric } from './format.ts';

export interface ScanTableProps {
  rows: readonly ScanRow[];
  /** column order (default: order of first appearance in rows) */
  variants?: string[];
  groupBy: GroupBy;
  onGroupByChange(g: GroupBy): void;
  metric: ScanMetric;
  onMetricChange(m: ScanMetric): void;
  sort: SortKey;
  onSortChange(s: SortKey): void;
  /** click-through to the single-tensor analysis view */
  onOpenTensor?(name: string, variant: string): void;
  /** while scanning: progress, seconds left (if known) and a cancel action */
  progress?: ScanProgress | null;
  secondsLeft?: number | null;
  onCancel?(): void;
  /** the rows are from an older scan than the one running */
  stale?: boolean;
}

const GROUPS: { value: GroupBy; label: string }[] = [
  { value: 'tensor', label: 'each tensor' }, { value: 'layer', label: 'layer (block)' },
  { value: 'module', label: 'module type (q/k/v/o, gate/up/down, …)' }, { value: 'family', label: 'family (attention, MLP, experts, …)' },
];

export function ScanTable(p: ScanTableProps) {
  const matrix = useMemo(() => buildScanMatrix(p.rows, p.groupBy, p.sort, p.variants), [p.rows, p.groupBy, p.sort, p.variants]);
  const domain = useMemo(
    () => colourDomain(p.metric, matrix.rows.flatMap((r) => r.cells.flatMap((c) => (c ? [c[p.metric]] : [])))),
    [matrix, p.metric],
  );
  const sortedBy = p.sort.by === 'variant' ? p.sort.variant : null;
  const running = p.progress && p.progress.tensorsDone < p.progress.tensorsTotal;
  return (
    <section className="control-group" aria-labelledby="scan-heading">
      <h2 id="scan-heading">Whole-model scan</h2>
      <div className="field-row">
        <Select label="Group by" value={p.groupBy} options={GROUPS} onChange={(v) => p.onGroupByChange(v as GroupBy)} />
        <Select label="Colour by" value={p.metric} options={(Object.keys(METRIC_LABEL) as ScanMetric[]).map((m) => ({ value: m, label: METRIC_LABEL[m] }))}
          onChange={(v) => p.onMetricChange(v as ScanMetric)} />
      </div>
      {p.progress && (
        <p className="scan-status">
          {running && <Progress label="Scanning the checkpoint" value={p.progress.bytesTotal ? p.progress.bytesDone / p.progress.bytesTotal : null} />}
          {` ${p.progress.tensorsDone} of ${p.progress.tensorsTotal} tensors, ${fmtBytes(p.progress.bytesDone)} of ${fmtBytes(p.progress.bytesTotal)}`}
          {running && p.secondsLeft != null && Number.isFinite(p.secondsLeft) && `, about ${Math.ceil(p.secondsLeft)} s left`}
          {running && p.onCancel && <button type="button" onClick={p.onCancel}>Cancel</button>}
        </p>
      )}
      {matrix.rows.length === 0 ? (
        <p className="hint">No results yet.</p>
      ) : (
        <table className={`data scan-table${p.stale ? ' stale' : ''}`} aria-label={`${METRIC_LABEL[p.metric]} per ${p.groupBy} and format`}>
          <thead>
            <tr>
              <th scope="col">
                <button type="button" onClick={() => p.onSortChange({ by: 'name' })} aria-pressed={p.sort.by === 'name'}>{p.groupBy}</button>
              </th>
              {matrix.variants.map((v) => (
                <th scope="col" key={v} aria-sort={sortedBy === v ? 'ascending' : undefined}>
                  <button type="button" onClick={() => p.onSortChange({ by: 'variant', variant: v, metric: p.metric })} title={`sort by ${v}, worst first`}>
                    {v}{sortedBy === v ? ' ▲' : ''}
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {matrix.rows.map((row) => (
              <tr key={row.key}>
                <th scope="row">{row.label}</th>
                {row.cells.map((c, i) => {
                  const v = matrix.variants[i];
                  if (!c) return <td key={v} className="missing">—</td>;
                  const text = fmtMetric(p.metric, c[p.metric]);
                  const style = cellColour(p.metric, c[p.metric], domain);
                  const title = `${row.label}, ${v}: SQNR ${fmtMetric('sqnrDb', c.sqnrDb)} dB, MSE ${fmtMetric('mse', c.mse)}, max |error| ${fmtMetric('maxAbsErr', c.maxAbsErr)}, saturated ${fmtMetric('saturatedFraction', c.saturatedFraction)}${c.tensors > 1 ? ` over ${c.tensors} tensors` : ''}`;
                  return (
                    <td key={v} style={style} title={title}>
                      {row.tensorName && p.onOpenTensor ? (
                        <button type="button" className="cell-link" style={{ color: style.color }} aria-label={`open ${row.tensorName} with ${v} (${title})`}
                          onClick={() => p.onOpenTensor!(row.tensorName!, v)}>{text}</button>
                      ) : text}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
