/**
 * Random-access byte sources. The readers only ever read what they need: a
 * header first, then one tensor's bytes on demand, in bounded chunks.
 * Implementations: `memorySource` (here), `blobSource` (browser File/Blob),
 * src/cli/nodeByteSource.ts (Node file handle).
 */
import { TensorFileError, TensorReadAborted, check, fmtInt } from './errors.ts';

export interface ByteSource {
  /** total size in bytes */
  readonly size: number;
  /** file name (used to pick a reader by extension and to name shards) */
  readonly name: string;
  /**
   * Bytes [offset, offset + length). Callers only ask within [0, size); an
   * implementation returns exactly `length` bytes (a short result is treated
   * as a truncated file).
   */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** release the underlying handle, if any */
  close?(): Promise<void>;
}

/** Structural subset of AbortSignal (core has no DOM lib). */
export interface AbortSignalLike {
  readonly aborted: boolean;
}

export function memorySource(bytes: Uint8Array, name: string): ByteSource {
  return {
    size: bytes.length,
    name,
    read: async (offset, length) => bytes.subarray(offset, offset + length),
  };
}

/** The window [start, start + length) of `src` as a source of its own. */
export function sliceSource(src: ByteSource, start: number, length: number, name: string): ByteSource {
  return { size: length, name, read: (offset, len) => src.read(start + offset, len) };
}

/**
 * Reads exactly `length` bytes at `offset`, or throws a TensorFileError that
 * names `what` when the file is too short. I/O errors of the source become
 * TensorFileErrors too.
 */
export async function readExact(src: ByteSource, offset: number, length: number, what: string): Promise<Uint8Array> {
  check(
    Number.isSafeInteger(offset) && Number.isSafeInteger(length) && offset >= 0 && length >= 0 && offset + length <= src.size,
    () => `${src.name} is truncated: ${what} needs bytes ${fmtInt(offset)}…${fmtInt(offset + length)} but the file has ${fmtInt(src.size)} bytes; re-download or re-export the file.`,
  );
  if (length === 0) return new Uint8Array(0);
  let out: Uint8Array;
  try {
    out = await src.read(offset, length);
  } catch (e) {
    if (e instanceof TensorFileError || (e as Error)?.name === 'AbortError') throw e;
    throw new TensorFileError(`${src.name} could not be read at byte ${fmtInt(offset)} (${(e as Error)?.message ?? String(e)}); check that the file is still readable.`);
  }
  check(out.length === length, () => `${src.name} is truncated: ${what} at byte ${fmtInt(offset)} returned ${fmtInt(out.length)} of ${fmtInt(length)} bytes; re-download the file.`);
  return out;
}

export function throwIfAborted(signal: AbortSignalLike | undefined): void {
  if (signal?.aborted) throw new TensorReadAborted();
}

/** Bytes per chunk of a tensor read; readers round it down to their unit size. */
export const CHUNK_BYTES = 4 << 20;

export interface ChunkOptions {
  signal?: AbortSignalLike;
  /** called after each chunk with the bytes read so far of `total` */
  onProgress?(bytesRead: number, total: number): void;
}

/**
 * Bytes handed to `consume` at a time while the next chunk's read is still in
 * flight; the decoder yields to the event loop between these slices.
 */
export const SLICE_BYTES = 256 << 10;

type Later = (fn: () => void) => unknown;
/**
 * Resolves on a later macrotask: setImmediate (Node), else a MessageChannel
 * message (browsers: not clamped like nested setTimeout), else setTimeout.
 */
const nextTask: () => Promise<void> = (() => {
  const g = globalThis as unknown as {
    setImmediate?: Later; setTimeout: (fn: () => void, ms: number) => unknown;
    MessageChannel?: new () => { port1: { onmessage: (() => void) | null }; port2: { postMessage(v: unknown): void } };
  };
  if (g.setImmediate) { const si = g.setImmediate; return () => new Promise<void>((r) => { si(r); }); }
  if (g.MessageChannel) {
    const ch = new g.MessageChannel();
    const waiting: (() => void)[] = [];
    ch.port1.onmessage = () => waiting.shift()?.();
    return () => new Promise<void>((r) => { waiting.push(r); ch.port2.postMessage(0); });
  }
  return () => new Promise<void>((r) => { g.setTimeout(r, 0); });
})();

/**
 * Chunk reads kept in flight while a chunk decodes. A browser Blob read of a
 * chunk has a fixed cost per read besides its bytes (measured in Chromium:
 * 64 MiB as 4 MiB reads one at a time ≈ 2× one 64 MiB read; two in flight ≈ 1.1×).
 */
export const READS_IN_FLIGHT = 2;

/**
 * Reads [offset, offset + length) in chunks of a multiple of `unit` bytes and
 * hands them to `consume(chunk, byteIndex)` (byteIndex relative to `offset`;
 * every chunk a whole number of units, in order, covering the range once).
 * The next READS_IN_FLIGHT chunks' reads are under way while `consume`
 * decodes the current one (at most READS_IN_FLIGHT + 1 chunks in memory).
 * While any of those reads has not arrived, the current chunk goes to
 * `consume` in slices of about SLICE_BYTES with a macrotask between them: a
 * browser Blob read delivers its bytes through the reading thread's event
 * loop, so a decoder that never yields would stall it.
 * `progress` = [bytes already done, total] for reads made of several parts.
 */
export async function readChunked(
  src: ByteSource, offset: number, length: number, unit: number, what: string,
  consume: (chunk: Uint8Array, at: number) => void, opts: ChunkOptions = {}, progress: [number, number] = [0, length],
): Promise<void> {
  const step = Math.max(unit, Math.floor(CHUNK_BYTES / unit) * unit);
  // slices: whole units and a multiple of 4 bytes, so word loads stay aligned
  const sliceUnit = unit % 4 === 0 ? unit : unit * 4;
  const slice = Math.max(sliceUnit, Math.floor(SLICE_BYTES / sliceUnit) * sliceUnit);
  let pending = 0; // reads issued and not yet arrived
  const queue: Promise<Uint8Array>[] = [];
  let issued = 0;
  const issue = () => {
    const p = readExact(src, offset + issued, Math.min(step, length - issued), what);
    pending++;
    p.then(() => { pending--; }, () => { pending--; }); // also: a prefetch nobody awaits must not be an unhandled rejection
    queue.push(p);
    issued += step;
  };
  throwIfAborted(opts.signal);
  while (issued < length && queue.length < READS_IN_FLIGHT) issue();
  for (let at = 0; queue.length; at += step) {
    const chunk = await queue.shift()!;
    throwIfAborted(opts.signal);
    if (issued < length) issue();
    let s = 0;
    while (pending > 0 && chunk.length - s > slice) {
      consume(chunk.subarray(s, s + slice), at + s);
      s += slice;
      await nextTask();
      throwIfAborted(opts.signal);
    }
    consume(s ? chunk.subarray(s) : chunk, at + s);
    opts.onProgress?.(progress[0] + at + chunk.length, progress[1]);
  }
  throwIfAborted(opts.signal);
}

/** A copy of `b` whose byteOffset is 0, when `b` is not aligned to `align` bytes. */
export function aligned(b: Uint8Array, align: number): Uint8Array {
  return b.byteOffset % align === 0 ? b : b.slice();
}
