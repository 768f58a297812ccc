/**
 * SVDQuant (DOMAIN §5): the singular values of the smoothed weight W′, the
 * W4A4 matmul error versus the rank of the fp16 branch, the residual's |x|
 * before/after removing the branch (one viewport, one colour domain), and the
 * bytes the branch costs. Props in, callbacks out.
 */
import { useRef, useState } from 'react';
import type { HeatmapCompareResult, Viewport } from '../../core/analysis/types.ts';
import { LineChart, type LineSeries } from '../../plot/LineChart.tsx';
import { ExportButtons } from '../../plot/ExportButtons.tsx';
import { OutlierHeatmap } from '../outlier-heatmap/OutlierHeatmap.tsx';
import { fmtBits, fmtInt, fmtNum } from '../export/format.ts';

export interface RankCurve {
  format: string;
  label: string;
  points: readonly { rank: number; sqnrDb: number; mse: number }[];
}

export interface SvdQuantPanelProps {
  rank: number;
  alpha: number;
  /** top singular values of W′ (descending) and ‖W′‖_F² */
  spectrum: { values: ArrayLike<number>; frobSq: number } | null;
  curves: readonly RankCurve[];
  heatmap: HeatmapCompareResult | null;
  /** the comparison is stopped (cancelled): say so where a chart has no points yet, instead of "Computing…" */
  stopped?: boolean;
  /** [O, C] of the weight */
  shape: readonly [number, number] | null;
  extraBytes: number | null;
  addedBits: number | null;
  cmap?: 'viridis' | 'cividis';
  caption: string;
}

export function SvdQuantPanel(p: SvdQuantPanelProps) {
  const figRef = useRef<HTMLElement>(null);
  const [viewport, setViewport] = useState<Viewport | null>(null);
  const sv = p.spectrum;
  let energy = '';
  if (sv && p.rank > 0 && sv.frobSq > 0) {
    let e = 0;
    for (let k = 0; k < Math.min(p.rank, sv.values.length); k++) e += sv.values[k] * sv.values[k];
    energy = `The top ${p.rank} singular value${p.rank > 1 ? 's hold' : ' holds'} ${(100 * e / sv.frobSq).toFixed(1)}% of ‖W′‖².`;
  }
  const curveSeries: LineSeries[] = p.curves.map((c) => ({ label: c.label, points: c.points.map((q) => ({ x: q.rank, y: q.sqnrDb, label: `r=${q.rank}` })) }));
  const marks = p.curves.flatMap((c) => c.points.filter((q) => q.rank === p.rank).map((q) => ({ x: q.rank, y: q.sqnrDb, label: c.label })));
  if (marks.length) curveSeries.push({ label: `rank ${p.rank}`, colour: '#000', dashed: true, points: marks });
  const vp = viewport ?? (p.heatmap ? p.heatmap.before.grid.viewport : null);
  return (
    <section aria-label="SVDQuant" className="methods-svdquant">
      <h3>SVDQuant: smoothing, then a rank-{p.rank} fp16 branch absorbs what 4 bits cannot hold (W4A4)</h3>
      <figure ref={figRef} style={{ margin: 0 }}>
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 12 }}>
          {sv && sv.values.length > 0
            ? <LineChart series={[{ label: `σ_k of W′ (α = ${p.alpha})`, points: Array.from(sv.values, (v, k) => ({ x: k + 1, y: v, label: `k=${k + 1}` })) }]}
                xLabel="k" yLabel="singular value σ_k" yLog title="Singular value spectrum of the smoothed weight W′ (log scale)" width={360} height={200} />
            : <p>{sv ? 'Rank 0: no branch.' : p.stopped ? 'The spectrum is not computed: the comparison was cancelled.' : 'Computing the spectrum…'}</p>}
          {p.curves.some((c) => c.points.length > 0)
            ? <LineChart series={curveSeries} xLabel="rank of the fp16 branch" yLabel="matmul SQNR (dB)" title="SVDQuant W4A4 matmul SQNR versus rank" width={420} height={200} />
            : <p>{p.stopped ? 'The error-versus-rank curve is not computed: the comparison was cancelled.' : 'Computing the error-versus-rank curve…'}</p>}
        </div>
        <figcaption>{p.caption}</figcaption>
      </figure>
      <ExportButtons target={figRef} caption={p.caption} label="Export SVDQuant charts" />
      <p>
        {energy}{' '}
        {p.extraBytes !== null && p.addedBits !== null && (
          <>The fp16 branch (rank {p.rank} · (out + in) · 2 bytes) costs <strong>{fmtInt(p.extraBytes)} bytes</strong>, {fmtBits(p.addedBits)} extra bits per weight element.</>
        )}
      </p>
      {p.heatmap && p.shape && vp && (
        <OutlierHeatmap data={p.heatmap} shape={p.shape} viewport={vp} onViewportChange={setViewport}
          beforeLabel="W′ (smoothed weight)" afterLabel={`residual W′ − L (rank ${p.rank})`} rowLabel="output channel" colLabel="input channel"
          cmap={p.cmap} width={300} height={200}
          caption={`|W′| before and after removing the rank-${p.rank} branch, one viewport and one colour domain. ${fmtNum(p.heatmap.colourDomain[1])} is the largest |x| of the two.`} />
      )}
    </section>
  );
}
