/**
 * Store → props adapter for the metrics table (features stay props-only).
 * Shows the last good result dimmed while the next one computes.
 */
import { getFormat } from '../../core/formats/registry.ts';
import { MetricsTable, type MetricsRow } from '../../features/metrics-table/MetricsTable.tsx';
import { isStale, selectMetrics, selectTensor } from '../../state/selectors.ts';
import { useAppStore } from '../../state/store.ts';
import { Progress } from '../../ui/Progress.tsx';

export function MetricsPanel() {
  const m = useAppStore(selectMetrics);
  const t = useAppStore(selectTensor);
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
  const stale = isStale(m) || m.status === 'running';
  // the options of the numbers shown (a dimmed result keeps its own); downloads carry the caption
  const caption = t.data && m.data ? `${t.data.name} [${t.data.shape.join(', ')}], ${m.data.options}` : 'metrics';
  return (
    <div className={stale ? 'stale-wrap' : undefined} aria-busy={stale}>
      {m.status === 'running' && <Progress label="Quantizing the tensor" value={m.progress} over={rows.length > 0} />}
      {m.status === 'error' && <p className="error-text" role="alert">{m.error}</p>}
      {m.data?.failures.map((f) => (
        <p key={f.format} className="error-text">
          {getFormat(f.format).label}: {f.message}
        </p>
      ))}
      {rows.length > 0 && (
        <div className={stale ? 'stale' : undefined}>
          <MetricsTable rows={rows} caption={caption} selectedId={format} onSelect={(id) => setConfig({ format: id as never })} />
        </div>
      )}
    </div>
  );
}
