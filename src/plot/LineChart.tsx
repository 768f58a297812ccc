/**
 * Lines with points: SQNR vs bits/element (trade-off), error vs rank (LoRC).
 * d3 computes scales and ticks; React draws SVG. Props only.
 */
import { extent, line, scaleLinear, scaleLog } from 'd3';
import { Axis } from './Axis.tsx';
import { seriesColour } from './colormaps.ts';
import { placeLabels, type PlacedLabel } from './labelPlacement.ts';

export interface LinePoint { x: number; y: number; label?: string }
export interface LineSeries { label: string; points: readonly LinePoint[]; colour?: string; dashed?: boolean }

export interface LineChartProps {
  series: readonly LineSeries[];
  xLabel: string;
  yLabel: string;
  title: string;
  xLog?: boolean;
  yLog?: boolean;
  width?: number;
  height?: number;
  /** draw each point's label next to it */
  showPointLabels?: boolean;
}

/** px around the plot area (the right side grows for end labels) */
export const LINE_CHART_MARGIN = { top: 26, right: 16, bottom: 42, left: 60 };
const M = LINE_CHART_MARGIN;

export function LineChart(props: LineChartProps) {
  const { series, xLabel, yLabel, title, xLog, yLog, width = 460, height = 260, showPointLabels } = props;
  const finite = (v: number, log?: boolean) => Number.isFinite(v) && (!log || v > 0);
  const pts = series.flatMap((s) => s.points).filter((p) => finite(p.x, xLog) && finite(p.y, yLog));
  const [x0, x1] = extent(pts, (p) => p.x) as [number | undefined, number | undefined];
  const [y0, y1] = extent(pts, (p) => p.y) as [number | undefined, number | undefined];
  const pad = (a = 0, b = 1, log?: boolean): [number, number] => (a === b ? (log ? [a / 2, b * 2] : [a - 1, b + 1]) : [a, b]);
  const x = (xLog ? scaleLog() : scaleLinear()).domain(pad(x0, x1, xLog)).range([0, width]).nice();
  const y = (yLog ? scaleLog() : scaleLinear()).domain(pad(y0, y1, yLog)).range([height, 0]).nice();
  // legend entries flow left to right and wrap (≈ 6.5 px per character at 11 px)
  let lx = 0, ly = 0;
  const legendAt = series.map((s) => {
    const w = 24 + 6.5 * s.label.length;
    if (lx > 0 && lx + w > width) { lx = 0; ly += 14; }
    const at = { x: lx, y: ly };
    lx += w;
    return at;
  });
  const top = M.top + ly;
  // point labels sit right of their point: leave room for them past the last tick
  const right = showPointLabels ? 64 : M.right;
  const drawn = series.map((s) => [...s.points].sort((a, b) => a.x - b.x).filter((p) => finite(p.x, xLog) && finite(p.y, yLog)));
  // labels placed together across series, so close points' labels do not overlap (hidden when no spot is free)
  const labelled = showPointLabels ? drawn.flatMap((pts, i) => pts.filter((p) => p.label).map((p) => ({ i, p }))) : [];
  const spots = placeLabels(labelled.map(({ p }) => ({ x: x(p.x), y: y(p.y), text: p.label! })), 10, { width: width + right - M.right, height });
  const spotOf = new Map<LinePoint, PlacedLabel>(labelled.map(({ p }, k) => [p, spots[k]]));
  const path = line<LinePoint>().x((p) => x(p.x)).y((p) => y(p.y)).defined((p) => finite(p.x, xLog) && finite(p.y, yLog));
  return (
    <svg width={width + M.left + right} height={height + top + M.bottom} role="img" aria-label={title} data-export="" fontFamily="sans-serif">
      <g transform={`translate(${M.left},6)`} fontSize={11} fill="currentColor">
        {series.map((s, i) => (
          <g key={s.label} transform={`translate(${legendAt[i].x},${legendAt[i].y})`}>
            <rect width={10} height={10} fill={s.colour ?? seriesColour(i)} />
            <text x={14} y={9}>{s.label}</text>
          </g>
        ))}
      </g>
      <g transform={`translate(${M.left},${top})`}>
        {series.map((s, i) => {
          const c = s.colour ?? seriesColour(i);
          return (
            <g key={s.label}>
              <path d={path(drawn[i]) ?? undefined} fill="none" stroke={c} strokeWidth={1.75} strokeDasharray={s.dashed ? '5 3' : undefined} />
              {drawn[i].map((p, k) => {
                const spot = spotOf.get(p);
                return (
                  <g key={k} transform={`translate(${x(p.x)},${y(p.y)})`}>
                    <circle r={3.5} fill={c}><title>{`${s.label}${p.label ? ` ${p.label}` : ''}: ${xLabel} ${p.x}, ${yLabel} ${p.y.toPrecision(4)}`}</title></circle>
                    {spot?.visible && <text x={spot.dx} y={spot.dy} textAnchor={spot.anchor} fontSize={10} fill="currentColor">{p.label}</text>}
                  </g>
                );
              })}
            </g>
          );
        })}
        <g transform={`translate(0,${height})`}><Axis orient="bottom" scale={x} tickCount={Math.max(2, Math.floor(width / 70))} label={xLabel} /></g>
        <Axis orient="left" scale={y} tickCount={Math.max(2, Math.floor(height / 45))} label={yLabel} />
      </g>
    </svg>
  );
}
