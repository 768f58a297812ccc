/**
 * Worker 0's prepared transforms (X', W', s per PrepRequest), a few kept, and
 * the row-split way of making X': this worker transforms the first rows into
 * the whole X' buffer while the other workers transform the rows they hold
 * and send them (relayed by the main thread, transferred) to adoptRows. Until
 * every row has arrived the prep is pending: get() waits for it; abandon()
 * drops it, and get() then prepares the transform whole (the same bits).
 */
import type { Tensor2D } from '../src/core/tensor.ts';
import { parseTransform, type Transform } from '../src/core/transforms/parse.ts';
import { checkPrepable, prepFromXPrime, prepareTransform, transformRows, type TransformPrep } from '../src/core/pipeline/transformPrep.ts';
import { checkHadamardBlock } from '../src/core/transforms/hadamard.ts';
import { columnAbsMax } from '../src/core/transforms/smooth.ts';
import { checkPair, like } from '../src/core/transforms/types.ts';
import type { PrepRequest } from './analysisApi.ts';

/** Prepared transforms kept (X', W' cost one tensor each). */
const PREP_CACHE_SIZE = 3;

/**
 * Which requests are under way, for reusing memory safely: each request gets
 * a rising id while it runs (analysisApi wraps its methods with track()).
 * A buffer retired at stamp now() may be written again once quietSince(stamp):
 * every request that was under way then has finished, so none of them, paused
 * at an await, can still read it (the worker runs one thing at a time).
 */
export class RequestClock {
  private next = 0;
  private readonly active = new Set<number>();

  now(): number {
    return this.next;
  }

  quietSince(stamp: number): boolean {
    for (const id of this.active) if (id <= stamp) return false;
    return true;
  }

  /** f with every call counted as a request under way until its promise settles. */
  track<A extends unknown[], R>(f: (...a: A) => R): (...a: A) => Promise<Awaited<R>> {
    return async (...a: A): Promise<Awaited<R>> => {
      const id = ++this.next;
      this.active.add(id);
      try {
        return (await f(...a)) as Awaited<R>;
      } finally {
        this.active.delete(id);
      }
    };
  }
}

interface Pending {
  /** rows of X' not yet written */
  missing: number;
  done: Promise<boolean>;
  settle(complete: boolean): void;
}

interface Entry {
  key: string;
  x: Tensor2D;
  w?: Tensor2D;
  prep: TransformPrep;
  pending?: Pending;
}

/** floats touched between two pauses of PrepStore.warm (8 MiB) */
const WARM_STEP = 1 << 21;

/** One write per 4 KiB page of a[start, end), so those pages are backed before they are needed. */
function touchPages(a: Float32Array, start: number, end: number): void {
  for (let i = start; i < end; i += 1024) a[i] = 0;
}

/** A new Float32Array of `length` with every page written. */
export function touchedFloats(length: number): Float32Array<ArrayBuffer> {
  const a = new Float32Array(length);
  touchPages(a, 0, length);
  return a;
}

export class PrepStore {
  private entries: Entry[] = [];
  /** finite column absmax per held tensor (SmoothQuant's statistics do not depend on α) */
  private colMax = new WeakMap<Float32Array, Float32Array>();
  /**
   * The X' buffer of the last evicted prep, for the next row-split X' of the same size: writing
   * fresh pages cost ~3 µs each on the test machine (a 32 MiB half of X' at 4096²: ~100 ms, more
   * than making it), written pages are not. Taken only once no request that could read it is under
   * way (RequestClock); a new view is made on it, so caches keyed by the old view never match.
   */
  private spare: { buffer: ArrayBuffer; stamp: number } | null = null;

  /** pre-touched buffers for the first row-split X's after a load (warm), before any prep is evicted */
  private warmed: Float32Array<ArrayBuffer>[] = [];

  constructor(private readonly whole: (handle: string) => Tensor2D, private readonly clock = new RequestClock()) {}

  /** A buffer of `length` floats for a new X' (its contents are not zeros when reused). */
  private xPrimeBuffer(length: number): Float32Array<ArrayBuffer> {
    const s = this.spare;
    if (s && s.buffer.byteLength === length * 4 && this.clock.quietSince(s.stamp)) {
      this.spare = null;
      return new Float32Array(s.buffer);
    }
    const w = this.warmed.findIndex((b) => b.length === length);
    if (w >= 0) return this.warmed.splice(w, 1)[0];
    return new Float32Array(length);
  }

  /** the buffers warm() keeps now, in the order beginSplit takes them (tests) */
  warmedBuffers(): readonly ArrayBuffer[] {
    return this.warmed.map((b) => b.buffer);
  }

  /**
   * Keeps `count` buffers of `length` floats with every page written, for the X's of the first
   * transform changes after a load (until the cache is full no prep is evicted, so no spare):
   * their fresh pages would cost ~100 ms per 32 MiB on the test machine, on the change's path.
   * Buffers of another length are dropped.
   */
  async warm(length: number, count: number, pause: () => Promise<void>): Promise<void> {
    this.warmed = this.warmed.filter((b) => b.length === length);
    while (this.warmed.length < count) {
      // touched in 8 MiB steps with `pause` between (other requests run there: ~25 ms each on that machine)
      const a = new Float32Array(length);
      for (let s = 0; s < length; s += WARM_STEP) {
        touchPages(a, s, Math.min(length, s + WARM_STEP));
        await pause();
      }
      if (this.warmed.length >= count || this.warmed.some((b) => b.length !== length)) return; // another call got there
      this.warmed.push(a);
    }
  }

  private retire(e: Entry): void {
    const d = e.prep.xPrime.data;
    // a prep without a transform holds X itself; a view into a larger buffer is not ours to reuse
    if (d === e.x.data || d.byteOffset !== 0 || d.byteLength !== d.buffer.byteLength) return;
    this.spare = { buffer: d.buffer as ArrayBuffer, stamp: this.clock.now() };
  }

  private tensors(req: PrepRequest): { key: string; x: Tensor2D; w?: Tensor2D } {
    const x = this.whole(req.xHandle);
    const w = req.wHandle ? this.whole(req.wHandle) : undefined;
    return { key: `${req.xHandle}|${req.wHandle ?? ''}|${req.transform}|${req.seed}`, x, w };
  }

  private find(req: PrepRequest): Entry | undefined {
    const { key, x, w } = this.tensors(req);
    return this.entries.find((e) => e.key === key && e.x.data === x.data && e.w?.data === w?.data);
  }

  private add(e: Entry): void {
    this.entries.push(e);
    // evict the oldest complete preps; a pending one stays until its rows arrive or it is abandoned
    while (this.entries.length > PREP_CACHE_SIZE) {
      const i = this.entries.findIndex((p) => !p.pending);
      if (i < 0 || i === this.entries.length - 1) break;
      this.retire(this.entries.splice(i, 1)[0]);
    }
  }

  /** The prep of `req`, made whole here unless a row-split one is complete or under way. */
  async get(req: PrepRequest): Promise<TransformPrep> {
    const hit = this.find(req);
    if (hit && !hit.pending) return hit.prep;
    if (hit?.pending && (await hit.pending.done)) return hit.prep;
    const again = this.find(req); // another caller may have made it while this one waited
    if (again && !again.pending) return again.prep;
    const { key, x, w } = this.tensors(req);
    const prep = prepareTransform(x, w, parseTransform(req.transform), req.seed);
    this.add({ key, x, w, prep });
    return prep;
  }

  /** The column absmax of X and W that SmoothQuant's s comes from (smooth:α with a pair; kept per tensor). */
  smoothColumns(req: PrepRequest): { x: Float32Array; w: Float32Array } {
    const t = parseTransform(req.transform);
    const { x, w } = this.tensors(req);
    if (t.kind !== 'smooth' || !w) throw new Error(`smooth scales need transform smooth:α and a weight (got ${req.transform})`);
    checkPair(x, w, `smooth:${t.alpha}`);
    return { x: this.columnAbsMax(x), w: this.columnAbsMax(w) };
  }

  private columnAbsMax(t: Tensor2D): Float32Array {
    let m = this.colMax.get(t.data);
    if (!m) {
      m = columnAbsMax(t);
      this.colMax.set(t.data, m);
    }
    return m;
  }

  /**
   * Starts the row-split prep of `req`: X' rows [0, rowEnd) made here, the rest awaited from
   * adoptRows. Returns those rows of X' (a view of the prep's buffer). When the prep exists
   * already (complete or pending), returns its first rows and makes nothing.
   */
  beginSplit(req: PrepRequest, rowEnd: number, scales: Float32Array | undefined): Float32Array {
    const have = this.find(req);
    const { key, x, w } = this.tensors(req);
    if (!(Number.isInteger(rowEnd) && rowEnd >= 0 && rowEnd <= x.rows)) throw new Error(`rows [0, ${rowEnd}) are not rows of X`);
    if (have) return have.prep.xPrime.data.subarray(0, rowEnd * x.cols);
    const t = parseTransform(req.transform);
    checkSplittable(t, x, w, scales);
    const buf = this.xPrimeBuffer(x.data.length);
    const head = buf.subarray(0, rowEnd * x.cols);
    transformRows(like(x.data.subarray(0, rowEnd * x.cols), rowEnd, x.cols), t, req.seed, scales, head);
    const prep = prepFromXPrime(x, w, t, req.seed, buf, scales);
    let settle!: (ok: boolean) => void;
    const done = new Promise<boolean>((resolve) => { settle = resolve; });
    const missing = x.rows - rowEnd;
    const entry: Entry = { key, x, w, prep };
    if (missing > 0) entry.pending = { missing, done, settle };
    this.add(entry);
    return head;
  }

  /** Rows of X' made by another worker from the rows it holds: [rowStart, rowStart + rows.length / cols). */
  adoptRows(req: PrepRequest, rows: Float32Array, rowStart: number): void {
    const e = this.find(req);
    if (!e?.pending) return; // abandoned, evicted or already complete: nothing waits for these rows
    const cols = e.x.cols;
    const n = rows.length / cols;
    if (!(Number.isInteger(n) && rowStart >= 0 && rowStart + n <= e.x.rows)) throw new Error(`rows ${rowStart}… of X' do not fit X`);
    e.prep.xPrime.data.set(rows, rowStart * cols);
    e.pending.missing -= n;
    if (e.pending.missing <= 0) {
      const p = e.pending;
      delete e.pending;
      p.settle(true);
    }
  }

  /** A split prep whose rows will not all arrive: dropped, and whoever waits makes it whole. */
  abandon(req: PrepRequest): void {
    const e = this.find(req);
    if (!e?.pending) return;
    this.entries.splice(this.entries.indexOf(e), 1);
    e.pending.settle(false);
  }
}

/** The transforms whose X' rows depend only on the same rows of X (and s): smooth with its scales, Hadamard. */
export function checkSplittable(t: Transform, x: Tensor2D, w: Tensor2D | undefined, scales: Float32Array | undefined): void {
  if (t.kind === 'hadamard' || t.kind === 'random-hadamard') {
    checkHadamardBlock(t.kind, t.block, x.cols);
    if (w) checkPair(x, w, 'the pair X·Wᵀ');
    return;
  }
  if (t.kind === 'smooth') {
    if (!w) checkPrepable(x, w, t); // throws the prepared transform's "needs a weight" error
    checkPair(x, w!, 'the pair X·Wᵀ');
    if (!scales || scales.length !== x.cols) throw new Error('smooth needs its scales s, one per column');
    return;
  }
  throw new Error(`transform ${t.kind} is not made in row slices`);
}
