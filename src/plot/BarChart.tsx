/**
 * Per-cell bars aligned with a heatmap's column (or row) axis: e.g. channel
 * absmax pooled onto the heatmap's column cells. Bars span their cells' real
 * index ranges on the same scale as the heatmap, so they line up at any zoom.
 * Linear or log values; highlighted cells (outlier channels) in a contrasting
 * colour. Props only.
 */
import type { ReactElement } from 'react';
import { scaleLinear, scaleLog } from 'd3';
import { Axis } from './Axis.tsx';

export interface BarChartProps {
  /** one value per cell (NaN = no bar) */
  values: ArrayLike<number>;
  /** cell k covers indices [starts[k], starts[k + 1]) */
  starts: ArrayLike<number>;
  /** index range shown (the heatmap viewport's columns) */
  domain: readonly [number, number];
  /** value domain shared by compared charts; default [min positive (log) or 0, max] */
  valueDomain?: readonly [number, number];
  /** 1 = highlighted */
  highlight?: ArrayLike<number>;
  log?: boolean;
  /** plot area px; align `width` and the left margin with the heatmap */
  width: number;
  height?: number;
  marginLeft?: number;
  /** value axis title with unit, e.g. "channel max |x|" */
  valueLabel: string;
  title: string;
  colour?: string;
  highlightColour?: string;
}

export function BarChart(props: BarChartProps) {
  const { values, starts, domain, valueDomain, highlight, log = false, width, height = 90, marginLeft = 56, valueLabel, title, colour = '#0072B2', highlightColour = '#D55E00' } = props;
  let vmax = 0, vminPos = Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v > vmax) vmax = v;
    if (v > 0 && v < vminPos) vminPos = v;
  }
  const [d0, d1] = valueDomain ?? [log ? (vminPos < Infinity ? vminPos : 1) : 0, vmax || 1];
  const y = log
    ? scaleLog().domain([Math.max(d0, Number.MIN_VALUE) / 1.5, Math.max(d1, d0 * 1.01)]).range([height, 0]).clamp(true)
    : scaleLinear().domain([0, d1 || 1]).nice().range([height, 0]);
  const x = scaleLinear().domain(domain as [number, number]).range([0, width]);
  const nHigh = highlight ? Array.from(highlight).filter(Boolean).length : 0;
  const bars: ReactElement[] = [];
  for (let k = 0; k + 1 < starts.length && k < values.length; k++) {
    const v = values[k];
    if (!(v > 0)) continue;
    const x0 = x(starts[k]), x1 = x(starts[k + 1]);
    const yy = y(v);
    const hot = highlight?.[k] ? 1 : 0;
    bars.push(<rect key={k} x={x0} y={yy} width={Math.max(0.5, x1 - x0 - (x1 - x0 > 3 ? 1 : 0))} height={Math.max(0, height - yy)} fill={hot ? highlightColour : colour} />);
  }
  return (
    <svg width={width + marginLeft + 8} height={height + 20} role="img" aria-label={`${title}${log ? ' (log scale)' : ''}${nHigh ? `, ${nHigh} highlighted` : ''}`} data-export="" fontFamily="sans-serif">
      <g transform={`translate(${marginLeft},8)`}>
        {bars}
        <Axis orient="left" scale={y} tickCount={3} label={valueLabel} labelOffset={44} />
        <line x1={0} x2={width} y1={height} y2={height} stroke="currentColor" />
      </g>
    </svg>
  );
}
