/**
 * Per-format result cache of the multi-format jobs (metrics, trade-off points,
 * outlier split). A job's key names every compared format, so adding, removing
 * or reordering one format changes the key; the cache keeps each format's
 * result under (tensor key + that format's full quant options + transform
 * part), so only the new format is computed. Bounded LRU; entries of a tensor
 * are dropped with the tensor.
 */
import type { QuantOptions } from '../core/quant/options.ts';

/** Stable text of quant options: object keys sorted at every depth (granularity is an object); undefined fields left out. */
export function optionsText(opts: QuantOptions | Record<string, unknown>): string {
  return JSON.stringify(opts, (_k, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : v);
}

/** Cache key of one format's result: `${tensorKey}#${job}#${options}#${extra}` (the tensor key first, for dropTensor). */
export function formatCacheKey(tensorKey: string, job: string, opts: QuantOptions | Record<string, unknown>, extra = ''): string {
  return `${tensorKey}\u0000${job}\u0000${optionsText(opts)}\u0000${extra}`;
}

export class FormatCache {
  private readonly map = new Map<string, unknown>();
  constructor(readonly capacity = 64) {}

  get<T>(key: string): T | undefined {
    if (!this.map.has(key)) return undefined;
    const v = this.map.get(key);
    // most recently used last
    this.map.delete(key);
    this.map.set(key, v);
    return v as T;
  }

  set<T>(key: string, value: T): void {
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as string);
  }

  /** Forget every entry computed on `tensorKey` (the tensor was dropped from the workers). */
  dropTensor(tensorKey: string): void {
    const prefix = `${tensorKey}\u0000`;
    for (const k of [...this.map.keys()]) if (k.startsWith(prefix)) this.map.delete(k);
  }

  get size(): number {
    return this.map.size;
  }
}
