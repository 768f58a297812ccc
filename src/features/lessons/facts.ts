/**
 * Live numbers in lesson text. A lesson paragraph is plain text with
 * `{token}` placeholders; each token names one number read from the current
 * job results (never pasted into the text). Tokens:
 *   sqnr:F            SQNR of format F in dB                 (metrics)
 *   dsqnr:A:B         SQNR of A minus SQNR of B, dB          (metrics)
 *   bits:F            bits per element of F, scales included (metrics)
 *   ratio:A:B         bits of A / bits of B                  (metrics)
 *   kib:F             this tensor stored in F, KiB           (metrics)
 *   gb7b:F            7·10⁹ parameters stored in F, GB       (metrics)
 *   tps:F             7·10⁹ parameters read at 1 TB/s: reads per second (metrics)
 *   sat:F             elements clipped (saturated) by F      (metrics)
 *   blocksSat:F       blocks with a clipped element          (metrics)
 *   blocks:F          blocks of F in this tensor             (metrics)
 *   meanErr:F         mean of x̂ − x (≈, from the shared error histogram)
 *   rmsErr:F          √MSE of F                              (metrics)
 *   max:F             largest finite element of F (registry constant)
 *   peak              max|x| / std of the tensor            (tensor)
 *   colRatio          max / median of the per-channel max|x| (heatmap, before the transform)
 *   colRatioAfter     the same after the transform           (heatmap)
 * Pure: no React, no store. The panel passes the result entries in.
 */
import { getFormat, isFormatId, type FormatId } from '../../core/formats/registry.ts';
import type { ResultEntry } from '../../state/slices/resultsSlice.ts';
import type { HeatmapCompareResult, MetricsData, TensorMeta } from '../../state/resultTypes.ts';

export interface FactSources {
  tensor: ResultEntry<TensorMeta>;
  metrics: ResultEntry<MetricsData>;
  heatmap: ResultEntry<HeatmapCompareResult>;
  /** the config's transform text: colRatioAfter needs one */
  transform: string;
}

export type FactValue =
  /** `stale`: the last good number, shown dimmed while the next one computes */
  | { state: 'ok'; text: string; value: number; stale: boolean }
  | { state: 'pending' }
  /** cannot be shown for this view; `why` is a short plain sentence */
  | { state: 'missing'; why: string };

export type Segment = { kind: 'text'; text: string } | { kind: 'fact'; token: string };

/** Splits lesson text at `{token}` placeholders. */
export function parseTemplate(text: string): Segment[] {
  const out: Segment[] = [];
  const re = /\{([A-Za-z0-9_:]+)\}/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > last) out.push({ kind: 'text', text: text.slice(last, m.index) });
    out.push({ kind: 'fact', token: m[1] });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ kind: 'text', text: text.slice(last) });
  return out;
}

/** Every token a text refers to. */
export function tokensOf(text: string): string[] {
  return parseTemplate(text).flatMap((s) => (s.kind === 'fact' ? [s.token] : []));
}

const PARAMS_7B = 7e9;
const BANDWIDTH_BYTES_PER_S = 1e12;

const trim = (s: string) => (s.includes('.') ? s.replace(/\.?0+$/, '') : s);
const group = (n: number) => Math.round(n).toLocaleString('en-US');
export const fmtDb = (db: number) => (db === Infinity ? 'exact (∞ dB)' : `${db.toFixed(1)} dB`);
const fmtSigned = (v: number) => {
  if (v === 0) return '0';
  const a = Math.abs(v);
  const s = a >= 0.01 && a < 1000 ? trim(a.toPrecision(2)) : a.toExponential(1);
  return `${v < 0 ? '−' : '+'}${s}`;
};
const fmtSmall = (v: number) => (v !== 0 && (Math.abs(v) < 0.01 || Math.abs(v) >= 1e4) ? v.toExponential(1) : trim(v.toPrecision(3)));

const ok = (text: string, value: number, stale: boolean): FactValue => ({ state: 'ok', text, value, stale });

function entryState<T>(e: ResultEntry<T>, what: string): FactValue | T {
  if (e.data !== null) return e.data;
  if (e.status === 'error') return { state: 'missing', why: `${what} could not be computed: ${e.error ?? 'unknown error'}` };
  return { state: 'pending' };
}

const isFact = (v: unknown): v is FactValue => typeof v === 'object' && v !== null && 'state' in v;
const staleOf = (e: ResultEntry) => e.forKey !== e.wantedKey || e.status === 'running';

/** The number a token refers to under the current results. */
export function evalFact(token: string, src: FactSources): FactValue {
  const [name, a, b] = token.split(':');

  if (name === 'max') {
    if (!a || !isFormatId(a)) return { state: 'missing', why: `unknown format "${a}"` };
    const max = getFormat(a).max;
    return max === undefined ? { state: 'missing', why: 'no fixed maximum' } : ok(group(max), max, false);
  }

  if (name === 'peak') {
    const t = entryState(src.tensor, 'the tensor');
    if (isFact(t)) return t;
    const { absmax, std } = t.summary;
    if (!(std > 0)) return { state: 'missing', why: 'the tensor is constant' };
    const r = absmax / std;
    return ok(`${trim(r.toFixed(r < 10 ? 1 : 0))}×`, r, staleOf(src.tensor));
  }

  if (name === 'colRatio' || name === 'colRatioAfter') {
    const h = entryState(src.heatmap, 'the channel profile');
    if (isFact(h)) return h;
    const side = name === 'colRatio' ? h.before : h.after;
    if (!side) {
      return src.transform === 'none'
        ? { state: 'missing', why: 'no transform is applied' }
        : { state: 'missing', why: 'the channel profile after the transform is not computed in this build' };
    }
    const r = side.profile.colMaxMedianRatio;
    return ok(Number.isFinite(r) ? `${trim(r.toFixed(r < 10 ? 1 : 0))}×` : '∞×', r, staleOf(src.heatmap));
  }

  // the rest read per-format metrics
  const m = entryState(src.metrics, 'the metrics');
  if (isFact(m)) return m;
  const stale = staleOf(src.metrics);
  const fa = a && isFormatId(a) ? a : null;
  const fb = b && isFormatId(b) ? b : null;
  if (!fa) return { state: 'missing', why: `unknown format "${a ?? ''}"` };
  const find = (f: FormatId) => m.analysis.perFormat.find((p) => p.format === f);
  const row = (f: FormatId) => m.rows.find((r) => r.format === f);
  const notCompared = (f: FormatId): FactValue => {
    const failed = m.failures.find((x) => x.format === f);
    return failed
      ? { state: 'missing', why: `${getFormat(f).label}: ${failed.message}` }
      : { state: 'missing', why: `add ${getFormat(f).label} to "Compare side by side"` };
  };
  const pa = find(fa);
  if (!pa) return notCompared(fa);
  const numel = m.analysis.rows * m.analysis.cols;

  switch (name) {
    case 'sqnr':
      return ok(fmtDb(pa.metrics.sqnrDb), pa.metrics.sqnrDb, stale);
    case 'bits':
      return ok(`${trim(pa.bitsPerElement.toFixed(2))} bits`, pa.bitsPerElement, stale);
    case 'kib': {
      const kib = (pa.bitsPerElement * numel) / 8 / 1024;
      return ok(`${group(kib)} KiB`, kib, stale);
    }
    case 'gb7b': {
      const gb = (pa.bitsPerElement * PARAMS_7B) / 8 / 1e9;
      return ok(`${gb.toFixed(1)} GB`, gb, stale);
    }
    case 'tps': {
      const perS = BANDWIDTH_BYTES_PER_S / ((pa.bitsPerElement * PARAMS_7B) / 8);
      return ok(group(perS), perS, stale);
    }
    case 'sat':
      return ok(group(pa.saturated), pa.saturated, stale);
    case 'blocksSat':
    case 'blocks': {
      const r = row(fa);
      if (!r) return notCompared(fa);
      const v = name === 'blocks' ? r.blocks : r.blocksSaturated;
      return ok(group(v), v, stale);
    }
    case 'rmsErr': {
      const v = Math.sqrt(pa.metrics.mse);
      return ok(fmtSmall(v), v, stale);
    }
    case 'meanErr': {
      const edges = m.analysis.errorBinEdges;
      let sum = 0;
      let n = 0;
      for (let i = 0; i < pa.errorCounts.length; i++) {
        const c = pa.errorCounts[i];
        sum += c * 0.5 * (edges[i] + edges[i + 1]);
        n += c;
      }
      if (n === 0) return { state: 'missing', why: 'no finite errors' };
      const v = sum / n;
      return ok(`≈ ${fmtSigned(v)}`, v, stale);
    }
    case 'dsqnr':
    case 'ratio': {
      if (!fb) return { state: 'missing', why: `unknown format "${b ?? ''}"` };
      const pb = find(fb);
      if (!pb) return notCompared(fb);
      if (name === 'ratio') {
        const r = pa.bitsPerElement / pb.bitsPerElement;
        return ok(`${r.toFixed(1)}×`, r, stale);
      }
      const d = pa.metrics.sqnrDb - pb.metrics.sqnrDb;
      if (!Number.isFinite(d)) return { state: 'missing', why: 'one of them is exact' };
      return ok(`${d.toFixed(1)} dB`, d, stale);
    }
    default:
      return { state: 'missing', why: `unknown number "${token}"` };
  }
}
