/**
 * Store → props adapter for the error heatmap of one format (the focused
 * format, `format=`), over the same viewport as the |x| heatmaps. Clicking a
 * cell sets the explorer's row and block, so the format explorer's block view
 * shows that block.
 */
import { useCallback } from 'react';
import { ErrorHeatmap } from '../../../features/outlier-heatmap/ErrorHeatmap.tsx';
import { FORMATS, type FormatId } from '../../../core/formats/registry.ts';
import { blockRulesFor } from '../../../core/explorer/blockView.ts';
import type { Viewport } from '../../../core/analysis/types.ts';
import { JOB, type ErrorHeatmapData } from '../../../state/resultTypes.ts';
import { configViewport, viewportPatch } from '../../../state/analysisView.ts';
import { selectTensor } from '../../../state/selectors.ts';
import { useAppStore } from '../../../state/store.ts';
import { Select } from '../../../ui/Select.tsx';
import { JobView, useJob } from './common.tsx';

export function ErrorHeatmapPanel() {
  const c = useAppStore((s) => s.config);
  const setConfig = useAppStore((s) => s.setConfig);
  const t = useAppStore(selectTensor);
  const eh = useJob<ErrorHeatmapData>(JOB.errorHeatmap);
  // axes of the tensor the shown grid was pooled from: the last result stays, dimmed, while another tensor loads
  const [rows, cols] = eh.data?.grid.shape ?? [t.data?.rows ?? 1, t.data?.cols ?? 1];
  const viewport = configViewport(c, rows, cols);
  const onViewport = useCallback((v: Viewport) => setConfig(viewportPatch(v, rows, cols), 'replace'), [setConfig, rows, cols]);
  // the explorer's block view uses the format's own blocks (32 for scalar formats)
  const blockSize = blockRulesFor(c.format).blockSize;
  return (
    <div className="analysis-error-heatmap">
      <Select
        label="Format of the error view"
        value={c.format}
        options={FORMATS.map((f) => ({ value: f.id, label: f.label }))}
        hint="The focused format (format=): the explorer below shows the same format."
        onChange={(v) => setConfig({ format: v as FormatId })}
      />
      <JobView entry={eh} busyLabel="Quantizing for the error heatmap" empty={<p>Loading the tensor…</p>}>
        {(d) => (
          <ErrorHeatmap
            data={d}
            shape={[rows, cols]}
            viewport={viewport}
            onViewportChange={onViewport}
            formatLabel={d.formatLabel}
            blockSize={blockSize}
            cmap={c.cmap}
            mode={c.errorMode}
            onModeChange={(m) => setConfig({ errorMode: m })}
            onBlockClick={(p) => setConfig({ row: p.row, block: p.block ?? Math.floor(p.col / blockSize) })}
            caption={`${d.mode === 'cellRel' ? 'Relative error (x̂ − x) / max |x| per cell' : 'Error x̂ − x'} of ${d.tensor} under ${d.formatLabel}, ${d.options}; errors in the original space. Selected block: row ${c.row}, block ${c.block} (shown in the format explorer).`}
          />
        )}
      </JobView>
    </div>
  );
}
