/**
 * Error heatmap of one format over the same viewport as the |x| heatmaps:
 * the signed error of each cell's worst element on a diverging palette (or its
 * magnitude on viridis/cividis), cells with saturated blocks tinted. Clicking a cell
 * reports its worst element and, for block formats, the block along the row
 * (to open it in the format explorer's block view). Props in, callbacks out.
 */
import { useMemo, useRef, useState } from 'react';
import type { ErrorHeatmapResult, Viewport } from '../../core/analysis/types.ts';
import { HeatmapCanvas, MARGIN, type HeatmapHover } from '../../plot/HeatmapCanvas.tsx';
import { fitWidth, useWidth } from '../../plot/useWidth.ts';
import { ColourLegend } from '../../plot/ColourLegend.tsx';
import { ExportButtons } from '../../plot/ExportButtons.tsx';
import { getLut, type ColourMapping } from '../../plot/colormaps.ts';
import { Toggle } from '../export/Toggle.tsx';
import { useControllable } from '../export/useControllable.ts';
import { fmtInt, fmtNum } from '../export/format.ts';

export interface BlockPick {
  row: number;
  col: number;
  /** block index along the row (col / blockSize), when the format has blocks */
  block?: number;
}

export type ErrorColour = 'signed' | 'magnitude';
/** what the cells show: 'abs' x̂ − x (tensor units); 'rel' x̂ − x over the cell's max |x| (result mode 'cellRel') */
export type ErrorViewMode = 'abs' | 'rel';

/** Title and legend text of a result mode, and how a cell value reads. */
export function errorModeText(mode: ErrorHeatmapResult['mode']): { what: string; value: (v: number) => string } {
  switch (mode) {
    case 'abs': return { what: 'x̂ − x (tensor units)', value: (v) => fmtNum(v) };
    case 'cellRel': return { what: '(x̂ − x) / max |x| of the cell', value: (v) => `${fmtNum(100 * v)} % of the cell's max |x|` };
    case 'rel': return { what: '(x̂ − x) / |x|', value: (v) => `${fmtNum(100 * v)} %` };
  }
}

export interface ErrorHeatmapProps {
  data: ErrorHeatmapResult;
  shape: readonly [number, number];
  viewport: Viewport;
  onViewportChange: (v: Viewport) => void;
  formatLabel: string;
  /** elements per block along the row (block formats, or group:G) */
  blockSize?: number;
  onBlockClick?: (pick: BlockPick) => void;
  colour?: ErrorColour;
  onColourChange?: (c: ErrorColour) => void;
  /** absolute or relative error (the data's mode says what is drawn; the toggle asks for the other) */
  mode?: ErrorViewMode;
  onModeChange?: (m: ErrorViewMode) => void;
  cmap?: 'viridis' | 'cividis';
  rowLabel?: string;
  colLabel?: string;
  caption: string;
  width?: number;
  height?: number;
}

export function ErrorHeatmap(props: ErrorHeatmapProps) {
  const { data, shape, viewport, onViewportChange, formatLabel, blockSize, onBlockClick, cmap = 'viridis', rowLabel = 'row (token / output channel)', colLabel = 'column (channel)', caption, width = 360, height = 240 } = props;
  const [colour, setColour] = useControllable(props.colour, props.onColourChange, 'signed');
  const [hover, setHover] = useState<HeatmapHover | null>(null);
  // when most cells hold a saturated block (e.g. MX floor-rule clipping everywhere), the tint would hide the error: start with it off
  const satShare = useMemo(() => {
    const m = data.saturatedCells;
    if (!m || m.length === 0) return 0;
    let n = 0;
    for (let i = 0; i < m.length; i++) if (m[i]) n++;
    return n / m.length;
  }, [data.saturatedCells]);
  const [showSat, setShowSat] = useState(() => satShare < 0.25);
  const figRef = useRef<HTMLElement>(null);
  const plotWidth = fitWidth(width, useWidth(figRef), MARGIN.left + MARGIN.right);
  // relative to the cell's max: 1 is an error as large as the cell's biggest value; a transform can spread an
  // outlier's error past that (rare cells up to ~10), which would wash out the rest, so the scale stops at 1
  const clipped = data.mode === 'cellRel' && data.grid.absMax > 1;
  const top = clipped ? 1 : data.grid.absMax > 0 ? data.grid.absMax : 1;
  const mapping: ColourMapping = useMemo(() => (colour === 'signed' ? { kind: 'diverging', domain: [0, top] } : { kind: 'linear', domain: [0, top] }), [colour, top]);
  const lut = getLut(colour === 'signed' ? 'diverging' : cmap);
  const { what, value: valueText } = errorModeText(data.mode);
  const [mode, setMode] = useControllable(props.mode, props.onModeChange, data.mode === 'abs' ? 'abs' : 'rel');

  const pick = (h: HeatmapHover) => {
    if (!onBlockClick) return;
    const row = h.maxRow ?? h.row, col = h.maxCol ?? h.col;
    onBlockClick({ row, col, ...(blockSize ? { block: Math.floor(col / blockSize) } : {}) });
  };

  return (
    <section className="error-heatmap" aria-label={`Error heatmap ${formatLabel}`}>
      <div className="error-heatmap-controls" style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', rowGap: 4 }}>
        <Toggle legend="Error" value={mode} onChange={setMode} options={[{ value: 'abs', label: 'absolute x̂ − x' }, { value: 'rel', label: 'relative to the cell\'s max |x|' }]} />
        <Toggle legend="Colour" value={colour} onChange={setColour} options={[{ value: 'signed', label: 'signed error' }, { value: 'magnitude', label: '|error|' }]} />
        {data.saturatedCells && <label style={{ whiteSpace: 'nowrap' }}><input type="checkbox" checked={showSat} onChange={(e) => setShowSat(e.target.checked)} /> show saturated blocks</label>}
      </div>
      <figure ref={figRef} style={{ margin: 0 }}>
        <h3 style={{ margin: '0 0 4px', fontSize: '1em' }}>{formatLabel}: {what}, largest per cell</h3>
        <HeatmapCanvas grid={data.grid} shape={shape} viewport={viewport} lut={lut} mapping={mapping} width={plotWidth} height={height}
          label={`error of ${formatLabel}`} rowLabel={rowLabel} colLabel={colLabel} onViewportChange={onViewportChange}
          onHover={setHover} onCellClick={onBlockClick ? pick : undefined} marks={showSat ? data.saturatedCells : undefined} />
        <ColourLegend lut={lut} mapping={mapping} label={colour === 'signed' ? what : `|${what}|`} />
        {data.mode === 'cellRel' && (
          <p className="legend-note">Relative error of a cell = x̂ − x of the cell's worst element divided by the largest |x| in that cell (1 = an error as large as the cell's biggest value); near-zero elements do not blow it up.{clipped ? ` Colours stop at ±1: a transform spreads an outlier's error into small neighbours, up to ${fmtNum(data.grid.absMax)} here.` : ''}</p>
        )}
        {data.saturatedCells && (
          <p>
            {showSat ? 'Magenta cells hold' : `${Math.round(100 * satShare)} % of the cells hold`} blocks with saturated (clipped) elements
            {data.saturatedInView !== undefined ? `: ${fmtInt(data.saturatedInView)} saturated elements in the blocks in view` : ''}
            {showSat ? '.' : '; tick "show saturated blocks" to tint them magenta.'}
          </p>
        )}
        <figcaption>{caption}</figcaption>
      </figure>
      <p className="hover-readout" aria-live="polite" style={{ minHeight: '1.5em' }}>
        {hover
          ? <>row {hover.row}, column {hover.col}: worst error in cell {valueText(hover.value)}{hover.maxRow !== undefined ? ` at [${hover.maxRow}, ${hover.maxCol}]` : ''}{blockSize ? `, block ${Math.floor((hover.maxCol ?? hover.col) / blockSize)}` : ''}{onBlockClick ? ' (click to open the block)' : ''}</>
          : 'Hover to read the error; click a cell to open its block.'}
      </p>
      <ExportButtons target={figRef} caption={caption} label={`Export error heatmap ${formatLabel}`} />
    </section>
  );
}
