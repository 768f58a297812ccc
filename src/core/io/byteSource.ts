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
 * Reads [offset, offset + length) in chunks of a multiple of `unit` bytes and
 * hands each to `consume(chunk, byteIndex)` (byteIndex relative to `offset`).
 * The next chunk's read is already under way while `consume` decodes the
 * current one (at most two chunks in memory), so reading and decoding overlap.
 * `progress` = [bytes already done, total] for reads made of several parts.
 */
export async function readChunked(
  src: ByteSource, offset: number, length: number, unit: number, what: string,
  consume: (chunk: Uint8Array, at: number) => void, opts: ChunkOptions = {}, progress: [number, number] = [0, length],
): Promise<void> {
  const step = Math.max(unit, Math.floor(CHUNK_BYTES / unit) * unit);
  const start = (at: number): Promise<Uint8Array> => {
    const p = readExact(src, offset + at, Math.min(step, length - at), what);
    p.catch(() => {}); // a prefetch nobody awaits (abort, decode error) must not be an unhandled rejection
    return p;
  };
  throwIfAborted(opts.signal);
  let next = length > 0 ? start(0) : null;
  for (let at = 0; next; at += step) {
    const chunk = await next;
    throwIfAborted(opts.signal);
    next = at + step < length ? start(at + step) : null;
    consume(chunk, at);
    opts.onProgress?.(progress[0] + at + chunk.length, progress[1]);
  }
  throwIfAborted(opts.signal);
}

/** A copy of `b` whose byteOffset is 0, when `b` is not aligned to `align` bytes. */
export function aligned(b: Uint8Array, align: number): Uint8Array {
  return b.byteOffset % align === 0 ? b : b.slice();
}
