/**
 * Per-channel absmax bars under a heatmap, on its column cells (or per-row
 * absmax beside it, on its row cells), outlier channels highlighted, plus the
 * outlier list. Props only.
 */
import { memo } from 'react';
import { BarChart } from '../../plot/BarChart.tsx';
import { fmtNum } from '../export/format.ts';

export interface ChannelBarsProps {
  /** pooled absmax per cell and the cells' starts (HeatmapSide.colBars, or rowBars when vertical) */
  values: ArrayLike<number>;
  starts: ArrayLike<number>;
  /** the heatmap viewport's index range along this axis */
  domain: readonly [number, number];
  /** shared with the compared side */
  valueDomain?: readonly [number, number];
  highlight?: ArrayLike<number>;
  log: boolean;
  /** 'vertical': beside the heatmap along its rows (BarChart orientation) */
  orientation?: 'horizontal' | 'vertical';
  /** plot area px, as BarChart's */
  width: number;
  height?: number;
  marginLeft?: number;
  marginTop?: number;
  /** what one index is, for the value axis title "max |x| per <axisName>" */
  axisName: string;
  title: string;
}

const sameRange = (a?: readonly [number, number], b?: readonly [number, number]) =>
  a === b || (a !== undefined && b !== undefined && a[0] === b[0] && a[1] === b[1]);

/**
 * Memoized: the heatmap panel re-renders on every config change (a format toggle), while the bars change
 * only with the heatmap data, the viewport or the scale; ranges are compared by value (callers pass literals).
 */
export const ChannelBars = memo(function ChannelBars(p: ChannelBarsProps) {
  return (
    <BarChart values={p.values} starts={p.starts} domain={p.domain} valueDomain={p.valueDomain} highlight={p.highlight} log={p.log}
      orientation={p.orientation} width={p.width} height={p.height} marginLeft={p.marginLeft} marginTop={p.marginTop} valueLabel={`max |x| per ${p.axisName}`} title={p.title} />
  );
}, (a, b) => a.values === b.values && a.starts === b.starts && sameRange(a.domain, b.domain) && sameRange(a.valueDomain, b.valueDomain)
  && a.highlight === b.highlight && a.log === b.log && a.orientation === b.orientation && a.width === b.width && a.height === b.height
  && a.marginLeft === b.marginLeft && a.marginTop === b.marginTop
  && a.axisName === b.axisName && a.title === b.title);

export interface OutlierListProps {
  /** outlier channel indices by absmax descending */
  indices: ArrayLike<number>;
  /** the full per-channel absmax (to show the value) */
  absMax: ArrayLike<number>;
  threshold: number;
  ruleText: string;
  /** show at most this many */
  limit?: number;
  onChannelClick?: (channel: number) => void;
}

export function OutlierList({ indices, absMax, threshold, ruleText, limit = 16, onChannelClick }: OutlierListProps) {
  const n = indices.length;
  const shown = Array.from(indices).slice(0, limit);
  return (
    <div className="outlier-list">
      <p>{n === 0 ? `No outlier channels (${ruleText}).` : `${n} outlier channel${n > 1 ? 's' : ''} (${ruleText}, threshold ${fmtNum(threshold)}):`}</p>
      {n > 0 && (
        // two columns where each is at least 14em wide, else one (a phone): an entry never splits
        <ul style={{ columns: '14em 2', margin: 0 }}>
          {shown.map((c) => (
            <li key={c} style={{ breakInside: 'avoid' }}>
              {onChannelClick
                ? <button type="button" onClick={() => onChannelClick(c)}>channel {c}</button>
                : <>channel {c}</>}
              : max |x| {fmtNum(absMax[c])}
            </li>
          ))}
          {n > limit && <li>… and {n - limit} more</li>}
        </ul>
      )}
    </div>
  );
}
