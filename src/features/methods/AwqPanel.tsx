/**
 * AWQ (DOMAIN §5, weight-only): the matmul error over α with the chosen α
 * marked, the per-channel scales against the activation's channel magnitude
 * (salient channels highlighted: they get the largest scales, so their weights
 * keep more precision), and plain versus AWQ-scaled W4A16 quantization.
 * Props in, callbacks out.
 */
import { useRef, useState } from 'react';
import { LineChart, type LineSeries } from '../../plot/LineChart.tsx';
import { ExportButtons } from '../../plot/ExportButtons.tsx';
import { Toggle } from '../export/Toggle.tsx';
import { fmtBits, fmtNum, fmtSqnr } from '../export/format.ts';

export interface AwqCurve {
  format: string;
  label: string;
  /** computed α points (may be partial while computing) */
  points: readonly { alpha: number; mse: number; sqnrDb: number }[];
  /** fixed α, or the search result once every α is in */
  chosen: number | null;
}

export interface AwqScales {
  alpha: number;
  /** s [C] and a_j = mean |X[:, j]| [C] */
  scales: ArrayLike<number>;
  means: ArrayLike<number>;
}

export interface W4a16Row {
  format: string;
  label: string;
  /** α = 0 (s = 1): plain weight-only quantization */
  plain: { sqnrDb: number; mse: number } | null;
  awq: { alpha: number; sqnrDb: number; mse: number } | null;
  wBits: number | null;
}

export interface AwqPanelProps {
  curves: readonly AwqCurve[];
  /** format of the scale plot and the highlighted curve */
  focus: string;
  scales: AwqScales | null;
  w4a16: readonly W4a16Row[];
  caption: string;
  /** the comparison is stopped (cancelled): say so where a chart has no points yet, instead of "Computing…" */
  stopped?: boolean;
}

/** Channels with the largest mean |x| (top 1%, at least 1): AWQ's salient channels. */
export function salientChannels(means: ArrayLike<number>): Set<number> {
  const idx = Array.from({ length: means.length }, (_, i) => i).sort((a, b) => means[b] - means[a]);
  return new Set(idx.slice(0, Math.max(1, Math.round(means.length / 100))));
}

export function AwqPanel({ curves, focus, scales, w4a16, caption, stopped = false }: AwqPanelProps) {
  const [metric, setMetric] = useState<'mse' | 'sqnr'>('mse');
  const figRef = useRef<HTMLElement>(null);
  const y = (p: { mse: number; sqnrDb: number }) => (metric === 'mse' ? p.mse : p.sqnrDb);
  const series: LineSeries[] = curves.map((c) => ({
    label: c.label, dashed: c.format !== focus,
    points: c.points.map((p) => ({ x: p.alpha, y: y(p), label: `α=${p.alpha}` })),
  }));
  const focusCurve = curves.find((c) => c.format === focus);
  const chosenPt = focusCurve?.chosen != null ? focusCurve.points.find((p) => p.alpha === focusCurve.chosen) : undefined;
  if (chosenPt) series.push({ label: `chosen α = ${focusCurve!.chosen}`, colour: '#000', points: [{ x: chosenPt.alpha, y: y(chosenPt), label: `α*=${chosenPt.alpha}` }] });

  let scatter: LineSeries[] = [];
  let salientNote = '';
  if (scales) {
    const sal = salientChannels(scales.means);
    const pts = (keep: (j: number) => boolean) => {
      const out: { x: number; y: number; label: string }[] = [];
      for (let j = 0; j < scales.means.length; j++) if (keep(j) && scales.means[j] > 0) out.push({ x: scales.means[j], y: scales.scales[j], label: `channel ${j}` });
      return out;
    };
    scatter = [
      { label: 'channels', points: pts((j) => !sal.has(j)), colour: '#0072B2' },
      { label: `salient (top 1% by mean |x|)`, points: pts((j) => sal.has(j)), colour: '#D55E00' },
    ];
    const sorted = Array.from(scales.scales).sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    let salMin = Infinity;
    for (const j of sal) salMin = Math.min(salMin, scales.scales[j]);
    salientNote = `At α = ${scales.alpha}, the ${sal.size} salient channel${sal.size > 1 ? 's get' : ' gets'} scales of at least ${fmtNum(salMin)} (${fmtNum(salMin / median)}× the median ${fmtNum(median)}): their weight columns are multiplied up before rounding, so they lose less precision, and X is divided by the same s.`;
  }

  return (
    <section aria-label="AWQ" className="methods-awq">
      <h3>AWQ: activation-aware weight scaling (weight-only, W4A16)</h3>
      <Toggle legend="Error" value={metric} onChange={setMetric} options={[{ value: 'mse', label: 'MSE of Ŷ' }, { value: 'sqnr', label: 'SQNR of Ŷ (dB)' }]} />
      <figure ref={figRef} style={{ margin: 0 }}>
        {series.some((s) => s.points.length > 0)
          ? <LineChart series={series} xLabel="α" yLabel={metric === 'mse' ? 'matmul MSE' : 'matmul SQNR (dB)'} yLog={metric === 'mse'}
              title={`AWQ matmul error versus α (${metric === 'mse' ? 'MSE' : 'SQNR'})`} width={520} height={220} />
          : <p>{stopped ? 'The α curve is not computed: the comparison was cancelled (Resume goes on).' : 'Computing the α curve…'}</p>}
        {scales && (
          <LineChart series={scatter} xLabel="channel magnitude mean |X[:, j]|" yLabel="scale s_j" xLog yLog
            title={`AWQ per-channel scale versus activation channel magnitude, α = ${scales.alpha}`} width={520} height={200} />
        )}
        <figcaption>{caption}</figcaption>
      </figure>
      {salientNote && <p>{salientNote}</p>}
      <ExportButtons target={figRef} caption={caption} label="Export AWQ charts" />
      <table className="metrics-table">
        <caption>Weight-only (W4A16): plain per-format quantization of W versus AWQ-scaled (X stays unquantized)</caption>
        <thead>
          <tr><th scope="col">weight format</th><th scope="col">plain SQNR (dB)</th><th scope="col">AWQ SQNR (dB)</th><th scope="col">AWQ α</th><th scope="col">gain (dB)</th><th scope="col">bits/element (W)</th></tr>
        </thead>
        <tbody>
          {w4a16.map((r) => (
            <tr key={r.format}>
              <th scope="row">{r.label}</th>
              <td>{r.plain ? fmtSqnr(r.plain.sqnrDb) : '…'}</td>
              <td>{r.awq ? fmtSqnr(r.awq.sqnrDb) : '…'}</td>
              <td>{r.awq ? r.awq.alpha : '…'}</td>
              <td>{r.plain && r.awq ? (r.awq.sqnrDb - r.plain.sqnrDb).toFixed(2) : '…'}</td>
              <td>{r.wBits !== null ? fmtBits(r.wBits) : '…'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
