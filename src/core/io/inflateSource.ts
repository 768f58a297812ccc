/**
 * A ByteSource over a raw DEFLATE stream (a deflated zip member), for readers
 * that read front to back (.npy inside .npz). Reads must move forward; a read
 * before the current position restarts the stream from the beginning. Output
 * beyond the declared uncompressed size, or a stream that ends short of it, is
 * a TensorFileError, so a corrupt member never grows memory without bound.
 * Concurrent reads are queued (they share one stream).
 */
import { Inflate } from 'fflate';
import { type ByteSource, readExact } from './byteSource.ts';
import { TensorFileError, check, fmtInt } from './errors.ts';

/** compressed bytes pushed per step (bounds the output of one step to ~16 MiB) */
const PUSH_BYTES = 16 << 10;

export function inflateSource(compressed: ByteSource, uncompressedSize: number, name: string): ByteSource {
  let inflater: Inflate;
  let inPos = 0;
  let ended = false;
  let queue: Uint8Array[] = [];
  let queued = 0;
  /** uncompressed offset of queue[0][0] */
  let pos = 0;
  let produced = 0;

  const reset = () => {
    inPos = 0; ended = false; queue = []; queued = 0; pos = 0; produced = 0;
    inflater = new Inflate((chunk) => {
      produced += chunk.length;
      check(produced <= uncompressedSize, () => `${name} inflates to more than its declared ${fmtInt(uncompressedSize)} bytes; the archive is damaged.`);
      if (chunk.length) { queue.push(chunk); queued += chunk.length; }
    });
  };
  reset();

  const pull = async () => {
    if (ended) throw new TensorFileError(`${name} inflates to ${fmtInt(produced)} bytes but declares ${fmtInt(uncompressedSize)}; the archive is truncated or damaged.`);
    const n = Math.min(PUSH_BYTES, compressed.size - inPos);
    const chunk = n > 0 ? await readExact(compressed, inPos, n, `compressed member ${name}`) : new Uint8Array(0);
    inPos += n;
    const final = inPos >= compressed.size;
    try {
      inflater.push(chunk.slice(), final);
    } catch (e) {
      if (e instanceof TensorFileError) throw e;
      throw new TensorFileError(`${name} is not a valid DEFLATE stream (${(e as Error)?.message ?? 'corrupt data'}); the archive is damaged.`);
    }
    if (final) ended = true;
  };

  const drop = (n: number) => {
    while (n > 0) {
      const head = queue[0];
      if (head.length <= n) { queue.shift(); queued -= head.length; pos += head.length; n -= head.length; } else {
        queue[0] = head.subarray(n); queued -= n; pos += n; n = 0;
      }
    }
  };

  /** the previous read; reads run one at a time because they share the stream state */
  let last: Promise<unknown> = Promise.resolve();

  const readNow = async (offset: number, length: number): Promise<Uint8Array> => {
    if (offset < pos) reset();
    for (;;) {
      const skip = Math.min(offset - pos, queued);
      if (skip > 0) drop(skip);
      if (pos === offset && queued >= length) break;
      await pull();
    }
    const out = new Uint8Array(length);
    let o = 0;
    for (let i = 0; o < length; i++) {
      const q = queue[i];
      const n = Math.min(q.length, length - o);
      out.set(q.subarray(0, n), o);
      o += n;
    }
    return out;
  };

  return {
    size: uncompressedSize,
    name,
    read(offset, length) {
      const p = last.then(() => readNow(offset, length)).catch((e) => { reset(); throw e; });
      last = p.catch(() => undefined);
      return p;
    },
  };
}
