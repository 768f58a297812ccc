/** Text and colour for the model-scan panels (display only; numbers come from core/model). */
import { getLut, lutCss } from '../../plot/colormaps.ts';
import type { ScanMetric } from '../../core/model/groups.ts';

export const METRIC_LABEL: Record<ScanMetric, string> = {
  sqnrDb: 'SQNR (dB)', mse: 'MSE', maxAbsErr: 'max |error|', saturatedFraction: 'saturated fraction',
};

export function fmtMetric(metric: ScanMetric, v: number): string {
  if (metric === 'sqnrDb') return Number.isFinite(v) ? v.toFixed(1) : '∞';
  if (metric === 'saturatedFraction') return v === 0 ? '0' : v < 1e-3 ? v.toExponential(1) : `${(v * 100).toFixed(2)}%`;
  return v === 0 ? '0' : v.toExponential(2);
}

export function fmtBytes(b: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (b >= 1000 && i < units.length - 1) { b /= 1000; i++; }
  return `${i ? b.toFixed(2) : Math.round(b)} ${units[i]}`;
}

export const fmtDb = (v: number) => (Number.isFinite(v) ? `${v.toFixed(2)} dB` : '∞ (exact)');
export const fmtErr = (v: number) => (Number.isFinite(v) ? v.toPrecision(4) : '—');

/**
 * Background of a cell: viridis over one shared domain so every cell is
 * comparable (ARCHITECTURE rule 8); bright = good (high SQNR, low error).
 * Error metrics use log10. Returns the CSS colour and a readable text colour.
 */
export function cellColour(metric: ScanMetric, v: number, domain: [number, number]): { background: string; color: string } {
  const lut = getLut('viridis');
  const t0 = metric === 'sqnrDb' ? v : -Math.log10(Math.max(v, 1e-30));
  const [lo, hi] = domain;
  const t = !Number.isFinite(t0) ? 1 : hi > lo ? Math.min(1, Math.max(0, (t0 - lo) / (hi - lo))) : 0.5;
  return { background: lutCss(lut, t * 255), color: t > 0.55 ? '#111' : '#fff' };
}

/** The shared colour domain (in cellColour's transformed units) over finite values. */
export function colourDomain(metric: ScanMetric, values: number[]): [number, number] {
  const ts = values.map((v) => (metric === 'sqnrDb' ? v : -Math.log10(Math.max(v, 1e-30)))).filter(Number.isFinite);
  if (!ts.length) return [0, 1];
  return [Math.min(...ts), Math.max(...ts)];
}
