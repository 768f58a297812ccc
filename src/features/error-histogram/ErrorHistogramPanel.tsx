/**
 * Error histograms x̂ − x of up to 6 formats on shared bins, overlaid or as
 * small multiples, linear or log counts; optionally the value histogram of x
 * with each format's scaled grid drawn over it (one small chart per format,
 * the grid in the format's colour). Props in, callbacks out; the
 * layout/scale toggles are controlled when value + callback are passed.
 */
import { useRef } from 'react';
import { HISTOGRAM_MARGIN, Histogram, type GridLineSet, type HistogramSeries } from '../../plot/Histogram.tsx';
import { fitWidth, useWidth } from '../../plot/useWidth.ts';
import { ExportButtons } from '../../plot/ExportButtons.tsx';
import { seriesColour } from '../../plot/colormaps.ts';
import { Toggle } from '../export/Toggle.tsx';
import { useControllable } from '../export/useControllable.ts';

export const MAX_HISTOGRAM_FORMATS = 6;

export type HistogramLayout = 'overlay' | 'multiples';
export type CountScale = 'linear' | 'log';

export interface ErrorHistogramPanelProps {
  /** shared bin edges of the error (AnalyzeFormatsResult.errorBinEdges) */
  edges: ArrayLike<number>;
  /** one per format, in display order (extra ones beyond 6 are not drawn) */
  series: readonly { format: string; label: string; counts: ArrayLike<number> }[];
  /** value histogram of x (AnalyzeFormatsResult.valueHistogram) */
  valueHistogram?: { edges: ArrayLike<number>; counts: ArrayLike<number> };
  /** scaled value grids to draw over the value histogram, all on one chart */
  gridLines?: readonly GridLineSet[];
  /** one scaled grid per compared format (display order): the value histogram is drawn once per format with its grid */
  valueGrids?: readonly { label: string; values: readonly number[] }[];
  layout?: HistogramLayout;
  onLayoutChange?: (l: HistogramLayout) => void;
  countScale?: CountScale;
  onCountScaleChange?: (s: CountScale) => void;
  /** tensor, formats, options: shown under the charts and in downloads */
  caption: string;
  width?: number;
}

export function ErrorHistogramPanel(props: ErrorHistogramPanelProps) {
  const { edges, series, valueHistogram, gridLines, valueGrids, caption, width = 420 } = props;
  const [layout, setLayout] = useControllable(props.layout, props.onLayoutChange, 'overlay');
  const [scale, setScale] = useControllable(props.countScale, props.onCountScaleChange, 'log');
  const figRef = useRef<HTMLElement>(null);
  // on a narrow screen the charts shrink, and the small multiples take as many columns as fit (at most 3)
  const avail = useWidth(figRef);
  const chrome = HISTOGRAM_MARGIN.left + HISTOGRAM_MARGIN.right;
  const plotW = fitWidth(width, avail, chrome, 160);
  const cellW = Math.round(plotW / 2);
  const columns = avail > 0 ? Math.max(1, Math.min(3, Math.floor(avail / (cellW + chrome)))) : 3;
  const shown: HistogramSeries[] = series.slice(0, MAX_HISTOGRAM_FORMATS).map((s) => ({ label: s.label, counts: s.counts }));
  const hidden = series.length - shown.length;
  return (
    <section className="error-histogram" aria-label="Error histograms">
      <div className="controls">
        <Toggle legend="Layout" value={layout} onChange={setLayout} options={[{ value: 'overlay', label: 'overlaid' }, { value: 'multiples', label: 'small multiples' }]} />
        <Toggle legend="Counts" value={scale} onChange={setScale} options={[{ value: 'linear', label: 'linear' }, { value: 'log', label: 'log' }]} />
      </div>
      <figure ref={figRef} style={{ margin: 0 }}>
        {shown.length === 0
          ? <p>No formats to compare.</p>
          : <Histogram edges={edges} series={shown} mode={layout} yScale={scale} width={layout === 'multiples' ? cellW : plotW} height={layout === 'multiples' ? 120 : 200}
              xLabel="error x̂ − x (tensor units)" yLabel="elements" title="Error histogram, bins shared by all formats" columns={columns} />}
        {valueHistogram && valueGrids && valueGrids.length > 0 && (
          <Histogram
            edges={valueHistogram.edges} mode="multiples" yScale={scale} width={cellW} height={110} columns={columns}
            series={valueGrids.slice(0, MAX_HISTOGRAM_FORMATS).map((g, i) => ({
              label: `x with the ${g.label} grid`, counts: valueHistogram.counts, colour: '#555555',
              gridLines: [{ label: `${g.label} grid`, values: g.values, colour: seriesColour(i) }],
            }))}
            xLabel="value x (tensor units)" yLabel="elements" title="Value histogram with each format's grid" />
        )}
        {valueHistogram && !(valueGrids && valueGrids.length > 0) && (
          <Histogram edges={valueHistogram.edges} series={[{ label: 'x', counts: valueHistogram.counts, colour: '#555555' }]} yScale={scale} width={plotW} height={160}
            xLabel="value x (tensor units)" yLabel="elements" title="Value histogram with format grids" gridLines={gridLines} />
        )}
        <figcaption>{caption}{hidden > 0 ? ` (${hidden} more format${hidden > 1 ? 's' : ''} not drawn: at most ${MAX_HISTOGRAM_FORMATS})` : ''}</figcaption>
      </figure>
      <ExportButtons target={figRef} caption={caption} label="Export error histograms" />
    </section>
  );
}
