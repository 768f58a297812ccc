/**
 * Histograms on shared bins: several series overlaid as step lines, or as
 * small multiples with one shared x and y domain; linear or log counts;
 * optional vertical grid lines (e.g. a format's scaled value grid).
 * d3 computes scales and ticks; React draws SVG. Props only.
 */
import { scaleLinear, scaleLog, type ScaleContinuousNumeric } from 'd3';
import { Axis } from './Axis.tsx';
import { seriesColour } from './colormaps.ts';

export interface HistogramSeries {
  label: string;
  counts: ArrayLike<number>;
  colour?: string;
  /** grid lines of this series' own chart in small multiples (instead of the shared gridLines) */
  gridLines?: readonly GridLineSet[];
}

export interface GridLineSet {
  label: string;
  values: readonly number[];
  colour?: string;
}

export interface HistogramProps {
  /** bins + 1 increasing edges shared by every series */
  edges: ArrayLike<number>;
  series: readonly HistogramSeries[];
  mode?: 'overlay' | 'multiples';
  yScale?: 'linear' | 'log';
  /** size of one chart's plot area in px */
  width?: number;
  height?: number;
  /** x axis title with unit, e.g. "error x̂ − x" */
  xLabel: string;
  yLabel?: string;
  /** accessible name of the figure */
  title: string;
  gridLines?: readonly GridLineSet[];
  /** small multiples per row */
  columns?: number;
}

/** px around each chart's plot area */
export const HISTOGRAM_MARGIN = { top: 22, right: 12, bottom: 40, left: 52 };
const M = HISTOGRAM_MARGIN;
const r1 = (v: number) => Math.round(v * 10) / 10;

function stepPath(edges: ArrayLike<number>, counts: ArrayLike<number>, x: (v: number) => number, y: (c: number) => number, base: number): string {
  let d = `M${r1(x(edges[0]))},${r1(base)}`;
  for (let i = 0; i < counts.length; i++) {
    const yy = r1(counts[i] > 0 ? y(counts[i]) : base);
    d += `L${r1(x(edges[i]))},${yy}L${r1(x(edges[i + 1]))},${yy}`;
  }
  return `${d}L${r1(x(edges[counts.length]))},${r1(base)}`;
}

function yScaleOf(kind: 'linear' | 'log', maxCount: number, height: number): ScaleContinuousNumeric<number, number> {
  const top = Math.max(1, maxCount);
  return kind === 'log'
    ? scaleLog().domain([0.8, top * 1.2]).range([height, 0]).clamp(true)
    : scaleLinear().domain([0, top]).nice().range([height, 0]);
}

function Chart(props: {
  edges: ArrayLike<number>; series: readonly HistogramSeries[]; colours: string[]; filled: boolean;
  x: ScaleContinuousNumeric<number, number>; y: ScaleContinuousNumeric<number, number>;
  width: number; height: number; xLabel: string; yLabel: string; heading?: string; gridLines?: readonly GridLineSet[];
}) {
  const { edges, series, colours, filled, x, y, width, height, xLabel, yLabel, heading, gridLines } = props;
  const base = height;
  const [x0, x1] = x.domain();
  return (
    <g>
      {heading && <text x={0} y={-8} fontSize={12} fontWeight={600} fill="currentColor">{heading}</text>}
      {gridLines?.map((g, gi) => (
        // a dense grid (more than one line per 4 px) is drawn solid and faint: dashes would alias into stripes
        <g key={g.label} stroke={g.colour ?? '#767676'} strokeWidth={1} aria-label={`grid lines: ${g.label}`}
          {...(g.values.length * 4 > width ? { strokeOpacity: 0.35 } : { strokeDasharray: gi ? '2 2' : '4 2' })}>
          {g.values.filter((v) => v >= x0 && v <= x1).map((v) => <line key={v} x1={r1(x(v))} x2={r1(x(v))} y1={0} y2={height} />)}
        </g>
      ))}
      {series.map((s, i) => (
        <path
          key={s.label} d={stepPath(edges, s.counts, x, y, base)}
          fill={filled ? colours[i] : 'none'} fillOpacity={filled ? 0.35 : undefined}
          stroke={colours[i]} strokeWidth={1.5}
        >
          <title>{s.label}</title>
        </path>
      ))}
      <g transform={`translate(0,${height})`}><Axis orient="bottom" scale={x} tickCount={Math.max(2, Math.floor(width / 70))} label={xLabel} /></g>
      <Axis orient="left" scale={y} tickCount={Math.max(2, Math.floor(height / 40))} label={yLabel} labelOffset={40} />
    </g>
  );
}

export function Histogram(props: HistogramProps) {
  const { edges, series, mode = 'overlay', yScale = 'linear', width = 420, height = 200, xLabel, yLabel = 'count', title, gridLines, columns = 3 } = props;
  const n = edges.length - 1;
  let maxCount = 0;
  for (const s of series) for (let i = 0; i < s.counts.length; i++) if (s.counts[i] > maxCount) maxCount = s.counts[i];
  const x = scaleLinear().domain([edges[0], edges[n]]).range([0, width]);
  const y = yScaleOf(yScale, maxCount, height);
  const colours = series.map((s, i) => s.colour ?? seriesColour(i));
  const cw = width + M.left + M.right, ch = height + M.top + M.bottom;
  const legendH = 18;

  if (mode === 'multiples') {
    const cols = Math.max(1, Math.min(columns, series.length));
    const rows = Math.ceil(series.length / cols);
    return (
      <svg width={cw * cols} height={ch * rows} role="img" aria-label={`${title} (small multiples, ${yScale} counts)`} data-export="" fontFamily="sans-serif">
        {series.map((s, i) => (
          <g key={s.label} transform={`translate(${(i % cols) * cw + M.left},${Math.floor(i / cols) * ch + M.top})`}>
            <Chart edges={edges} series={[s]} colours={[colours[i]]} filled x={x} y={y} width={width} height={height} xLabel={xLabel} yLabel={yLabel} heading={s.label} gridLines={s.gridLines ?? gridLines} />
          </g>
        ))}
      </svg>
    );
  }
  return (
    <svg width={cw} height={ch + legendH} role="img" aria-label={`${title} (${series.length} series overlaid, ${yScale} counts)`} data-export="" fontFamily="sans-serif">
      <g transform={`translate(${M.left},4)`} fontSize={11} fill="currentColor">
        {series.map((s, i) => (
          <g key={s.label} transform={`translate(${i * Math.floor(width / Math.max(1, series.length))},0)`}>
            <rect width={10} height={10} fill={colours[i]} />
            <text x={14} y={9}>{s.label}</text>
          </g>
        ))}
      </g>
      <g transform={`translate(${M.left},${M.top + legendH})`}>
        <Chart edges={edges} series={series} colours={colours} filled={false} x={x} y={y} width={width} height={height} xLabel={xLabel} yLabel={yLabel} gridLines={gridLines} />
      </g>
    </svg>
  );
}
