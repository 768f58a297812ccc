/**
 * Per-cell bars aligned with a heatmap's column or row axis: e.g. channel
 * absmax pooled onto the heatmap's column cells (orientation 'horizontal':
 * index axis left→right, bars grow up) or row absmax pooled onto its row cells
 * ('vertical': index axis top→bottom, bars grow right). Bars span their cells'
 * real index ranges on the same scale as the heatmap, so they line up at any
 * zoom. Linear or log values; highlighted cells (outlier channels) in a
 * contrasting colour. Props only.
 */
import type { ReactElement } from 'react';
import { scaleLinear, scaleLog } from 'd3';
import { Axis } from './Axis.tsx';
import { wrapCaption } from './export.ts';

export interface BarChartProps {
  /** one value per cell (NaN = no bar; +∞, e.g. a channel holding an infinite element, = a bar to the end of the axis) */
  values: ArrayLike<number>;
  /** cell k covers indices [starts[k], starts[k + 1]) */
  starts: ArrayLike<number>;
  /** index range shown (the heatmap viewport's columns, or rows when vertical) */
  domain: readonly [number, number];
  /** value domain shared by compared charts; default [min positive (log) or 0, max], finite values only */
  valueDomain?: readonly [number, number];
  /** 1 = highlighted */
  highlight?: ArrayLike<number>;
  log?: boolean;
  /** 'horizontal' (default): index axis along x, under a heatmap; 'vertical': index axis along y, beside it */
  orientation?: 'horizontal' | 'vertical';
  /**
   * Plot area px. Horizontal: `width` is the index axis (align it and marginLeft with the heatmap),
   * `height` the bar length. Vertical: `height` is the index axis (align it and marginTop with the
   * heatmap), `width` the bar length.
   */
  width: number;
  height?: number;
  marginLeft?: number;
  /** vertical only: px above the plot area (the heatmap's top margin) */
  marginTop?: number;
  /** value axis title with unit, e.g. "channel max |x|" */
  valueLabel: string;
  title: string;
  colour?: string;
  highlightColour?: string;
}

/**
 * px around a vertical chart's plot area (besides marginTop): left by default (clear of the last
 * column tick label of a heatmap to its left), right for the last value tick label, bottom for the
 * value ticks and a two-line title (a heatmap's bottom margin).
 */
export const VERTICAL_MARGIN = { left: 16, right: 14, bottom: 44 } as const;

export function BarChart(props: BarChartProps) {
  const { values, starts, domain, valueDomain, highlight, log = false, orientation = 'horizontal', width, valueLabel, title, colour = '#0072B2', highlightColour = '#D55E00' } = props;
  const vertical = orientation === 'vertical';
  const height = props.height ?? 90;
  const marginLeft = props.marginLeft ?? (vertical ? VERTICAL_MARGIN.left : 56);
  const marginTop = vertical ? props.marginTop ?? 8 : 8;
  let vmax = 0, vminPos = Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(v < Infinity)) continue;
    if (v > vmax) vmax = v;
    if (v > 0 && v < vminPos) vminPos = v;
  }
  // an infinite end (a domain taken over values with ±∞) would make every bar NaN: finite values decide then
  const given = valueDomain && valueDomain[1] < Infinity && valueDomain[0] < Infinity ? valueDomain : undefined;
  const [d0, d1] = given ?? [log ? (vminPos < Infinity ? vminPos : 1) : 0, vmax || 1];
  const valueRange: [number, number] = vertical ? [0, width] : [height, 0];
  // log: no positive value (an all-zero or all-NaN tensor) gives [0, 1]; show one decade, not ticks down to 1e-300
  const logLo = d0 > 0 ? d0 : (d1 > 0 ? d1 : 1) / 10;
  const v = log
    ? scaleLog().domain([logLo / 1.5, Math.max(d1, logLo * 1.01)]).range(valueRange).clamp(true)
    : scaleLinear().domain([0, d1 || 1]).nice().range(valueRange);
  const idx = scaleLinear().domain(domain as [number, number]).range([0, vertical ? height : width]);
  const base = v.range()[0];
  const nHigh = highlight ? Array.from(highlight).filter(Boolean).length : 0;
  // cells under 2 px: snap bars to whole pixels (anti-aliased neighbours blend into moiré bands), at
  // least 1 px each so none vanishes, highlighted ones drawn last so a neighbour never covers them
  const crisp = starts.length > 1 && Math.abs(idx(starts[starts.length - 1]) - idx(starts[0])) / (starts.length - 1) < 2;
  // all bars of a colour are one <path> (a rectangle per bar: M corner h breadth v length h −breadth Z):
  // hundreds of <rect>s cost a pan/zoom frame tens of ms of reconciliation and attribute updates
  let bars = '', hotBars = '';
  for (let k = 0; k + 1 < starts.length && k < values.length; k++) {
    const val = values[k];
    if (!(val > 0)) continue;
    const i0 = idx(starts[k]), i1 = idx(starts[k + 1]);
    const breadth = Math.max(crisp ? 1 : 0.5, i1 - i0 - (i1 - i0 > 3 ? 1 : 0));
    const tip = val < Infinity ? v(val) : v.range()[1];
    const rect = vertical
      ? `M0,${i0}h${Math.max(0, tip - base)}v${breadth}h${-Math.max(0, tip - base)}Z`
      : `M${i0},${tip}h${breadth}v${Math.max(0, base - tip)}h${-breadth}Z`;
    if (highlight?.[k]) hotBars += rect;
    else bars += rect;
  }
  const barGroup = (
    <g shapeRendering={crisp ? 'crispEdges' : undefined} data-bars="">
      {bars && <path d={bars} fill={colour} />}
      {hotBars && <path d={hotBars} fill={highlightColour} />}
    </g>
  );
  const name = `${title}${log ? ' (log scale)' : ''}${nHigh ? `, ${nHigh} highlighted` : ''}`;
  if (vertical) {
    const W = marginLeft + width + VERTICAL_MARGIN.right;
    const lines = wrapCaption(valueLabel, Math.max(8, Math.floor(W / 6)));
    return (
      <svg width={W} height={marginTop + height + VERTICAL_MARGIN.bottom} role="img" aria-label={name} data-export="" fontFamily="sans-serif">
        <g transform={`translate(${marginLeft},${marginTop})`}>
          {barGroup}
          <line x1={0} x2={0} y1={0} y2={height} stroke="currentColor" />
          <g transform={`translate(0,${height})`}>
            <Axis orient="bottom" scale={v} tickCount={Math.max(2, Math.floor(width / 40))} />
          </g>
          <text x={width / 2} y={height + 30} textAnchor="middle" fontSize={11} fill="currentColor">
            {lines.map((l, i) => <tspan key={i} x={width / 2} dy={i ? 12 : 0}>{l}</tspan>)}
          </text>
        </g>
      </svg>
    );
  }
  return (
    <svg width={width + marginLeft + 8} height={height + 20} role="img" aria-label={name} data-export="" fontFamily="sans-serif">
      <g transform={`translate(${marginLeft},8)`}>
        {barGroup}
        <Axis orient="left" scale={v} tickCount={3} label={valueLabel} labelOffset={44} />
        <line x1={0} x2={width} y1={height} y2={height} stroke="currentColor" />
      </g>
    </svg>
  );
}
