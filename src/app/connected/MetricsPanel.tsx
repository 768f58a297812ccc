/**
 * Store → props adapter for the metrics table (features stay props-only).
 * Shows the last good result dimmed while the next one computes, and next
 * to an error when it is for the tensor on screen (selectors.ts keptOnError).
 */
import { getFormat } from '../../core/formats/registry.ts';
import { MetricsTable, type MetricsRow } from '../../features/metrics-table/MetricsTable.tsx';
import { isStale, keptOnError, selectMetrics, selectTensorKey } from '../../state/selectors.ts';
import { useAppStore } from '../../state/store.ts';
import { Progress } from '../../ui/Progress.tsx';

export function MetricsPanel() {
  const m = useAppStore(selectMetrics);
  const tensorKey = useAppStore(selectTensorKey);
  const format = useAppStore((s) => s.config.format);
  const setConfig = useAppStore((s) => s.setConfig);
  const rows: MetricsRow[] = (m.data?.analysis.perFormat ?? []).map((f) => ({
    id: f.format,
    format: f.format,
    label: f.label,
    metrics: f.metrics,
    saturated: f.saturated,
    bitsPerElement: f.bitsPerElement,
  }));
  const failed = m.status === 'error';
  const shown = !failed || keptOnError(m, tensorKey);
  const stale = isStale(m) || m.status === 'running';
  // the tensor and options of the numbers shown (a dimmed result keeps its own); downloads carry the caption
  const caption = m.data ? `${m.data.tensor}, ${m.data.options}` : 'metrics';
  return (
    <div className={stale ? 'stale-wrap' : undefined} aria-busy={m.status === 'running' || m.status === 'queued'}>
      {m.status === 'running' && <Progress label="Quantizing the tensor" value={m.progress} over={rows.length > 0} />}
      {failed && <p className="error-text" role="alert">{m.error}</p>}
      {shown && m.data?.failures.map((f) => (
        <p key={f.format} className="error-text">
          {getFormat(f.format).label}: {f.message}
        </p>
      ))}
      {shown && rows.length > 0 && (
        <div className={stale ? 'stale' : undefined}>
          <MetricsTable rows={rows} caption={caption} selectedId={format} onSelect={(id) => setConfig({ format: id as never })} />
        </div>
      )}
    </div>
  );
}
