/**
 * A format's row-split quantization as chunk requests over the pool
 * (scheduler computeFormat): each slice cut into whole 128-row bands of at
 * most CHUNK_ELEMENTS, each worker posting its own slice's chunks front to
 * back, and, once those are all posted, the chunks of another slice whose rows
 * it also holds, back to front (work stealing). On a 2-core machine the worker
 * that shares its core with the page finished a seed change's four formats
 * 10-100 ms after the other, which then sat idle.
 *
 * Contract: the result per slice is its chunks' results in row order, whoever
 * computed them; a chunk's result depends only on its rows (draws by global
 * index, the tensor amax passed in), so merging them in that order gives the
 * same bits as without stealing (scheduler mergeSliceResults).
 */
import type { QuantOptions } from '../core/quant/options.ts';
import { getFormat } from '../core/formats/registry.ts';
import type { RowSlice } from './plan.ts';

/** elements of one quantSlice request when a slice is quantized in chunks */
export const CHUNK_ELEMENTS = 1 << 21;

/** a background format computation stopped between chunks because the config changed */
export const PRECOMPUTE_STOPPED = 'stopped: the settings changed';

/**
 * How a format's chunked quantization runs: `stop` is checked before each request (true: the
 * precompute's config is gone), `queued` says how many requests to keep queued per worker (with
 * two a worker starts its next chunk while the page takes in the last result: a busy main thread
 * between chunks left the workers idle for 50-240 ms per change).
 */
export interface ChunkControl {
  stop(): boolean;
  queued(): number;
}

/**
 * The rows per chunk of `sl`: whole 128-row bands of at most CHUNK_ELEMENTS, or all its rows (one
 * request) when it is one chunk already or a scalar format's block:RxC bands (R not dividing 128)
 * must not be cut at 128-row bands.
 */
export function chunkRows(sl: RowSlice, opts: QuantOptions, cols: number): number {
  const g = opts.granularity;
  const band = 128;
  const rows = sl.rowEnd - sl.rowStart;
  const rowsPer = Math.max(1, Math.floor(CHUNK_ELEMENTS / Math.max(1, cols) / band)) * band;
  if (rows <= rowsPer || (g.kind === 'block' && band % g.rows !== 0 && getFormat(opts.format).kind === 'scalar')) return Math.max(1, rows);
  return rowsPer;
}

/** One slice and where its rows are held: its own worker's handle, and other workers' (mirrors, whole copies). */
export interface SliceRows {
  slice: RowSlice;
  /** worker index → handle holding (at least) this slice's rows on that worker; has slice.worker */
  holders: ReadonlyMap<number, string>;
}

/** Posts the chunk [rowStart, rowEnd) of a slice to `worker` as `handle`'s rows. */
export type PostChunk<R> = (worker: number, handle: string, rowStart: number, rowEnd: number) => Promise<R>;

interface Plan<R> {
  rows: SliceRows;
  starts: number[];
  rowsPer: number;
  results: R[];
  /** next chunk from the front (the owner) and one past the last not taken from the back (the others) */
  front: number;
  back: number;
}

/**
 * Every chunk of every slice (rowsPer[i] rows each, the last one shorter), with stealing as above; per slice, the chunk
 * results in row order. Rejects on the first failed request, or with PRECOMPUTE_STOPPED once
 * control.stop() says so before a request (nothing more is posted then).
 */
export async function runChunks<R>(
  slices: readonly SliceRows[], rowsPer: readonly number[], post: PostChunk<R>, control?: ChunkControl,
): Promise<R[][]> {
  const plans: Plan<R>[] = slices.map((rows, i) => {
    const starts: number[] = [];
    for (let r0 = rows.slice.rowStart; r0 < rows.slice.rowEnd; r0 += rowsPer[i]) starts.push(r0);
    return { rows, starts, rowsPer: rowsPer[i], results: new Array<R>(starts.length), front: 0, back: starts.length };
  });
  let failed = false;
  const take = (worker: number): { plan: Plan<R>; index: number; handle: string } | null => {
    const own = plans.find((p) => p.rows.slice.worker === worker && p.front < p.back);
    if (own) return { plan: own, index: own.front++, handle: own.rows.holders.get(worker)! };
    let best: Plan<R> | null = null;
    for (const p of plans) {
      if (p.front < p.back && p.rows.holders.has(worker) && (!best || p.back - p.front > best.back - best.front)) best = p;
    }
    return best && { plan: best, index: --best.back, handle: best.rows.holders.get(worker)! };
  };
  const runWorker = async (worker: number): Promise<void> => {
    const inflight: Promise<void>[] = [];
    const topUp = () => {
      while (!failed && inflight.length < (control?.queued() ?? 2)) {
        if (control?.stop()) { failed = true; throw new Error(PRECOMPUTE_STOPPED); }
        const t = take(worker);
        if (!t) return;
        const r0 = t.plan.starts[t.index];
        const r1 = Math.min(t.plan.rows.slice.rowEnd, r0 + t.plan.rowsPer);
        const p = post(worker, t.handle, r0, r1).then((r) => { t.plan.results[t.index] = r; });
        p.catch(() => { failed = true; }); // awaited below, unless a stop or an earlier failure ends the loop first
        inflight.push(p);
      }
    };
    topUp();
    while (inflight.length > 0) {
      await inflight.shift();
      topUp();
    }
  };
  const workers = [...new Set(slices.flatMap((s) => [...s.holders.keys()]))];
  await Promise.all(workers.map(runWorker));
  return plans.map((p) => p.results);
}
