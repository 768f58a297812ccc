/**
 * Per-channel absmax bars under a heatmap, on its column cells (or beside it
 * for rows), outlier channels highlighted, plus the outlier list. Props only.
 */
import { BarChart } from '../../plot/BarChart.tsx';
import { fmtNum } from '../export/format.ts';

export interface ChannelBarsProps {
  /** pooled channel absmax per cell and the cells' starts (HeatmapSide.colBars) */
  values: ArrayLike<number>;
  starts: ArrayLike<number>;
  /** the heatmap viewport's index range along this axis */
  domain: readonly [number, number];
  /** shared with the compared side */
  valueDomain?: readonly [number, number];
  highlight?: ArrayLike<number>;
  log: boolean;
  width: number;
  marginLeft?: number;
  axisName: string;
  title: string;
}

export function ChannelBars(p: ChannelBarsProps) {
  return (
    <BarChart values={p.values} starts={p.starts} domain={p.domain} valueDomain={p.valueDomain} highlight={p.highlight} log={p.log}
      width={p.width} marginLeft={p.marginLeft} valueLabel={`max |x| per ${p.axisName}`} title={p.title} />
  );
}

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
        <ul style={{ columns: 2, margin: 0 }}>
          {shown.map((c) => (
            <li key={c}>
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
