/**
 * A heatmap of a pooled grid, drawn on a canvas at data resolution through a
 * 256-entry colour LUT, with SVG axes in real tensor indices (ARCHITECTURE
 * rule 7). Controlled: the parent owns the viewport; zoom (wheel, buttons,
 * +/−), pan (drag; arrow keys past the grid's edge) and reset (0 / Home) call
 * onViewportChange. Keyboard: focusing the heatmap puts a cell cursor on the
 * cell holding the largest |value|; arrow keys move it (Shift: 10 cells) and
 * report it through onHover exactly like the pointer; Enter clicks it.
 * While a new grid computes, the last grid stays on screen, placed where its
 * own viewport sits inside the requested one. Props only.
 */
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { scaleLinear } from 'd3';
import { Axis, indexTicks } from './Axis.tsx';
import { colourize, type ColourMapping, type Lut } from './colormaps.ts';
import { cellAt, panViewport, zoomViewport, type Viewport } from './viewport.ts';

export interface HeatmapGrid {
  /** row-major [outRows, outCols] */
  values: Float32Array;
  outRows: number;
  outCols: number;
  /** the viewport the grid was computed for */
  viewport: Viewport;
  rowStarts: Int32Array;
  colStarts: Int32Array;
  /** flat index of each cell's largest-|v| element (optional) */
  index?: Uint32Array;
}

export interface HeatmapHover {
  /** element under the pointer (real indices) */
  row: number;
  col: number;
  /** cell of the grid under the pointer */
  cellRow: number;
  cellCol: number;
  /** pooled value of that cell (signed value of its largest-|v| element) */
  value: number;
  /** the element holding that value, when known */
  maxRow?: number;
  maxCol?: number;
}

export interface HeatmapCanvasProps {
  grid: HeatmapGrid;
  /** [rows, cols] of the whole tensor */
  shape: readonly [number, number];
  /** the requested viewport (may differ from grid.viewport while a new grid computes) */
  viewport: Viewport;
  lut: Lut;
  mapping: ColourMapping;
  /** plot area in CSS px (axes are added around it) */
  width: number;
  height: number;
  /** accessible name, e.g. "|x| of activation, before smoothing" */
  label: string;
  rowLabel?: string;
  colLabel?: string;
  onViewportChange?: (v: Viewport) => void;
  onHover?: (h: HeatmapHover | null) => void;
  onCellClick?: (h: HeatmapHover) => void;
  /** optional per-cell marks (e.g. saturated counts): non-zero cells are tinted magenta */
  marks?: ArrayLike<number>;
  /** hide the zoom buttons (e.g. the second panel of a synced pair) */
  hideControls?: boolean;
}

export const MARGIN = { top: 8, right: 8, bottom: 44, left: 56 };
const ZOOM_STEP = 1.5;

export function HeatmapCanvas(props: HeatmapCanvasProps) {
  const { grid, shape, viewport: vp, lut, mapping, width, height, label, rowLabel = 'row', colLabel = 'column', onViewportChange, onHover, onCellClick, marks, hideControls } = props;
  const [rows, cols] = shape;
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const marksRef = useRef<HTMLCanvasElement>(null);
  const areaRef = useRef<HTMLDivElement>(null);
  const drag = useRef<{ x: number; y: number; vp: Viewport; moved: boolean } | null>(null);
  const helpId = useId();
  /** keyboard cell cursor (cell indices of the grid), while the heatmap has focus */
  const [cursor, setCursor] = useState<{ cr: number; cc: number } | null>(null);

  // the pixels of the last grid drawn, reused by the next one of the same size (a pan or zoom
  // redraws every reply: a fresh 0.5 MiB ImageData and a reset canvas each time were garbage and work)
  const pixels = useRef<ImageData | null>(null);
  useEffect(() => {
    const c = canvasRef.current;
    if (!c) return;
    const ctx = sizedContext(c, grid.outCols, grid.outRows);
    if (!ctx) return; // jsdom, or no 2-D context
    let img = pixels.current;
    if (!img || img.width !== grid.outCols || img.height !== grid.outRows) img = pixels.current = ctx.createImageData(grid.outCols, grid.outRows);
    colourize(grid.values, lut, mapping, img.data);
    ctx.putImageData(img, 0, 0);
  }, [grid, lut, mapping]);

  // marked cells (e.g. saturated blocks) as a translucent magenta layer at the same resolution
  useEffect(() => {
    const c = marksRef.current;
    if (!c || !marks) return;
    const ctx = sizedContext(c, grid.outCols, grid.outRows);
    if (!ctx) return;
    const img = ctx.createImageData(grid.outCols, grid.outRows);
    for (let k = 0; k < marks.length && k * 4 < img.data.length; k++) {
      if (!marks[k]) continue;
      img.data[k * 4] = 255; img.data[k * 4 + 1] = 0; img.data[k * 4 + 2] = 255; img.data[k * 4 + 3] = 110;
    }
    ctx.putImageData(img, 0, 0);
  }, [grid, marks]);

  // wheel zoom needs a non-passive listener to keep the page from scrolling
  const latest = useRef({ vp, rows, cols, onViewportChange });
  latest.current = { vp, rows, cols, onViewportChange };
  useEffect(() => {
    const el = areaRef.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      const l = latest.current;
      if (!l.onViewportChange) return;
      e.preventDefault();
      const r = el.getBoundingClientRect();
      const ax = r.width ? (e.clientX - r.left) / r.width : 0.5;
      const ay = r.height ? (e.clientY - r.top) / r.height : 0.5;
      l.onViewportChange(zoomViewport(l.vp, e.deltaY < 0 ? 1.25 : 1 / 1.25, l.rows, l.cols, ay, ax));
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, []);

  const x = useMemo(() => scaleLinear().domain([vp.col0, vp.col1]).range([0, width]), [vp.col0, vp.col1, width]);
  const y = useMemo(() => scaleLinear().domain([vp.row0, vp.row1]).range([0, height]), [vp.row0, vp.row1, height]);
  const g = grid.viewport;
  const canvasStyle = {
    position: 'absolute' as const,
    left: x(g.col0), top: y(g.row0), width: x(g.col1) - x(g.col0), height: y(g.row1) - y(g.row0),
    imageRendering: 'pixelated' as const,
  };

  const change = (v: Viewport) => onViewportChange?.(v);
  const zoom = (f: number) => change(zoomViewport(vp, f, rows, cols));
  const reset = () => change({ row0: 0, row1: rows, col0: 0, col1: cols });

  /** The hover record of cell (cr, cc): its largest-|v| element when known, else the cell's first element. */
  const cellHover = (cr: number, cc: number): HeatmapHover => {
    const k = cr * grid.outCols + cc;
    const h: HeatmapHover = { row: grid.rowStarts[cr], col: grid.colStarts[cc], cellRow: cr, cellCol: cc, value: grid.values[k] };
    const idx = grid.index?.[k];
    if (idx !== undefined && idx !== 0xffffffff) { h.maxRow = Math.floor(idx / cols); h.maxCol = idx % cols; h.row = h.maxRow; h.col = h.maxCol; }
    return h;
  };
  const clampCell = (c: { cr: number; cc: number }) => ({
    cr: Math.max(0, Math.min(grid.outRows - 1, c.cr)), cc: Math.max(0, Math.min(grid.outCols - 1, c.cc)),
  });
  const moveCursor = (c: { cr: number; cc: number }) => {
    const n = clampCell(c);
    setCursor(n);
    onHover?.(cellHover(n.cr, n.cc));
  };
  /** the cell holding the largest |value| (where the eye goes first) */
  const maxCell = () => {
    let best = 0, m = -1;
    for (let k = 0; k < grid.values.length; k++) {
      const a = Math.abs(grid.values[k]);
      if (a > m) { m = a; best = k; }
    }
    return { cr: Math.floor(best / grid.outCols), cc: best % grid.outCols };
  };
  // a new grid (pan, zoom, new data) re-reports the cell under the cursor
  const cursorRef = useRef(cursor);
  cursorRef.current = cursor;
  const moveRef = useRef(moveCursor);
  moveRef.current = moveCursor;
  useEffect(() => {
    const c = cursorRef.current;
    if (c) moveRef.current(c);
  }, [grid]);

  const onKeyDown = (e: KeyboardEvent) => {
    const h = vp.row1 - vp.row0, w = vp.col1 - vp.col0;
    const step = e.shiftKey ? 0.5 : 0.1;
    const dr = Math.max(1, Math.round(h * step)), dc = Math.max(1, Math.round(w * step));
    const cells = e.shiftKey ? 10 : 1;
    const cur = cursor ?? maxCell();
    let next: Viewport | null = null;
    /** moves the cursor, or pans when it is already at that edge of the grid */
    const arrow = (dRow: number, dCol: number, pan: () => Viewport) => {
      const to = clampCell({ cr: cur.cr + dRow * cells, cc: cur.cc + dCol * cells });
      if (to.cr === cur.cr && to.cc === cur.cc) next = pan();
      else moveCursor(to);
    };
    let handled = true;
    switch (e.key) {
      case 'ArrowLeft': arrow(0, -1, () => panViewport(vp, 0, -dc, rows, cols)); break;
      case 'ArrowRight': arrow(0, 1, () => panViewport(vp, 0, dc, rows, cols)); break;
      case 'ArrowUp': arrow(-1, 0, () => panViewport(vp, -dr, 0, rows, cols)); break;
      case 'ArrowDown': arrow(1, 0, () => panViewport(vp, dr, 0, rows, cols)); break;
      case 'Enter': case ' ': if (onCellClick) onCellClick(cellHover(cur.cr, cur.cc)); else handled = false; break;
      case '+': case '=': next = zoomViewport(vp, ZOOM_STEP, rows, cols); break;
      case '-': case '_': next = zoomViewport(vp, 1 / ZOOM_STEP, rows, cols); break;
      case '0': case 'Home': next = { row0: 0, row1: rows, col0: 0, col1: cols }; break;
      default: handled = false;
    }
    if (handled) e.preventDefault();
    if (next) change(next);
  };

  const hoverAt = (clientX: number, clientY: number): HeatmapHover | null => {
    const el = areaRef.current;
    if (!el) return null;
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height) return null;
    const col = Math.floor(x.invert(clientX - r.left));
    const row = Math.floor(y.invert(clientY - r.top));
    const cr = cellAt(grid.rowStarts, row), cc = cellAt(grid.colStarts, col);
    if (cr < 0 || cc < 0) return null;
    const k = cr * grid.outCols + cc;
    const h: HeatmapHover = { row, col, cellRow: cr, cellCol: cc, value: grid.values[k] };
    const idx = grid.index?.[k];
    if (idx !== undefined && idx !== 0xffffffff) { h.maxRow = Math.floor(idx / cols); h.maxCol = idx % cols; }
    return h;
  };

  const onPointerDown = (e: PointerEvent) => {
    drag.current = { x: e.clientX, y: e.clientY, vp, moved: false };
    (e.currentTarget as HTMLElement).setPointerCapture?.(e.pointerId);
  };
  const onPointerMove = (e: PointerEvent) => {
    const d = drag.current;
    if (d && onViewportChange) {
      const dx = e.clientX - d.x, dy = e.clientY - d.y;
      if (Math.abs(dx) + Math.abs(dy) > 3) d.moved = true;
      if (d.moved) {
        const dc = -(dx / width) * (d.vp.col1 - d.vp.col0), dr = -(dy / height) * (d.vp.row1 - d.vp.row0);
        change(panViewport(d.vp, dr, dc, rows, cols));
      }
      return;
    }
    onHover?.(hoverAt(e.clientX, e.clientY));
  };
  const onPointerUp = (e: PointerEvent) => {
    const d = drag.current;
    drag.current = null;
    if (d && !d.moved && onCellClick) {
      const h = hoverAt(e.clientX, e.clientY);
      if (h) onCellClick(h);
    }
  };

  const W = width + MARGIN.left + MARGIN.right, H = height + MARGIN.top + MARGIN.bottom;
  return (
    <figure className="heatmap" style={{ margin: 0 }}>
      <div style={{ position: 'relative', width: W, height: H }}>
        <svg width={W} height={H} data-export="" role="presentation" style={{ position: 'absolute', left: 0, top: 0, overflow: 'visible' }}>
          <g transform={`translate(${MARGIN.left},${MARGIN.top + height})`}>
            <Axis orient="bottom" scale={x} ticks={indexTicks(x, Math.max(2, Math.floor(width / 80)))} label={colLabel} />
          </g>
          <g transform={`translate(${MARGIN.left},${MARGIN.top})`}>
            <Axis orient="left" scale={y} ticks={indexTicks(y, Math.max(2, Math.floor(height / 50)))} label={rowLabel} />
          </g>
        </svg>
        <div
          ref={areaRef}
          tabIndex={0}
          role="img"
          aria-label={`${label}: rows ${vp.row0}–${vp.row1 - 1} of ${rows}, columns ${vp.col0}–${vp.col1 - 1} of ${cols}`}
          aria-describedby={helpId}
          onKeyDown={onKeyDown}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          onPointerLeave={() => { if (!drag.current) onHover?.(cursor ? cellHover(cursor.cr, cursor.cc) : null); }}
          onFocus={() => moveCursor(cursor ?? maxCell())}
          onBlur={() => { setCursor(null); onHover?.(null); }}
          style={{ position: 'absolute', left: MARGIN.left, top: MARGIN.top, width, height, overflow: 'hidden', cursor: onViewportChange ? 'grab' : 'crosshair', touchAction: 'none', outlineOffset: 2 }}
        >
          <canvas ref={canvasRef} data-export="" style={canvasStyle} />
          {marks && <canvas ref={marksRef} data-export="" aria-hidden="true" style={{ ...canvasStyle, pointerEvents: 'none' }} />}
          {cursor && (() => {
            const c = clampCell(cursor);
            const left = x(grid.colStarts[c.cc]), top = y(grid.rowStarts[c.cr]);
            const cw = Math.max(4, x(grid.colStarts[c.cc + 1]) - left), ch = Math.max(4, y(grid.rowStarts[c.cr + 1]) - top);
            return <div className="heatmap-cursor" aria-hidden="true" style={{ position: 'absolute', left, top, width: cw, height: ch, boxSizing: 'border-box', border: '2px solid #fff', outline: '1px solid #000', pointerEvents: 'none' }} />;
          })()}
        </div>
      </div>
      <p id={helpId} className="visually-hidden" style={{ position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)' }}>
        Arrow keys move the cell cursor (Shift: 10 cells) and pan past the edge; Enter picks the cell; plus and minus zoom, 0 resets the view. Drag to pan, scroll to zoom.
      </p>
      {onViewportChange && (hideControls
        // the same height, invisible (not focusable, not read): what sits below lines up with the side that has them
        ? <div className="heatmap-controls" aria-hidden="true" style={{ visibility: 'hidden' }}><button type="button" tabIndex={-1}>+</button></div>
        : <div className="heatmap-controls" role="group" aria-label={`${label} zoom`}>
            <button type="button" onClick={() => zoom(ZOOM_STEP)} aria-label="Zoom in">+</button>
            <button type="button" onClick={() => zoom(1 / ZOOM_STEP)} aria-label="Zoom out">−</button>
            <button type="button" onClick={reset}>Reset view</button>
          </div>)}
    </figure>
  );
}

/** The canvas's 2-D context at `width`×`height` pixels; the size is set only when it differs (setting it clears and reallocates). */
function sizedContext(c: HTMLCanvasElement, width: number, height: number): CanvasRenderingContext2D | null {
  if (c.width !== width) c.width = width;
  if (c.height !== height) c.height = height;
  return c.getContext?.('2d') ?? null;
}
