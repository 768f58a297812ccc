/**
 * LoRC: error of Ŵ + U_r Σ_r V_rᵀ versus rank r (DOMAIN.md §5), with progress
 * and cancel while the worker computes. The curve grows point by point.
 * Props in, callbacks out.
 */
import { useRef } from 'react';
import { LineChart } from '../../plot/LineChart.tsx';
import { ExportButtons } from '../../plot/ExportButtons.tsx';

export interface LorcSeries {
  /** e.g. "FP4 E2M1 row" */
  label: string;
  points: readonly { rank: number; value: number }[];
}

export interface LorcCurveProps {
  series: readonly LorcSeries[];
  /** what the y values are, with unit: "relative error ‖W − Ŵ′‖/‖W‖" or "SQNR (dB)" */
  metricLabel: string;
  /** SQNR-like metrics (higher is better) use a linear axis; errors a log axis */
  logY?: boolean;
  status: 'idle' | 'running' | 'done' | 'cancelled' | 'error';
  progress?: { done: number; total: number };
  error?: string;
  onStart?: () => void;
  onCancel?: () => void;
  caption: string;
  width?: number;
  height?: number;
}

export function LorcCurve({ series, metricLabel, logY = true, status, progress, error, onStart, onCancel, caption, width = 460, height = 240 }: LorcCurveProps) {
  const figRef = useRef<HTMLElement>(null);
  const running = status === 'running';
  return (
    <section className="lorc-curve" aria-label="LoRC error versus rank" aria-busy={running || undefined}>
      <div className="controls">
        {onStart && <button type="button" onClick={onStart} disabled={running}>{status === 'done' ? 'Recompute' : 'Compute'} LoRC curve</button>}
        {running && onCancel && <button type="button" onClick={onCancel}>Cancel</button>}
        {running && progress && (
          <label>
            {' '}rank {progress.done} of {progress.total}{' '}
            <progress max={progress.total} value={progress.done} />
          </label>
        )}
        {status === 'cancelled' && <span role="status"> Cancelled; the ranks computed so far are shown.</span>}
        {status === 'error' && <span role="alert"> {error ?? 'LoRC failed.'}</span>}
      </div>
      {series.some((s) => s.points.length > 0) ? (
        <>
          <figure ref={figRef} style={{ margin: 0 }}>
            <LineChart series={series.map((s) => ({ label: s.label, points: s.points.map((p) => ({ x: p.rank, y: p.value, label: `r=${p.rank}` })) }))}
              xLabel="rank r of the correction" yLabel={metricLabel} yLog={logY} title={`LoRC: ${metricLabel} versus rank`} width={width} height={height} />
            <figcaption>{caption}</figcaption>
          </figure>
          <ExportButtons target={figRef} caption={caption} label="Export LoRC curve" />
        </>
      ) : <p>{running ? 'Computing…' : 'No LoRC curve yet: press the button above to compute the error at each rank (it runs in a worker; you can cancel).'}</p>}
    </section>
  );
}
