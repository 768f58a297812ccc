/**
 * LoRC: error of Ŵ + U_r Σ_r V_rᵀ versus rank r (DOMAIN.md §5), with progress
 * and cancel while the workers compute (the whole curve comes from one
 * decomposition, so it appears at once). Props in, callbacks out.
 */
import { useRef } from 'react';
import { LINE_CHART_MARGIN, LineChart } from '../../plot/LineChart.tsx';
import { fitWidth, useWidth } from '../../plot/useWidth.ts';
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
  /** log y axis (default linear, fitted to the values: the curve's change is a few per cent) */
  logY?: boolean;
  status: 'idle' | 'running' | 'done' | 'cancelled' | 'error';
  /** finished fraction in [0, 1] while running */
  progress?: number;
  error?: string;
  onStart?: () => void;
  onCancel?: () => void;
  caption: string;
  width?: number;
  height?: number;
}

export function LorcCurve({ series, metricLabel, logY = false, status, progress, error, onStart, onCancel, caption, width = 460, height = 240 }: LorcCurveProps) {
  const figRef = useRef<HTMLElement>(null);
  // measured on the section, which is there before the first curve is
  const sectionRef = useRef<HTMLElement>(null);
  const plotWidth = fitWidth(width, useWidth(sectionRef), LINE_CHART_MARGIN.left + LINE_CHART_MARGIN.right + 24, 160);
  const running = status === 'running';
  return (
    <section ref={sectionRef} className="lorc-curve" aria-label="LoRC error versus rank" aria-busy={running || undefined}>
      <div className="controls">
        {onStart && <button type="button" onClick={onStart} disabled={running}>{status === 'done' ? 'Recompute' : 'Compute'} LoRC curve</button>}
        {running && onCancel && <button type="button" onClick={onCancel}>Cancel</button>}
        {running && progress !== undefined && (
          <label>
            {' '}singular vectors of W − Ŵ: {Math.round(100 * progress)} %{' '}
            <progress max={1} value={progress} />
          </label>
        )}
        {status === 'cancelled' && <span role="status"> Cancelled; press Compute to start again.</span>}
        {status === 'error' && <span role="alert"> {error ?? 'LoRC failed.'}</span>}
      </div>
      {series.some((s) => s.points.length > 0) ? (
        <>
          <figure ref={figRef} style={{ margin: 0 }}>
            <LineChart series={series.map((s) => ({ label: s.label, points: s.points.map((p) => ({ x: p.rank, y: p.value, label: `r=${p.rank}` })) }))}
              xLabel="rank r of the correction" yLabel={metricLabel} yLog={logY} title={`LoRC: ${metricLabel} versus rank`} width={plotWidth} height={height} />
            <figcaption>{caption}</figcaption>
          </figure>
          <ExportButtons target={figRef} caption={caption} label="Export LoRC curve" />
        </>
      ) : <p>{running ? 'Computing…' : 'No LoRC curve yet: press the button above to compute the error at each rank (it runs in background workers; you can cancel).'}</p>}
    </section>
  );
}
