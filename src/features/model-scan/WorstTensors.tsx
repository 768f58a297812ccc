/** The n worst tensors of each format (lowest SQNR first), with click-through. Props only. */
import { useMemo } from 'react';
import { worstTensors, type ScanMetric } from '../../core/model/groups.ts';
import type { ScanRow } from '../../core/model/scan.ts';
import { METRIC_LABEL, fmtMetric } from './format.ts';

export interface WorstTensorsProps {
  rows: readonly ScanRow[];
  variants: string[];
  /** how many per format (default 5) */
  n?: number;
  metric?: ScanMetric;
  onOpenTensor?(name: string, variant: string): void;
}

export function WorstTensors({ rows, variants, n = 5, metric = 'sqnrDb', onOpenTensor }: WorstTensorsProps) {
  const lists = useMemo(() => variants.map((v) => ({ v, worst: worstTensors(rows, v, n, metric) })), [rows, variants, n, metric]);
  return (
    <section aria-labelledby="worst-heading">
      <h3 id="worst-heading">Worst tensors by {METRIC_LABEL[metric]}</h3>
      {lists.map(({ v, worst }) => (
        <div key={v}>
          <h4>{v}</h4>
          <ol aria-label={`worst tensors for ${v}`}>
            {worst.map((r) => (
              <li key={r.name}>
                {onOpenTensor ? <button type="button" className="link" onClick={() => onOpenTensor(r.name, v)}>{r.name}</button> : r.name}
                {` ${fmtMetric(metric, r[metric])}`}
                {r.saturated > 0 && ` (${r.saturated} saturated)`}
              </li>
            ))}
          </ol>
        </div>
      ))}
    </section>
  );
}
