/**
 * An SVG axis drawn by React from a d3 scale (d3 computes ticks and formats,
 * React draws). Place it with a parent <g transform>.
 */
import { format, type ScaleContinuousNumeric } from 'd3';

const siFormat = format('~s');
const plainFormat = format('~g');

export interface AxisTick { value: number; offset: number; label: string }

export interface AxisProps {
  orient: 'bottom' | 'left' | 'top' | 'right';
  /** a d3 continuous scale from data to pixels */
  scale: ScaleContinuousNumeric<number, number>;
  /** ticks to draw; default: d3's `scale.ticks(tickCount)` with `scale.tickFormat` */
  ticks?: AxisTick[];
  tickCount?: number;
  /** axis title with its unit, e.g. "channel (column index)" */
  label?: string;
  /** distance of the label from the axis line, px */
  labelOffset?: number;
}

export function defaultTicks(scale: ScaleContinuousNumeric<number, number>, count = 6): AxisTick[] {
  // log scales: plain numbers below 10,000 ("0.02", not SI "20m"), SI above ("100k", narrow enough
  // for a small chart's margin), and only the ticks d3 labels (no unlabelled minor ticks)
  const isLog = 'base' in scale;
  const fmt = isLog ? scale.tickFormat(count, '~g') : scale.tickFormat(count);
  const label = (v: number) => {
    const l = fmt(v);
    return isLog && l !== '' && Math.abs(v) >= 1e4 ? siFormat(v) : l;
  };
  const ticks = scale.ticks(count)
    .map((v) => ({ value: v, offset: scale(v), label: label(v) }))
    .filter((t) => !isLog || t.label !== '');
  if (!isLog) return ticks;
  // a log domain within one decade (a one-row tensor's row bar): d3 labels none of its ticks, so label them plainly
  if (ticks.length === 0) return scale.ticks(count).map((v) => ({ value: v, offset: scale(v), label: Math.abs(v) >= 1e4 ? siFormat(v) : plainFormat(v) }));
  // a short log axis labels 20, 100, 200 a few px apart: keep the powers of ten when labels would touch
  const crowded = ticks.some((t, i) => i > 0 && Math.abs(t.offset - ticks[i - 1].offset) < MIN_LOG_LABEL_GAP_PX);
  const decades = ticks.filter((t) => { const e = Math.log10(Math.abs(t.value)); return Math.abs(e - Math.round(e)) < 1e-9; });
  return crowded && decades.length >= 2 ? decades : ticks;
}

/** px between labelled ticks of a log axis below which only the powers of ten are labelled */
const MIN_LOG_LABEL_GAP_PX = 24;

/**
 * Ticks at whole element indices over a domain [i0, i1) of indices, placed at
 * each element's centre: for heatmap axes in real tensor indices.
 */
export function indexTicks(scale: ScaleContinuousNumeric<number, number>, count = 6): AxisTick[] {
  const [d0, d1] = scale.domain();
  const last = Math.max(d0, d1 - 1);
  const span = last - d0;
  const values = span <= 0 ? [d0] : (scale.copy().domain([d0, last]).ticks(count).filter((v) => Number.isInteger(v)));
  return values.map((v) => ({ value: v, offset: scale(v + 0.5), label: String(v) }));
}

export function Axis({ orient, scale, ticks, tickCount = 6, label, labelOffset }: AxisProps) {
  const t = ticks ?? defaultTicks(scale, tickCount);
  const range = scale.range();
  const r0 = Math.min(range[0], range[range.length - 1]);
  const r1 = Math.max(range[0], range[range.length - 1]);
  const horizontal = orient === 'bottom' || orient === 'top';
  const sign = orient === 'bottom' || orient === 'right' ? 1 : -1;
  const tickLen = 5 * sign;
  const off = labelOffset ?? (horizontal ? 34 : 46);
  return (
    <g className={`axis axis-${orient}`} fontSize={11} fill="currentColor">
      <line
        x1={horizontal ? r0 : 0} x2={horizontal ? r1 : 0} y1={horizontal ? 0 : r0} y2={horizontal ? 0 : r1}
        stroke="currentColor"
      />
      {t.map((k) => (
        <g key={`${k.value}`} transform={horizontal ? `translate(${k.offset},0)` : `translate(0,${k.offset})`}>
          <line x2={horizontal ? 0 : tickLen} y2={horizontal ? tickLen : 0} stroke="currentColor" />
          <text
            x={horizontal ? 0 : tickLen + 3 * sign} y={horizontal ? tickLen + (sign > 0 ? 11 : -3) : 0}
            dy={horizontal ? undefined : '0.32em'} textAnchor={horizontal ? 'middle' : sign > 0 ? 'start' : 'end'}
          >
            {k.label}
          </text>
        </g>
      ))}
      {label && (
        horizontal
          ? <text x={(r0 + r1) / 2} y={sign * off} textAnchor="middle" dy={sign < 0 ? 0 : '-0.2em'}>{label}</text>
          : <text transform={`rotate(-90)`} x={-(r0 + r1) / 2} y={sign * off} textAnchor="middle" dy={sign < 0 ? '0.7em' : 0}>{label}</text>
      )}
    </g>
  );
}
