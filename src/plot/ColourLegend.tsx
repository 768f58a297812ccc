/**
 * A colour bar for a LUT and its mapping, with d3 ticks and a unit label.
 * Linear/log magnitudes run from domain[0] to domain[1]; diverging from −hi to hi.
 */
import { memo, useId } from 'react';
import { scaleLinear, scaleLog } from 'd3';
import { Axis, defaultTicks } from './Axis.tsx';
import { lutCss, type ColourMapping, type Lut } from './colormaps.ts';

export interface ColourLegendProps {
  lut: Lut;
  mapping: ColourMapping;
  /** e.g. "|x|" or "x̂ − x" with unit */
  label: string;
  width?: number;
}

/** Memoized: its heatmap re-renders on every pan/zoom step, the legend only when its mapping changes. */
export const ColourLegend = memo(function ColourLegend({ lut, mapping, label, width = 220 }: ColourLegendProps) {
  const id = useId().replace(/:/g, '');
  const [lo, hi] = mapping.domain;
  const d0 = mapping.kind === 'diverging' ? -hi : mapping.kind === 'log' ? Math.max(lo, hi * 1e-6, Number.MIN_VALUE) : lo;
  const scale = mapping.kind === 'log' && hi > d0
    ? scaleLog().domain([d0, hi]).range([0, width])
    : scaleLinear().domain([d0, hi > d0 ? hi : d0 + 1]).range([0, width]);
  const stops = Array.from({ length: 17 }, (_, i) => i / 16);
  return (
    <svg width={width + 24} height={52} role="img" aria-label={`colour scale: ${label}, ${mapping.kind}, ${d0.toPrecision(3)} to ${hi.toPrecision(3)}`} data-export="">
      <defs>
        <linearGradient id={`lg${id}`}>
          {stops.map((t) => <stop key={t} offset={t} stopColor={lutCss(lut, t * 255)} />)}
        </linearGradient>
      </defs>
      <g transform="translate(12,14)">
        <text y={-4} fontSize={11} fill="currentColor">{label}{mapping.kind === 'log' ? ' (log)' : ''}</text>
        <rect width={width} height={10} fill={`url(#lg${id})`} />
        <g transform="translate(0,10)"><Axis orient="bottom" scale={scale} ticks={defaultTicks(scale, Math.max(2, Math.floor(width / 60)))} /></g>
      </g>
    </svg>
  );
}, (a, b) => a.lut === b.lut && a.label === b.label && a.width === b.width && a.mapping.kind === b.mapping.kind
  && a.mapping.domain[0] === b.mapping.domain[0] && a.mapping.domain[1] === b.mapping.domain[1]);
