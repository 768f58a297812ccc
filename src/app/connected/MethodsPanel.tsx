/**
 * Store → props adapter of the methods panel (issue 9): reads the points the
 * engine computed (state/slices/methods.ts) by the same task keys the plan
 * uses, and writes the controls back to the config (transform=awq[:α] /
 * svdquant:R[:α] when the transform names the method, else the methods-* keys).
 */
import { getFormat, isFormatId, type FormatId } from '../../core/formats/registry.ts';
import { AWQ_ALPHAS } from '../../core/transforms/awq.ts';
import { formatTransform } from '../../core/transforms/parse.ts';
import type { AwqInfo, AwqPoint, MethodsPoint, PipePoint, SvdInfo, SvdPoint } from '../../../workers/methods.ts';
import { AwqPanel, type AwqCurve, type W4a16Row } from '../../features/methods/AwqPanel.tsx';
import { SvdQuantPanel, type RankCurve } from '../../features/methods/SvdQuantPanel.tsx';
import { MethodsTable } from '../../features/methods/MethodsTable.tsx';
import { MethodsControls } from '../../features/methods/MethodsControls.tsx';
import type { MethodsRow } from '../../features/methods/tableCsv.ts';
import {
  MAX_RANK, W4A16_FORMATS, W4A4_FORMATS, chosenAwqAlpha, curveDecompRank, curveRanks, methodsSettings, methodsWanted, pairOf, taskKey, tasks,
} from '../../state/methodsPlan.ts';
import { useAppStore } from '../../state/store.ts';
import { useConfigExcept } from './analysis/common.tsx';

const label = (f: string) => (isFormatId(f) ? getFormat(f).label : f);

export function MethodsPanel() {
  // pan/zoom of the heatmaps does not change the methods: skip those re-renders
  const config = useConfigExcept();
  const m = useAppStore((s) => s.methods);
  const setConfig = useAppStore((s) => s.setConfig);
  const request = useAppStore((s) => s.methodsRequest);
  const cancel = useAppStore((s) => s.methodsCancel);

  const active = methodsWanted(config, m.requested);
  const pr = pairOf(config);
  const pairKey = 'key' in pr ? pr.key : null;
  const shape = m.pairKey === pairKey ? m.shape : null;
  const s = methodsSettings(config, shape?.xShape[1] ?? (config.file === null ? config.size : null));
  const maxRank = shape ? Math.min(MAX_RANK, shape.wShape[0], shape.wShape[1]) : MAX_RANK;

  const setAwq = (alpha: number | null) => {
    if (s.awqFromTransform) setConfig({ transform: formatTransform({ kind: 'awq', alpha: alpha ?? undefined }) }, 'replace');
    else setConfig({ methodsAwq: alpha }, 'replace');
  };
  const setSvd = (rank: number, alpha: number) => {
    if (s.svdFromTransform && rank >= 1) setConfig({ transform: formatTransform({ kind: 'svdquant', rank, alpha }) }, 'replace');
    else setConfig({ methodsRank: rank, methodsAlpha: alpha }, 'replace');
  };

  const controls = (
    <MethodsControls awqAlpha={s.awqAlpha} onAwqAlpha={setAwq} rank={Math.min(s.rank, maxRank)} minRank={s.svdFromTransform ? 1 : 0} maxRank={maxRank}
      onRank={(r) => setSvd(r, s.svdAlpha)} svdAlpha={s.svdAlpha} onSvdAlpha={(a) => setSvd(s.rank, a)}
      status={m.status} done={m.done} total={m.total} active={active} onStart={request} onCancel={cancel} />
  );
  const intro = (
    <p>
      SmoothQuant, Hadamard, AWQ and SVDQuant on one activation/weight pair: X = {config.file === null ? `the activation sample` : config.tensor ?? '?'},
      W = {config.file === null ? `the weight sample (same size and seed: they share the outlier channels)` : config.weightTensor ?? '(pick weight-tensor)'}.
      Every number equals <code>quantscope quantize … --transform …</code> with the same options.
    </p>
  );
  if (!active) return <div>{intro}{controls}</div>;
  if ('error' in pr || (m.error && m.pairKey === pairKey) || (m.error && !pairKey)) {
    return <div>{intro}{controls}<p className="error-text" role="alert">{'error' in pr ? pr.error : m.error}</p></div>;
  }
  if (!shape || !pairKey) return <div>{intro}{controls}<p>Loading the pair…</p></div>;

  const get = <T extends MethodsPoint>(t: Parameters<typeof taskKey>[1]) => m.points[taskKey(pairKey, t)] as T | undefined;
  const rank = Math.min(s.rank, maxRank);
  const decomp = curveDecompRank(shape);
  const awqPoint = (alpha: number, f: FormatId) => get<AwqPoint>(tasks.awq(s, alpha, f));
  const chosenFor = (f: FormatId) => chosenAwqAlpha(s, (a) => awqPoint(a, f)?.mse);
  const opts = `granularity ${config.granularity}${config.scale !== 'absmax' ? `, scale ${config.scale}` : ''}${config.rounding !== 'rne' ? `, rounding ${config.rounding}` : ''}`;
  const pairText = `X [${shape.xShape.join(', ')}], W [${shape.wShape.join(', ')}]`;

  // AWQ
  const curveFormats = [...new Set([s.focusWeight, ...W4A16_FORMATS])];
  const curves: AwqCurve[] = curveFormats.map((f) => ({
    format: f, label: label(f), chosen: chosenFor(f),
    points: AWQ_ALPHAS.flatMap((a) => { const p = awqPoint(a, f); return p ? [{ alpha: a, mse: p.mse, sqnrDb: p.matmul.sqnrDb }] : []; }),
  }));
  const focusAlpha = chosenFor(s.focusWeight);
  const info = focusAlpha !== null ? get<AwqInfo>({ kind: 'awq-info', alpha: focusAlpha }) : undefined;
  const w4a16: W4a16Row[] = W4A16_FORMATS.map((f) => {
    const plain = awqPoint(0, f);
    const a = chosenFor(f);
    const ap = a !== null ? awqPoint(a, f) : undefined;
    return {
      format: f, label: label(f), wBits: plain?.wBits ?? null,
      plain: plain ? { sqnrDb: plain.matmul.sqnrDb, mse: plain.matmul.mse } : null,
      awq: ap && a !== null ? { alpha: a, sqnrDb: ap.matmul.sqnrDb, mse: ap.matmul.mse } : null,
    };
  });

  // SVDQuant
  const rankCurves: RankCurve[] = W4A4_FORMATS.map((f) => ({
    format: f, label: label(f),
    points: curveRanks(rank, decomp).flatMap((r) => {
      const p = get<SvdPoint>(tasks.svd(s, decomp, r, { a: f, w: f }));
      return p ? [{ rank: r, sqnrDb: p.matmul.sqnrDb, mse: p.matmul.mse }] : [];
    }),
  }));
  const svdInfo = get<SvdInfo>({ kind: 'svd-info', alpha: s.svdAlpha, decompRank: decomp, rank, seed: s.quant.seed, outRows: 256, outCols: 512 });

  // the comparison table
  const rows: MethodsRow[] = [];
  const errors: string[] = [];
  const fail = (t: Parameters<typeof taskKey>[1], what: string) => {
    const e = m.failed[taskKey(pairKey, t)];
    if (e) errors.push(`${what}: ${e}`);
  };
  for (const p of s.pairs) {
    for (const method of ['none', 'smooth', 'hadamard'] as const) {
      const t = tasks.pipe(s, method, p);
      const r = get<PipePoint>(t);
      const name = method === 'none' ? 'none' : method === 'smooth' ? 'SmoothQuant' : 'Hadamard';
      fail(t, `${name} ${label(p.a)}/${label(p.w)}`);
      rows.push({ method: name, transform: t.kind === 'pipe' ? t.transform : '', activationFormat: p.a, weightFormat: p.w, sqnrDb: r?.matmul.sqnrDb ?? null, mse: r?.matmul.mse ?? null, xBits: r?.xBits ?? null, wBits: r?.wBits ?? null });
    }
    const a = chosenFor(p.w);
    const ap = a !== null ? awqPoint(a, p.w) : undefined;
    rows.push({ method: 'AWQ', transform: s.awqAlpha === null ? `awq (α = ${a ?? '…'})` : `awq:${s.awqAlpha}`, activationFormat: p.a, weightFormat: p.w, sqnrDb: ap?.matmul.sqnrDb ?? null, mse: ap?.matmul.mse ?? null, xBits: ap?.xBits ?? null, wBits: ap?.wBits ?? null });
    const st = tasks.svd(s, rank, rank, p);
    fail(st, `SVDQuant ${label(p.a)}/${label(p.w)}`);
    const sp = get<SvdPoint>(st);
    rows.push({
      method: 'SVDQuant', transform: rank >= 1 ? formatTransform({ kind: 'svdquant', rank, alpha: s.svdAlpha }) : `svdquant rank 0 (= smooth:${s.svdAlpha})`,
      activationFormat: p.a, weightFormat: p.w, sqnrDb: sp?.matmul.sqnrDb ?? null, mse: sp?.matmul.mse ?? null, xBits: sp?.xBits ?? null, wBits: sp?.wBits ?? null,
    });
  }
  for (const [k, e] of Object.entries(m.failed)) if (!errors.some((x) => x.endsWith(e)) && k.startsWith(pairKey)) errors.push(e);

  return (
    <div>
      {intro}
      {controls}
      <MethodsTable rows={rows} labelOf={label} errors={[...new Set(errors)].slice(0, 6)}
        caption={`Methods on the pair ${pairText}: matmul SQNR of Ŷ versus Y = X·Wᵀ, ${opts}; W format = ${config.weightFormat ? label(config.weightFormat) : 'the A format'}`} />
      <AwqPanel stopped={m.status === 'cancelled'} curves={curves} focus={s.focusWeight} scales={info ? { alpha: info.alpha, scales: info.scales, means: info.means } : null} w4a16={w4a16}
        caption={`AWQ on ${pairText}, ${opts}: matmul error of Ŷ = (X/s)·Q(W·s)ᵀ versus α (${s.awqAlpha === null ? 'searched' : `fixed α = ${s.awqAlpha}`}); solid: ${label(s.focusWeight)}; α = 0 is plain weight-only quantization`} />
      <SvdQuantPanel stopped={m.status === 'cancelled'} rank={rank} alpha={s.svdAlpha} cmap={config.cmap} shape={[shape.wShape[0], shape.wShape[1]]}
        spectrum={svdInfo ? { values: svdInfo.singularValues, frobSq: svdInfo.frobSq } : null}
        curves={rankCurves} heatmap={svdInfo?.heatmap ?? null} extraBytes={svdInfo?.extraBytes ?? null} addedBits={svdInfo?.addedBits ?? null}
        caption={`SVDQuant on ${pairText}, smoothing α = ${s.svdAlpha}, ${opts}; curves from one seeded rank-${decomp} decomposition of W′ (the table's rank-${rank} row uses a rank-${rank} one, as the CLI does)`} />
    </div>
  );
}
