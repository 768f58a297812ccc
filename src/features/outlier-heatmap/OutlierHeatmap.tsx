/**
 * |x| heatmaps before and after a transform, side by side, sharing one
 * viewport and one colour domain (ARCHITECTURE rule 8), each with its channel
 * absmax bars aligned to the column axis and its row absmax bars aligned to the
 * row axis (both sides share one value domain per axis), the max/median ratio
 * before vs after and the outlier channel list. The plot width shrinks so the
 * two sides stay side by side where they fit at MIN_PLOT_WIDTH, and so one side
 * fits its container when they wrap. Props in (HeatmapCompareResult from the
 * worker), callbacks out (viewport, hover, channel click).
 */
import { useMemo, useRef, useState, type ReactNode } from 'react';
import type { HeatmapCompareResult, HeatmapSide, Viewport } from '../../core/analysis/types.ts';
import { sharedBarDomain } from '../../core/analysis/heatmap.ts';
import { HeatmapCanvas, MARGIN, type HeatmapHover } from '../../plot/HeatmapCanvas.tsx';
import { useWidth } from '../../plot/useWidth.ts';
import { ColourLegend } from '../../plot/ColourLegend.tsx';
import { VERTICAL_MARGIN } from '../../plot/BarChart.tsx';
import { ExportButtons } from '../../plot/ExportButtons.tsx';
import { getLut, type ColourMapping } from '../../plot/colormaps.ts';
import { ChannelBars, OutlierList } from '../channel-bars/ChannelBars.tsx';
import { Toggle } from '../export/Toggle.tsx';
import { useControllable } from '../export/useControllable.ts';
import { fmtNum, fmtRatio } from '../export/format.ts';

export type MagnitudeScale = 'linear' | 'log';

export interface OutlierHeatmapProps {
  data: HeatmapCompareResult;
  /** [rows, cols] of the tensor */
  shape: readonly [number, number];
  viewport: Viewport;
  onViewportChange: (v: Viewport) => void;
  beforeLabel?: string;
  /** e.g. "after smooth:0.5" */
  afterLabel?: string;
  rowLabel?: string;
  colLabel?: string;
  /** what one row is, for the row bars' title "max |x| per <rowName>" (e.g. "output feature" for a weight) */
  rowName?: string;
  cmap?: 'viridis' | 'cividis';
  colourScale?: MagnitudeScale;
  onColourScaleChange?: (s: MagnitudeScale) => void;
  barLog?: boolean;
  onBarLogChange?: (log: boolean) => void;
  /** outlier rule in words, e.g. "> median + 6σ" */
  ruleText?: string;
  /** hover or keyboard focus: which side and where, null when it ends (the app adds x̂ per format via hoverDetail) */
  onHover?: (side: 'before' | 'after', h: HeatmapHover | null) => void;
  /** the tensor's element symbol in the readout: x (default) or w for a weight */
  symbol?: string;
  /** extra tooltip content for the hovered element (e.g. its quantized values) */
  hoverDetail?: ReactNode;
  onChannelClick?: (channel: number) => void;
  caption: string;
  /** plot area of one heatmap, px (the most it takes; see fitPlotWidth) */
  width?: number;
  height?: number;
  /** true while a newer result is computing (the last one stays on screen) */
  pending?: boolean;
}

/** Log colour scales start 4 decades below the top. */
export function magnitudeMapping(scale: MagnitudeScale, domain: readonly [number, number]): ColourMapping {
  return scale === 'log' ? { kind: 'log', domain: [domain[1] * 1e-4, domain[1]] } : { kind: 'linear', domain: [0, domain[1]] };
}

/** px of the row bars' value axis (bar length) beside each heatmap */
export const ROW_BARS_WIDTH = 64;
/** px the row bars' svg adds to a side */
const ROW_BARS_CHROME = VERTICAL_MARGIN.left + ROW_BARS_WIDTH + VERTICAL_MARGIN.right;
const SIDE_GAP = 16;
/** narrowest plot that still stands beside the other side; narrower and the sides wrap */
export const MIN_PLOT_WIDTH = 240;
const MIN_WRAPPED_WIDTH = 120;

/**
 * Plot width of each of `nSides` heatmaps in a container `avail` px wide (0 = not measured:
 * `width`), each side taking `chrome` px besides its plot: `width` when all fit in one line,
 * narrower down to MIN_PLOT_WIDTH to stay in one line, else one side per line within `avail`.
 */
export function fitPlotWidth(width: number, avail: number, nSides: number, chrome: number, gap = SIDE_GAP): number {
  if (!(avail > 0)) return width;
  const across = Math.floor((avail - gap * (nSides - 1)) / nSides) - chrome;
  if (across >= width) return width;
  if (across >= MIN_PLOT_WIDTH) return across;
  return Math.max(MIN_WRAPPED_WIDTH, Math.min(width, avail - chrome));
}

export function OutlierHeatmap(props: OutlierHeatmapProps) {
  const { data, shape, viewport, onViewportChange, beforeLabel = 'before', afterLabel = 'after', rowLabel = 'row (token / output channel)', colLabel = 'column (channel)', rowName = 'row', symbol = 'x', cmap = 'viridis', ruleText = '> median + 6σ', onHover, hoverDetail, onChannelClick, caption, width: maxWidth = 360, height = 240, pending } = props;
  const [scale, setScale] = useControllable(props.colourScale, props.onColourScaleChange, 'linear');
  const [barLog, setBarLog] = useControllable(props.barLog, props.onBarLogChange, true);
  const [hover, setHover] = useState<{ side: 'before' | 'after'; h: HeatmapHover } | null>(null);
  const figRef = useRef<HTMLElement>(null);
  const lut = getLut(cmap);
  const mapping = useMemo(() => magnitudeMapping(scale, data.colourDomain), [scale, data.colourDomain]);

  const sides: { key: 'before' | 'after'; label: string; side: HeatmapSide }[] = [{ key: 'before', label: beforeLabel, side: data.before }];
  if (data.after) sides.push({ key: 'after', label: afterLabel, side: data.after });
  const sideChrome = MARGIN.left + MARGIN.right + ROW_BARS_CHROME;
  const width = fitPlotWidth(maxWidth, useWidth(figRef), sides.length, sideChrome);
  const rowBarDomain = useMemo(() => data.rowBarDomain ?? sharedBarDomain(data.before.rowBars.values, data.after?.rowBars.values),
    [data.rowBarDomain, data.before.rowBars.values, data.after?.rowBars.values]);

  const hoverFor = (key: 'before' | 'after') => (h: HeatmapHover | null) => {
    // leaving one side must not clear the other side's newer hover
    setHover((prev) => (h ? { side: key, h } : prev?.side === key ? null : prev));
    onHover?.(key, h);
  };

  return (
    <section className="outlier-heatmap" aria-label="Outlier heatmaps" aria-busy={pending || undefined}>
      <div className="controls">
        <Toggle legend="Colour" value={scale} onChange={setScale} options={[{ value: 'linear', label: 'linear |x|' }, { value: 'log', label: 'log |x|' }]} />
        <label><input type="checkbox" checked={barLog} onChange={(e) => setBarLog(e.target.checked)} /> log-scale bars</label>
      </div>
      <figure ref={figRef} style={{ margin: 0 }}>
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: SIDE_GAP }}>
          {sides.map(({ key, label, side }, i) => (
            // as wide as the plot and its row bars, so a long heading wraps instead of pushing the after side below
            <div key={key} style={{ width: width + sideChrome }}>
              {/* two sides: both headings keep two lines, so a wrapped one does not push its side lower */}
              <h3 data-export="" style={{ margin: '0 0 4px', fontSize: '1em', minHeight: sides.length > 1 ? '2lh' : undefined }}>{label}: |x|, max/median channel absmax {fmtRatio(side.profile.colMaxMedianRatio)}</h3>
              <div style={{ display: 'flex', alignItems: 'flex-start' }}>
                <HeatmapCanvas grid={side.grid} shape={shape} viewport={viewport} lut={lut} mapping={mapping} width={width} height={height}
                  label={`|x| ${label}`} rowLabel={rowLabel} colLabel={colLabel} onViewportChange={onViewportChange} onHover={hoverFor(key)}
                  hideControls={i > 0} />
                {/* the svg's top is the canvas figure's top, so marginTop = MARGIN.top puts row cells beside the heatmap's rows */}
                <ChannelBars orientation="vertical" values={side.rowBars.values} starts={side.rowBars.starts}
                  domain={[side.grid.viewport.row0, side.grid.viewport.row1]} valueDomain={rowBarDomain} log={barLog}
                  width={ROW_BARS_WIDTH} height={height} marginTop={MARGIN.top} axisName={rowName} title={`max |x| per ${rowName}, ${label}`} />
              </div>
              <ChannelBars values={side.colBars.values} starts={side.colBars.starts} domain={[side.grid.viewport.col0, side.grid.viewport.col1]}
                valueDomain={data.barDomain} highlight={side.outlierCells} log={barLog} width={width} marginLeft={MARGIN.left}
                axisName="channel" title={`channel max |x| ${label}, outlier channels highlighted`} />
            </div>
          ))}
        </div>
        <div className="hover-readout" aria-live="polite" style={{ minHeight: '1.5em', margin: '0.5em 0' }}>
          {hover
            ? <>
                <div>
                  {hover.side}: row {hover.h.row}, column {hover.h.col}{hover.h.maxRow !== undefined && (hover.h.maxRow !== hover.h.row || hover.h.maxCol !== hover.h.col)
                    ? <>; the cell's largest |{hover.side === 'after' ? `${symbol}′` : symbol}| is at [{hover.h.maxRow}, {hover.h.maxCol}]: {fmtNum(hover.h.value)}</>
                    : <>: {hover.side === 'after' ? `${symbol}′` : symbol} = {fmtNum(hover.h.value)}</>}
                </div>
                {hoverDetail ? <div>{hoverDetail}</div> : null}
              </>
            : 'Hover a heatmap (or focus it and use the arrow keys) to read a cell: its largest element and that element quantized by each format.'}
        </div>
        <ColourLegend lut={lut} mapping={mapping} width={Math.max(300, width - 60)} label="|x| (tensor units), shared by both panels" />
        {data.after && (
          <p>
            Channel max/median ratio: {fmtRatio(data.before.profile.colMaxMedianRatio)} {beforeLabel} → {fmtRatio(data.after.profile.colMaxMedianRatio)} {afterLabel}.
          </p>
        )}
        <figcaption>{caption}</figcaption>
      </figure>
      {sides.map(({ key, label, side }) => (
        <div key={key}>
          <h4 style={{ margin: '8px 0 0' }}>Outlier channels {label}</h4>
          <OutlierList indices={side.profile.outlierCols} absMax={side.profile.colAbsMax} threshold={side.profile.outlierThreshold} ruleText={ruleText} onChannelClick={onChannelClick} />
        </div>
      ))}
      <ExportButtons target={figRef} caption={caption} label="Export outlier heatmaps" />
    </section>
  );
}
