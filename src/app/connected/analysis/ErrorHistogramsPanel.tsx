/**
 * Store → props adapter for the error histograms: shared bins across the
 * compared formats (from the metrics job), and the value histogram with each
 * compared format's grid scaled to the tensor's absmax.
 */
import { useMemo, useState } from 'react';
import { ErrorHistogramPanel, type CountScale, type HistogramLayout } from '../../../features/error-histogram/ErrorHistogramPanel.tsx';
import { getFormat } from '../../../core/formats/registry.ts';
import { formatValues } from '../../../core/formats/valueGrid.ts';
import { scaledGridLines } from '../../../core/analysis/gridLines.ts';
import { selectMetrics } from '../../../state/selectors.ts';
import { useAppStore } from '../../../state/store.ts';
import { JobView } from './common.tsx';

export function ErrorHistogramsPanel() {
  const m = useAppStore(selectMetrics);
  const [layout, setLayout] = useState<HistogramLayout>('overlay');
  const [scale, setScale] = useState<CountScale>('log');
  const absMax = m.data?.analysis.absMax ?? 0;
  const vh = m.data?.analysis.valueHistogram;
  const perFormat = m.data?.analysis.perFormat;
  // each compared format's grid times one scale: the tensor absmax / element max
  const grids = useMemo(() => {
    if (!vh || !perFormat) return [];
    const lo = vh.edges[0], hi = vh.edges[vh.edges.length - 1];
    return perFormat.map((f) => {
      const spec = getFormat(f.format);
      const step = spec.kind === 'unscaled' || !spec.max ? 1 : absMax / spec.max;
      return { label: spec.label, values: scaledGridLines(formatValues(f.format), step, lo, hi) };
    });
  }, [vh, perFormat, absMax]);
  return (
    <JobView entry={m} busyLabel="Quantizing the tensor">
      {(d) => (
        <ErrorHistogramPanel
          edges={d.analysis.errorBinEdges}
          series={d.analysis.perFormat.map((f) => ({ format: f.format, label: f.label, counts: f.errorCounts }))}
          valueHistogram={d.analysis.valueHistogram}
          valueGrids={grids}
          layout={layout}
          onLayoutChange={setLayout}
          countScale={scale}
          onCountScaleChange={setScale}
          caption={`${d.tensor}: error x̂ − x of ${d.analysis.perFormat.map((f) => f.label).join(', ')} on shared bins; ${d.options}. Value histograms: the lines are each format's values times one scale, the tensor absmax / element max (per-row or per-block scales are smaller, so their grids are finer).`}
        />
      )}
    </JobView>
  );
}
