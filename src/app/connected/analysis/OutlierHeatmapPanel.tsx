/**
 * Store → props adapter for the outlier heatmaps (issue 5): the transform
 * controls, |x| before/after sharing one viewport and colour domain (the
 * viewport and colour scale live in the URL), channel bars and outlier lists,
 * and for SmoothQuant the weight before/after (difficulty migration).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { OutlierHeatmap } from '../../../features/outlier-heatmap/OutlierHeatmap.tsx';
import { ElementReadout } from '../../../features/outlier-heatmap/ElementReadout.tsx';
import type { HeatmapHover } from '../../../plot/HeatmapCanvas.tsx';
import { viewportText } from '../../../plot/viewport.ts';
import { TransformBar } from '../../../features/transform-controls/TransformBar.tsx';
import { Hideable } from '../../../features/lessons/Hideable.tsx';
import { fmtRatio } from '../../../features/export/format.ts';
import type { Viewport } from '../../../core/analysis/types.ts';
import { JOB, type HeatmapData } from '../../../state/resultTypes.ts';
import { ANALYSIS_JOB, type ElementProbeData, type ElementProbeRequest, type WeightHeatmapData } from '../../../state/analysisTypes.ts';
import { PAIR_MISSING, configViewport, needsPair, pairKey, safeTransform, viewTransform, viewportPatch } from '../../../state/analysisView.ts';
import { selectTensor } from '../../../state/selectors.ts';
import { useAppStore } from '../../../state/store.ts';
import { JobView, formatLabel, useJob } from './common.tsx';

/** ms between the last hover move and the x̂ request (a sweep across the heatmap asks once) */
export const PROBE_DEBOUNCE_MS = 60;

/**
 * Hover / keyboard focus → the element whose x̂ the readout shows: the element holding the
 * cell's max |x| (|x′| on the after side), debounced into the store's probe (the scheduler
 * asks the worker). Returns the element the readout points at now.
 */
function useElementProbe(tensor?: 'w'): [ElementProbeRequest | null, (side: 'before' | 'after', h: HeatmapHover | null) => void] {
  const setProbe = useAppStore((s) => s.setProbe);
  const [want, setWant] = useState<ElementProbeRequest | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => { if (timer.current) clearTimeout(timer.current); setProbe(null); }, [setProbe]);
  const onHover = useCallback((side: 'before' | 'after', h: HeatmapHover | null) => {
    const next: ElementProbeRequest | null = h ? { side, row: h.maxRow ?? h.row, col: h.maxCol ?? h.col, ...(tensor ? { tensor } : {}) } : null;
    setWant((prev) => {
      if (!next) return prev?.side === side ? null : prev;
      return prev && prev.side === next.side && prev.row === next.row && prev.col === next.col ? prev : next;
    });
    if (timer.current) clearTimeout(timer.current);
    if (next) timer.current = setTimeout(() => setProbe(next), PROBE_DEBOUNCE_MS);
  }, [setProbe, tensor]);
  return [want, onHover];
}

export function OutlierHeatmapPanel() {
  const c = useAppStore((s) => s.config);
  const setConfig = useAppStore((s) => s.setConfig);
  const t = useAppStore(selectTensor);
  const hm = useJob<HeatmapData>(JOB.heatmap);
  const probe = useJob<ElementProbeData>(ANALYSIS_JOB.probe);
  const [want, onHover] = useElementProbe();
  const [wantW, onHoverW] = useElementProbe('w');
  const whm = useJob<WeightHeatmapData>(ANALYSIS_JOB.weightHeatmap);
  const meta = t.data;
  // axes of the tensor the shown heatmaps were pooled from: the last result stays, dimmed, while another tensor loads
  const [rows, cols] = hm.data?.before.grid.shape ?? [meta?.rows ?? 1, meta?.cols ?? 1];
  const viewport = configViewport(c, rows, cols);
  const onViewport = useCallback((v: Viewport) => setConfig(viewportPatch(v, rows, cols), 'replace'), [setConfig, rows, cols]);
  const pairMissing = needsPair(c.transform) && pairKey(c) === null;
  // label the heatmaps with the transform they were computed for (the last good result may be for an earlier one);
  // engine/analysisPlan.heatmapKey puts it after "#hm#"
  const shown = hm.forKey?.split('#hm#')[1]?.split('|')[0] ?? (pairMissing ? 'none' : viewTransform(c));
  const tr = safeTransform(c.transform);
  const isSmooth = tr?.kind === 'smooth';
  const isWeight = c.file === null && c.sample === 'weight';
  // names the tensor the shown heatmaps were pooled from (a dimmed result keeps its own)
  const captionOf = (d: HeatmapData) => (d.after
    ? `|x| of ${d.tensor}, max-|x| pooled; before and after ${shown} share the viewport (${viewportText(viewport)}) and one colour scale`
    : `|x| of ${d.tensor}, max-|x| pooled over ${viewportText(viewport)}`);
  return (
    <div className="analysis-heatmaps">
      <Hideable id="transform">
        <TransformBar value={c.transform} cols={meta?.cols ?? null} onChange={(text, continuous) => setConfig({ transform: text }, continuous ? 'replace' : 'push')} />
      </Hideable>
      {pairMissing && <p className="error-text" role="alert">{PAIR_MISSING} Until then the heatmap shows the tensor without the transform.</p>}
      {tr && !pairMissing && viewTransform(c) === 'none' && tr.kind !== 'none' && (
        <p className="hint">{c.transform} changes the weight, not this view: see the Methods panel. The heatmaps show the tensor as it is.</p>
      )}
      <JobView entry={hm} busyLabel="Pooling the heatmaps" empty={<p>Loading the tensor…</p>}>
        {(d) => (
          <>
            <OutlierHeatmap
              data={d}
              shape={[rows, cols]}
              viewport={viewport}
              onViewportChange={onViewport}
              beforeLabel={d.after ? 'before' : 'x'}
              afterLabel={`after ${shown}`}
              rowLabel={isWeight ? 'output feature (row)' : 'token / row'}
              rowName={isWeight ? 'output feature' : 'row'}
              colLabel="channel (column)"
              cmap={c.cmap}
              colourScale={c.colourScale}
              onColourScaleChange={(s) => setConfig({ colourScale: s })}
              barLog={c.barScale === 'log'}
              onBarLogChange={(log) => setConfig({ barScale: log ? 'log' : 'linear' })}
              onHover={onHover}
              hoverDetail={want ? <ElementReadout data={probe.data} want={want} labelOf={formatLabel} error={probe.status === 'error' ? probe.error : null} /> : null}
              onChannelClick={(ch) => {
                const half = Math.max(16, Math.min(64, Math.floor(cols / 16)));
                const c0 = Math.max(0, Math.min(cols - 2 * half, ch - half));
                setConfig({ channel: ch, ...viewportPatch({ row0: viewport.row0, row1: viewport.row1, col0: c0, col1: Math.min(cols, c0 + 2 * half) }, rows, cols) });
              }}
              caption={captionOf(d)}
              pending={hm.status === 'running'}
            />
            {c.channel !== null && c.channel < cols && (
              <p data-testid="channel-readout">
                Channel {c.channel}: max |x| {d.before.profile.colAbsMax[c.channel].toPrecision(3)}
                {d.after ? ` before, ${d.after.profile.colAbsMax[c.channel].toPrecision(3)} after ${shown}` : ''}.{' '}
                <button type="button" onClick={() => setConfig({ channel: null, r0: null, r1: null, c0: null, c1: null })}>Show all channels</button>
              </p>
            )}
          </>
        )}
      </JobView>
      {isSmooth && !pairMissing && (
        <div className="weight-heatmaps">
          <h3>Weight W before/after SmoothQuant: where the activation's difficulty went</h3>
          <JobView entry={whm} busyLabel="Pooling the weight heatmaps">
            {(d) => {
              const [wr, wc] = d.shape;
              return (
                <>
                  {d.heatmap.after && (
                    <p data-testid="weight-ratio">
                      Weight channel max/median: {fmtRatio(d.heatmap.before.profile.colMaxMedianRatio)} before →{' '}
                      {fmtRatio(d.heatmap.after.profile.colMaxMedianRatio)} after: SmoothQuant divides X's channels by s and multiplies W's by s,
                      so X·Wᵀ is unchanged and the outliers move into the weight.
                    </p>
                  )}
                  <OutlierHeatmap
                    data={d.heatmap}
                    shape={[wr, wc]}
                    viewport={configViewport({ ...c, r0: null, r1: null }, wr, wc)}
                    onViewportChange={(v) => setConfig({ c0: v.col0, c1: v.col1 }, 'replace')}
                    beforeLabel="W before"
                    afterLabel={`W after ${c.transform}`}
                    rowLabel="output feature (row)"
                    rowName="output feature"
                    colLabel="input channel (column)"
                    cmap={c.cmap}
                    colourScale={c.colourScale}
                    onColourScaleChange={(s) => setConfig({ colourScale: s })}
                    barLog={c.barScale === 'log'}
                    onBarLogChange={(log) => setConfig({ barScale: log ? 'log' : 'linear' })}
                    symbol="w"
                    onHover={onHoverW}
                    hoverDetail={wantW ? <ElementReadout data={probe.data} want={wantW} labelOf={formatLabel} error={probe.status === 'error' ? probe.error : null} /> : null}
                    caption={`|w| of ${d.name} [${wr}, ${wc}] before and after ${c.transform}, same columns as the activation`}
                    pending={whm.status === 'running'}
                  />
                </>
              );
            }}
          </JobView>
        </div>
      )}
    </div>
  );
}
