/**
 * Grouping, aggregation and ranking of scan rows for the layer × format table
 * (pure; the panels only draw what these return).
 *
 * A group's SQNR is the energy ratio over all its tensors,
 * 10·log10(Σ signalEnergy / Σ noiseEnergy) (not a mean of dB values), its MSE is
 * Σ noise / Σ counted elements, its max error the max, its saturated fraction
 * Σ saturated / Σ numel. So a group of one tensor shows exactly that tensor's row.
 */
import { MODULE_ORDER, type ModuleFamily, type ModuleType } from './names.ts';
import type { ScanRow } from './scan.ts';

export type GroupBy = 'tensor' | 'layer' | 'module' | 'family';
export type ScanMetric = 'sqnrDb' | 'mse' | 'maxAbsErr' | 'saturatedFraction';
/** 'name' keeps checkpoint/layer order; a variant label sorts by that column, worst first. */
export type SortKey = { by: 'name' } | { by: 'variant'; variant: string; metric: ScanMetric };

export interface CellStats {
  sqnrDb: number;
  mse: number;
  maxAbsErr: number;
  saturatedFraction: number;
  numel: number;
  /** tensors aggregated into this cell */
  tensors: number;
}

export interface MatrixRow {
  /** stable key: tensor name, "layer 12", module type or family */
  key: string;
  label: string;
  layer: number | null;
  /** set when the row is one tensor (groupBy 'tensor'): click-through target */
  tensorName?: string;
  /** one cell per variant, in `variants` order; null when that variant was not scanned for this row */
  cells: (CellStats | null)[];
}

export interface ScanMatrix {
  variants: string[];
  rows: MatrixRow[];
}

/** Σ (x̂ − x)² of a row, from its MSE and counted elements (float64). */
export function noiseEnergy(r: ScanRow): number {
  return r.mse * (r.numel - r.nonfinite);
}

export function aggregate(rows: readonly ScanRow[]): CellStats {
  let sig = 0, noise = 0, counted = 0, numel = 0, sat = 0, maxErr = 0;
  for (const r of rows) {
    sig += r.signalEnergy;
    noise += noiseEnergy(r);
    counted += r.numel - r.nonfinite;
    numel += r.numel;
    sat += r.saturated;
    if (r.maxAbsErr > maxErr) maxErr = r.maxAbsErr;
  }
  return {
    sqnrDb: noise === 0 ? Infinity : 10 * Math.log10(sig / noise),
    mse: counted ? noise / counted : 0,
    maxAbsErr: maxErr,
    saturatedFraction: numel ? sat / numel : 0,
    numel,
    tensors: rows.length,
  };
}

function groupKey(r: ScanRow, by: GroupBy): { key: string; label: string; layer: number | null } {
  switch (by) {
    case 'tensor': return { key: r.name, label: r.name, layer: r.layer };
    case 'layer': return r.layer === null ? { key: `other:${r.family}`, label: r.family, layer: null } : { key: `layer ${r.layer}`, label: `layer ${r.layer}`, layer: r.layer };
    case 'module': return { key: r.family === 'experts' ? `experts ${r.module}` : r.module, label: r.family === 'experts' ? `experts ${r.module}` : r.module, layer: null };
    case 'family': return { key: r.family, label: r.family, layer: null };
  }
}

/** Is `a` worse than `b` for this metric (lower SQNR, higher error)? */
export function worseFirst(metric: ScanMetric, a: number, b: number): number {
  return metric === 'sqnrDb' ? a - b : b - a;
}

/**
 * The table: one row per group, one column per variant (scan order of first
 * appearance unless `variants` is given). Rows keep first-appearance order
 * (the checkpoint's order) for 'tensor', layer order for 'layer', MODULE_ORDER for
 * 'module'/'family'; `sort` by a column puts the worst first (missing cells last).
 */
export function buildScanMatrix(rows: readonly ScanRow[], groupBy: GroupBy, sort: SortKey = { by: 'name' }, variants?: string[]): ScanMatrix {
  const cols = variants ?? [...new Set(rows.map((r) => r.variant))];
  const colIndex = new Map(cols.map((v, i) => [v, i]));
  const groups = new Map<string, { key: string; label: string; layer: number | null; tensorName?: string; order: number; byVariant: ScanRow[][] }>();
  for (const r of rows) {
    const ci = colIndex.get(r.variant);
    if (ci === undefined) continue;
    const k = groupKey(r, groupBy);
    let g = groups.get(k.key);
    if (!g) {
      g = { ...k, order: groups.size, byVariant: cols.map(() => []), ...(groupBy === 'tensor' ? { tensorName: r.name } : {}) };
      groups.set(k.key, g);
    }
    g.byVariant[ci].push(r);
  }
  const out: MatrixRow[] = [...groups.values()]
    .sort((a, b) => naturalOrder(groupBy, a, b))
    .map((g) => ({
      key: g.key, label: g.label, layer: g.layer, ...(g.tensorName ? { tensorName: g.tensorName } : {}),
      cells: g.byVariant.map((rs) => (rs.length ? aggregate(rs) : null)),
    }));
  if (sort.by === 'variant') {
    const ci = colIndex.get(sort.variant);
    if (ci !== undefined) {
      out.sort((a, b) => {
        const x = a.cells[ci], y = b.cells[ci];
        if (!x || !y) return x ? -1 : y ? 1 : 0;
        return worseFirst(sort.metric, x[sort.metric], y[sort.metric]);
      });
    }
  }
  return { variants: cols, rows: out };
}

function moduleRank(label: string): number {
  const m = label.replace(/^experts /, '') as ModuleType;
  const i = MODULE_ORDER.indexOf(m);
  return (i < 0 ? MODULE_ORDER.length : i) + (label.startsWith('experts ') ? 0.5 : 0);
}

const FAMILY_ORDER: readonly ModuleFamily[] = ['embeddings', 'attention', 'mlp', 'experts', 'norms', 'other'];

function naturalOrder(by: GroupBy, a: { label: string; layer: number | null; order: number }, b: { label: string; layer: number | null; order: number }): number {
  if (by === 'layer') {
    if (a.layer !== null && b.layer !== null) return a.layer - b.layer;
    if (a.layer !== null || b.layer !== null) return a.layer === null ? 1 : -1;
  }
  if (by === 'module') return moduleRank(a.label) - moduleRank(b.label) || a.order - b.order;
  if (by === 'family') return FAMILY_ORDER.indexOf(a.label as ModuleFamily) - FAMILY_ORDER.indexOf(b.label as ModuleFamily);
  return a.order - b.order;
}

/** The `n` worst tensors of one variant by `metric` (lowest SQNR / highest error first). */
export function worstTensors(rows: readonly ScanRow[], variant: string, n: number, metric: ScanMetric = 'sqnrDb'): ScanRow[] {
  return rows
    .filter((r) => r.variant === variant)
    .sort((a, b) => worseFirst(metric, a[metric], b[metric]) || a.name.localeCompare(b.name))
    .slice(0, Math.max(0, n));
}
