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
  /**
   * Optional: bytes [offset, offset + length) as a readable byte stream
   * (a browser Blob's slice(offset, offset + length).stream()). Chunked reads
   * of more than one chunk use it, through a BYOB reader, so that one read
   * covers the whole range and the bytes land in one reused buffer; a stream
   * that refuses a BYOB reader falls back to read().
   */
  stream?(offset: number, length: number): ByteStreamLike;
}

/** Structural subset of ReadableStream<Uint8Array> of type 'bytes' (core has no DOM lib). */
export interface ByteStreamLike {
  getReader(options: { mode: 'byob' }): ByteStreamReaderLike;
}
/** Structural subset of ReadableStreamBYOBReader: read() transfers the view's buffer and hands it back in `value`. */
export interface ByteStreamReaderLike {
  read(view: Uint8Array): Promise<{ done: boolean; value?: Uint8Array }>;
  cancel(reason?: unknown): Promise<void>;
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
  checkRange(src, offset, length, what);
  if (length === 0) return new Uint8Array(0);
  let out: Uint8Array;
  try {
    out = await src.read(offset, length);
  } catch (e) {
    throw readError(src, offset, e);
  }
  check(out.length === length, () => truncatedAt(src, offset, out.length, length, what));
  return out;
}

function checkRange(src: ByteSource, offset: number, length: number, what: string): void {
  check(
    Number.isSafeInteger(offset) && Number.isSafeInteger(length) && offset >= 0 && length >= 0 && offset + length <= src.size,
    () => `${src.name} is truncated: ${what} needs bytes ${fmtInt(offset)}…${fmtInt(offset + length)} but the file has ${fmtInt(src.size)} bytes; re-download or re-export the file.`,
  );
}

const truncatedAt = (src: ByteSource, offset: number, got: number, length: number, what: string) =>
  `${src.name} is truncated: ${what} at byte ${fmtInt(offset)} returned ${fmtInt(got)} of ${fmtInt(length)} bytes; re-download the file.`;

/** An error of the source's read at `offset`, as a TensorFileError (AbortErrors and TensorFileErrors pass through). */
function readError(src: ByteSource, offset: number, e: unknown): unknown {
  if (e instanceof TensorFileError || (e as Error)?.name === 'AbortError') return e;
  return new TensorFileError(`${src.name} could not be read at byte ${fmtInt(offset)} (${(e as Error)?.message ?? String(e)}); check that the file is still readable.`);
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
 * hands each to `consume(chunk, byteIndex)` (byteIndex relative to `offset`),
 * in order. A chunk is valid only during its `consume` call (it may be a
 * buffer that the next chunk reuses).
 * With `src.stream`, one BYOB stream read covers the whole range into one
 * reused chunk buffer (measured in Chromium: 64 MiB this way ≈ 50 ms, as
 * sixteen 4 MiB Blob reads ≈ 105 ms, as one 64 MiB Blob read ≈ 65 ms).
 * Otherwise the next chunk's read() is already under way while `consume`
 * decodes the current one (at most two chunks in memory).
 * `progress` = [bytes already done, total] for reads made of several parts.
 */
export async function readChunked(
  src: ByteSource, offset: number, length: number, unit: number, what: string,
  consume: (chunk: Uint8Array, at: number) => void, opts: ChunkOptions = {}, progress: [number, number] = [0, length],
): Promise<void> {
  const step = Math.max(unit, Math.floor(CHUNK_BYTES / unit) * unit);
  if (src.stream && length > step && await readStreamed(src, offset, length, step, what, consume, opts, progress)) return;
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

/**
 * readChunked through src.stream: chunks of `step` bytes (the last one
 * shorter) filled by a BYOB reader into one buffer. Returns false, having
 * read nothing, when the stream refuses a BYOB reader.
 */
async function readStreamed(
  src: ByteSource, offset: number, length: number, step: number, what: string,
  consume: (chunk: Uint8Array, at: number) => void, opts: ChunkOptions, progress: [number, number],
): Promise<boolean> {
  checkRange(src, offset, length, what);
  throwIfAborted(opts.signal);
  let reader: ByteStreamReaderLike;
  try {
    reader = src.stream!(offset, length).getReader({ mode: 'byob' });
  } catch {
    return false;
  }
  let buffer: ArrayBufferLike = new ArrayBuffer(step);
  try {
    for (let at = 0; at < length; at += step) {
      const n = Math.min(step, length - at);
      let got = 0;
      while (got < n) {
        let r: { done: boolean; value?: Uint8Array };
        try {
          r = await reader.read(new Uint8Array(buffer, got, n - got));
        } catch (e) {
          throw readError(src, offset + at + got, e);
        }
        if (r.value) buffer = r.value.buffer;
        if (r.done || !r.value) break;
        got += r.value.length;
      }
      check(got === n, () => truncatedAt(src, offset + at, got, n, what));
      throwIfAborted(opts.signal);
      consume(new Uint8Array(buffer, 0, n), at);
      opts.onProgress?.(progress[0] + at + n, progress[1]);
    }
  } finally {
    reader.cancel().catch(() => {});
  }
  throwIfAborted(opts.signal);
  return true;
}

/** A copy of `b` whose byteOffset is 0, when `b` is not aligned to `align` bytes. */
export function aligned(b: Uint8Array, align: number): Uint8Array {
  return b.byteOffset % align === 0 ? b : b.slice();
}
