/**
 * Every representable value of a grid on one axis (linear or log2), with the
 * subnormals, the max and the saturation region marked, and the rounding
 * interval of the value under the pointer (or keyboard focus). Keyboard: it is
 * a slider over the values (arrows, Home/End); Enter or click picks the value
 * for the bit editor.
 */
import { memo, useMemo, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { scaleLinear, scaleLog } from 'd3-scale';
import { bisector } from 'd3-array';
import type { GridInfo } from '../../core/explorer/grids.ts';
import { roundingInterval } from '../../core/explorer/grids.ts';
import { fmtValue } from './format.ts';

export interface NumberLineProps {
  info: GridInfo;
  values: Float64Array;
  scale: 'linear' | 'log';
  /** picked value (for the bit editor), if any */
  picked?: number;
  onPick?(value: number): void;
  width?: number;
  height?: number;
  compact?: boolean;
}

const M = { left: 14, right: 14, top: 18, bottom: 26 };

export const NumberLine = memo(function NumberLine({ info, values, scale, picked, onPick, width = 760, height = 96, compact }: NumberLineProps) {
  const [active, setActive] = useState<number | null>(null);
  const shown = useMemo(() => (scale === 'log' ? values.filter((v) => v > 0) : values), [values, scale]);
  const { max, minNormal, minSubnormal } = info;
  const x = useMemo(() => {
    const range = [M.left, width - M.right];
    if (scale === 'log') {
      const lo = shown.length ? shown[0] : 1;
      return scaleLog().base(2).domain([lo / 1.5, max * 2.5]).range(range);
    }
    const lo = values[0] < 0 ? -max * 1.25 : 0;
    return scaleLinear().domain([lo, max * 1.25]).range(range);
  }, [scale, shown, values, max, width]);

  // one tick per pixel column at most (bf16/fp16 have ~65k values); elements built once per grid
  const tickElements = useMemo(() => {
    const out: { px: number; sub: boolean }[] = [];
    let last = -1;
    for (const v of shown) {
      const px = Math.round(x(v) * 2) / 2;
      if (px === last) continue;
      last = px;
      out.push({ px, sub: minSubnormal !== null && v !== 0 && Math.abs(v) < minNormal });
    }
    const y0 = M.top, y1 = height - M.bottom;
    return out.map((t, i) => <line key={i} className={t.sub ? 'tick-sub' : 'tick-val'} x1={t.px} x2={t.px} y1={y0 + 6} y2={y1} />);
  }, [shown, x, minNormal, minSubnormal, height]);

  const axisTicks = x.ticks(compact ? 4 : 8);
  const idx = active ?? (picked !== undefined ? shown.indexOf(picked) : -1);
  const focusIdx = idx >= 0 ? idx : null;
  const interval = focusIdx !== null ? roundingInterval(shown, focusIdx) : null;
  const y0 = M.top, y1 = height - M.bottom;
  const clampPx = (v: number) => Math.max(M.left, Math.min(width - M.right, Number.isFinite(v) ? x(v) : v > 0 ? width : 0));

  const nearest = (px: number): number => {
    const v = x.invert(px);
    const i = bisector((d: number) => d).center(shown, v);
    return Math.max(0, Math.min(shown.length - 1, i));
  };
  const onMove = (e: PointerEvent<SVGSVGElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    setActive(nearest(((e.clientX - rect.left) / rect.width) * width));
  };
  const onKey = (e: KeyboardEvent<SVGSVGElement>) => {
    const cur = focusIdx ?? shown.indexOf(1);
    let next = cur < 0 ? 0 : cur;
    if (e.key === 'ArrowRight' || e.key === 'ArrowUp') next = Math.min(shown.length - 1, next + 1);
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowDown') next = Math.max(0, next - 1);
    else if (e.key === 'PageUp') next = Math.min(shown.length - 1, next + 10);
    else if (e.key === 'PageDown') next = Math.max(0, next - 10);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = shown.length - 1;
    else if (e.key === 'Enter' || e.key === ' ') {
      if (focusIdx !== null) onPick?.(shown[focusIdx]);
      e.preventDefault();
      return;
    } else return;
    e.preventDefault();
    setActive(next);
    onPick?.(shown[next]);
  };
  const current = focusIdx !== null ? shown[focusIdx] : undefined;
  const valueText =
    current !== undefined && interval
      ? `${fmtValue(current)}; inputs from ${fmtValue(interval[0])} to ${fmtValue(interval[1])} round to it`
      : 'no value selected';
  const satLeft = values[0] < 0 && scale === 'linear';

  return (
    <figure className={`numberline${compact ? ' compact' : ''}`}>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="slider"
        tabIndex={0}
        aria-label={`Representable values of ${info.label} (${scale} scale)`}
        aria-valuemin={shown[0]}
        aria-valuemax={shown[shown.length - 1]}
        aria-valuenow={current}
        aria-valuetext={valueText}
        onPointerMove={onMove}
        onPointerLeave={() => setActive(null)}
        onClick={() => focusIdx !== null && onPick?.(shown[focusIdx])}
        onKeyDown={onKey}
      >
        <defs>
          <pattern id="sat-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="6" height="6" className="sat-bg" />
            <line x1="0" y1="0" x2="0" y2="6" className="sat-line" />
          </pattern>
        </defs>
        <rect x={clampPx(max)} y={y0} width={width - M.right - clampPx(max)} height={y1 - y0} fill="url(#sat-hatch)" />
        {/* below the most negative value (−max, or −8 for Q4_0's offset codes) */}
        {satLeft && <rect x={M.left} y={y0} width={clampPx(values[0]) - M.left} height={y1 - y0} fill="url(#sat-hatch)" />}
        {interval && (
          <rect className="interval" x={clampPx(interval[0])} y={y0} width={Math.max(1, clampPx(interval[1]) - clampPx(interval[0]))} height={y1 - y0} />
        )}
        <line className="axis-line" x1={M.left} x2={width - M.right} y1={y1} y2={y1} />
        {tickElements}
        {current !== undefined && <line className="tick-active" x1={x(current)} x2={x(current)} y1={y0} y2={y1} />}
        {picked !== undefined && (scale === 'linear' || picked > 0) && (
          <circle className="picked" cx={x(picked)} cy={y0 + 3} r={3.5} />
        )}
        <text className="max-label" x={clampPx(max)} y={y0 - 5} textAnchor="middle">
          max {fmtValue(max)}
        </text>
        {!compact && (
          <text className="sat-label" x={width - M.right - 4} y={y0 + 14} textAnchor="end">
            saturates
          </text>
        )}
        {axisTicks.map((t) => (
          <g key={t} transform={`translate(${x(t)},${y1})`}>
            <line className="axis-line" y2={4} />
            <text className="axis-text" y={16} textAnchor="middle">
              {fmtValue(t)}
            </text>
          </g>
        ))}
      </svg>
      {!compact && (
        <figcaption aria-live="polite">
          {current !== undefined && interval ? (
            <>
              <strong>{fmtValue(current)}</strong>: every input in ({fmtValue(interval[0])}, {fmtValue(interval[1])}) rounds to it
              {Math.abs(current) === max ? ' (and everything beyond saturates to it)' : ''}
              {minSubnormal !== null && current !== 0 && Math.abs(current) < minNormal ? ' — a subnormal' : ''}.
            </>
          ) : (
            <>Point at a value (or focus here and use the arrow keys) to see which inputs round to it. {shown.length} values shown.</>
          )}
        </figcaption>
      )}
    </figure>
  );
});
