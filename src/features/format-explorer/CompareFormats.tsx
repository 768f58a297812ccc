/** The compared formats side by side: value grid, bits per element, error on this tensor. */
import { useMemo } from 'react';
import { gridInfo, gridValues } from '../../core/explorer/grids.ts';
import { getFormat, type FormatId } from '../../core/formats/registry.ts';
import { isStale, selectMetrics } from '../../state/selectors.ts';
import { useAppStore } from '../../state/store.ts';
import { Progress } from '../../ui/Progress.tsx';
import { NumberLine } from './NumberLine.tsx';
import { fmtDb, fmtValue } from './format.ts';

/** bits per element as the analysis computed it for this tensor (bitsPerElement.ts); nominal until then */
function bitsText(id: FormatId, computed: number | undefined): string {
  if (computed !== undefined) return String(Number(computed.toFixed(3)));
  const f = getFormat(id);
  return f.blockSize ? String(Number((f.elementBits + f.scaleBits / f.blockSize).toFixed(3))) : `${f.elementBits} + scales`;
}

function Card({ id }: { id: FormatId }) {
  const spec = getFormat(id);
  const line = useAppStore((s) => s.config.line);
  const m = useAppStore(selectMetrics);
  const row = m.data?.rows.find((r) => r.format === id);
  const grid = useMemo(() => ({ info: gridInfo(id), values: gridValues(id) }), [id]);
  return (
    <article className="card" aria-labelledby={`card-${id}`}>
      <h4 id={`card-${id}`}>{spec.label}</h4>
      <dl className="card-stats">
        <dt>bits / element</dt>
        <dd className={isStale(m) ? 'stale' : undefined}>{bitsText(id, m.data?.analysis.perFormat.find((f) => f.format === id)?.bitsPerElement)}</dd>
        <dt>SQNR</dt>
        <dd data-testid={`sqnr-${id}`} className={isStale(m) ? 'stale' : undefined}>
          {row ? fmtDb(row.metrics.sqnrDb) : m.status === 'error' ? 'n/a' : '…'}
        </dd>
        <dt>max |error|</dt>
        <dd className={isStale(m) ? 'stale' : undefined}>{row ? fmtValue(row.metrics.maxAbsErr) : '…'}</dd>
        <dt>saturated</dt>
        <dd className={isStale(m) ? 'stale' : undefined}>
          {row ? `${row.saturated}${row.blocks ? ` (${row.blocksSaturated} of ${row.blocks} blocks)` : ''}` : '…'}
        </dd>
      </dl>
      <NumberLine info={grid.info} values={grid.values} scale={line} compact width={320} height={64} />
      <p className="card-desc">{spec.description}</p>
    </article>
  );
}

export function CompareFormats() {
  const formats = useAppStore((s) => s.config.formats);
  const m = useAppStore(selectMetrics);
  return (
    <div className="stale-wrap">
      {m.status === 'running' && <Progress label="Quantizing the tensor" value={m.progress} over />}
      {m.status === 'error' && <p className="error-text" role="alert">{m.error}</p>}
      <div className="cards">
        {formats.map((id) => (
          <Card key={id} id={id} />
        ))}
      </div>
    </div>
  );
}
