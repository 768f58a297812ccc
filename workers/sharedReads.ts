/**
 * One read of a file tensor serves every caller in this worker (issue 6).
 * Picking a packed tensor in the tensor browser asks worker 0 twice for the
 * same bytes: the analysis loads it (engineApi.loadFileTensor) and the browser
 * wants its stored-scale statistics (modelJobs.tensorDetails). The second
 * caller joins the read already under way (or finished: the details of the
 * last reads are kept, they are small) instead of reading and decoding again.
 *
 * Cancel: the shared read stops only when every caller waiting on it has
 * cancelled; a caller that cancelled gets AbortError once the read settles.
 * Progress goes to every caller that is still waiting.
 */
import { TensorReadAborted } from '../src/core/io/errors.ts';
import type { AbortSignalLike, DecodedTensor, PackedStats, ReadOptions } from '../src/core/io/index.ts';

/** What a caller may need of a read without its data. */
export interface ReadDetails {
  shape: number[];
  storedDtype: string;
  packedInfo?: PackedStats;
}

interface Waiter {
  signal?: AbortSignalLike;
  onProgress?: ReadOptions['onProgress'];
  resolve(t: DecodedTensor): void;
  reject(e: unknown): void;
}

interface Shared { waiters: Set<Waiter> }

const inflight = new Map<string, Shared>();
/** details of finished reads, oldest first */
const done = new Map<string, ReadDetails>();
const KEEP_DONE = 256;

/** Cache key of a tensor of a set of files (clones of the same File compare equal by name, size and date). */
export function readKey(files: readonly { name: string; size: number; lastModified: number }[], name: string): string {
  return `${files.map((f) => `${f.name}:${f.size}:${f.lastModified}`).join('|')}\n${name}`;
}

const detailsOf = (t: DecodedTensor): ReadDetails => ({ shape: t.shape, storedDtype: t.storedDtype, ...(t.packedInfo ? { packedInfo: t.packedInfo } : {}) });

/**
 * The tensor behind `key`, read by `read` unless a read of it is under way,
 * in which case this caller waits for that one. `opts` are this caller's: its
 * cancel takes effect at the next chunk, as with a read of its own.
 */
export function readShared(key: string, read: (opts: ReadOptions) => Promise<DecodedTensor>, opts: ReadOptions = {}): Promise<DecodedTensor> {
  return new Promise<DecodedTensor>((resolve, reject) => {
    const me: Waiter = { signal: opts.signal, onProgress: opts.onProgress, resolve, reject };
    const joined = inflight.get(key);
    if (joined) {
      joined.waiters.add(me);
      return;
    }
    const s: Shared = { waiters: new Set([me]) }; // before the read starts: a read no one waits for counts as cancelled
    inflight.set(key, s);
    /** callers that cancelled leave with AbortError now; the read goes on while anyone still waits */
    const dropCancelled = () => {
      for (const w of s.waiters) {
        if (w.signal?.aborted) {
          s.waiters.delete(w);
          w.reject(new TensorReadAborted());
        }
      }
    };
    const signal: AbortSignalLike = { get aborted() { dropCancelled(); return s.waiters.size === 0; } };
    read({ signal, onProgress: (b, total) => { for (const w of s.waiters) w.onProgress?.(b, total); } }).then((t) => {
      if (inflight.get(key) === s) inflight.delete(key);
      done.delete(key);
      done.set(key, detailsOf(t));
      while (done.size > KEEP_DONE) done.delete(done.keys().next().value as string);
      dropCancelled();
      for (const w of s.waiters) w.resolve(t);
    }, (e) => {
      if (inflight.get(key) === s) inflight.delete(key);
      for (const w of s.waiters) w.reject(w.signal?.aborted ? new TensorReadAborted() : e);
    });
  });
}

/**
 * Details of `key`: from a finished read, else by joining the read under way,
 * else from a read of its own (`read`, whose data is then dropped).
 */
export async function readDetails(key: string, read: (opts: ReadOptions) => Promise<DecodedTensor>, opts: ReadOptions = {}): Promise<ReadDetails> {
  const known = done.get(key);
  if (known) {
    if (opts.signal?.aborted) throw new TensorReadAborted();
    return known;
  }
  return detailsOf(await readShared(key, read, opts));
}
