/**
 * SQNR (dB) versus bits per element across formats and granularities: the
 * trade-off curve. One line per granularity (or per format), points labelled.
 * Exact reconstructions (SQNR = ∞) are listed, not plotted. Props only.
 */
import { useRef } from 'react';
import { LINE_CHART_MARGIN, LineChart, type LineSeries } from '../../plot/LineChart.tsx';
import { fitWidth, useWidth } from '../../plot/useWidth.ts';
import { ExportButtons } from '../../plot/ExportButtons.tsx';
import { Toggle } from '../export/Toggle.tsx';
import { useControllable } from '../export/useControllable.ts';

export interface TradeoffDatum {
  format: string;
  label: string;
  granularity: string;
  bitsPerElement: number;
  sqnrDb: number;
}

export type TradeoffGrouping = 'granularity' | 'format';

export interface TradeoffChartProps {
  points: readonly TradeoffDatum[];
  groupBy?: TradeoffGrouping;
  onGroupByChange?: (g: TradeoffGrouping) => void;
  caption: string;
  width?: number;
  height?: number;
}

export function groupTradeoff(points: readonly TradeoffDatum[], by: TradeoffGrouping): LineSeries[] {
  const groups = new Map<string, LineSeries>();
  for (const p of points) {
    if (!Number.isFinite(p.sqnrDb)) continue;
    const key = by === 'granularity' ? p.granularity : p.label;
    if (!groups.has(key)) groups.set(key, { label: key, points: [] });
    (groups.get(key)!.points as { x: number; y: number; label?: string }[]).push({ x: p.bitsPerElement, y: p.sqnrDb, label: by === 'granularity' ? p.label : p.granularity });
  }
  return [...groups.values()];
}

export function TradeoffChart({ points, caption, width = 460, height = 260, ...rest }: TradeoffChartProps) {
  const [groupBy, setGroupBy] = useControllable(rest.groupBy, rest.onGroupByChange, 'granularity');
  const figRef = useRef<HTMLElement>(null);
  const plotWidth = fitWidth(width, useWidth(figRef), LINE_CHART_MARGIN.left + LINE_CHART_MARGIN.right + 40, 160);
  const exact = points.filter((p) => p.sqnrDb === Infinity);
  return (
    <section className="tradeoff-chart" aria-label="SQNR versus bits per element">
      <Toggle legend="Lines join" value={groupBy} onChange={setGroupBy} options={[{ value: 'granularity', label: 'same granularity' }, { value: 'format', label: 'same format' }]} />
      <figure ref={figRef} style={{ margin: 0 }}>
        <LineChart series={groupTradeoff(points, groupBy)} xLabel="bits per element (incl. scales)" yLabel="SQNR (dB), higher is better" title="SQNR versus bits per element" width={plotWidth} height={height} showPointLabels />
        {exact.length > 0 && <p>Exact (SQNR ∞, not plotted): {exact.map((p) => `${p.label} ${p.granularity}`).join(', ')}.</p>}
        <figcaption>{caption}</figcaption>
      </figure>
      <ExportButtons target={figRef} caption={caption} label="Export trade-off chart" />
    </section>
  );
}
