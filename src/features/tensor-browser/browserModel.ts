/**
 * Pure helpers of the tensor browser: filtering by name, grouping by layer,
 * the per-dtype parameter summary and number formatting. Display only.
 */
import type { TensorInfo } from '../../core/io/types.ts';
import { parseTensorName } from '../../core/model/names.ts';
import { packedPartNames } from '../../core/model/scan.ts';
import { numel } from '../../core/tensor.ts';

/** elements of a shape (core/tensor numel, under the name the browser uses) */
export const numelOf = numel;

/** Tensors whose name contains every whitespace-separated term (case-insensitive). */
export function filterTensors(tensors: readonly TensorInfo[], query: string): TensorInfo[] {
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (terms.length === 0) return [...tensors];
  return tensors.filter((t) => {
    const n = t.name.toLowerCase();
    return terms.every((term) => n.includes(term));
  });
}

export interface TensorGroup {
  /** "layer 3", or "outside the layers" */
  label: string;
  layer: number | null;
  tensors: TensorInfo[];
}

/** Groups by the layer index parsed from the name; tensors outside the blocks first, then layers ascending. */
export function groupByLayer(tensors: readonly TensorInfo[]): TensorGroup[] {
  const byLayer = new Map<number | null, TensorInfo[]>();
  for (const t of tensors) {
    const layer = parseTensorName(t.name).layer;
    let g = byLayer.get(layer);
    if (!g) byLayer.set(layer, (g = []));
    g.push(t);
  }
  return [...byLayer.entries()]
    .sort(([a], [b]) => (a === null ? -1 : b === null ? 1 : a - b))
    .map(([layer, ts]) => ({ label: layer === null ? 'outside the layers' : `layer ${layer}`, layer, tensors: ts }));
}

export interface DtypeCount {
  dtype: string;
  tensors: number;
  params: number;
  bytes: number;
}

/**
 * Parameters per stored dtype, counting logical tensors (the stored parts of a
 * packed tensor, e.g. `*_blocks` / `*_scales`, belong to it and are not counted again).
 */
export function dtypeSummary(tensors: readonly TensorInfo[]): { byDtype: DtypeCount[]; params: number; bytes: number; tensors: number } {
  const parts = packedPartNames(tensors);
  const m = new Map<string, DtypeCount>();
  let params = 0, bytes = 0, count = 0;
  for (const t of tensors) {
    if (parts.has(t.name)) continue;
    const n = numelOf(t.shape);
    let d = m.get(t.dtype);
    if (!d) m.set(t.dtype, (d = { dtype: t.dtype, tensors: 0, params: 0, bytes: 0 }));
    d.tensors++;
    d.params += n;
    d.bytes += t.byteSize;
    params += n;
    bytes += t.byteSize;
    count++;
  }
  return { byDtype: [...m.values()].sort((a, b) => b.params - a.params), params, bytes, tensors: count };
}

/** 1234 → "1.23 K", 7.2e9 → "7.20 B" (parameter counts). */
export function fmtCount(n: number): string {
  if (n < 1000) return String(n);
  const units = ['K', 'M', 'B', 'T'];
  let i = -1;
  let v = n;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v.toFixed(v < 10 ? 2 : v < 100 ? 1 : 0)} ${units[i]}`;
}

/** Bytes in decimal units: 512 B, 40.96 KB, 1.20 GB. */
export function fmtBytes(b: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (b >= 1000 && i < units.length - 1) {
    b /= 1000;
    i++;
  }
  return `${i ? b.toFixed(2) : Math.round(b)} ${units[i]}`;
}

/** "[160, 128]" */
export const fmtShape = (shape: readonly number[]) => `[${shape.join(', ')}]`;

/** Row ids for the DOM (tensor names may hold any printable character). */
export function rowId(prefix: string, index: number): string {
  return `${prefix}-r${index}`;
}
