/**
 * Browser ByteSource over a File/Blob, typed structurally so core needs no
 * DOM lib. Reads go through blob.slice(), so only the asked-for bytes load;
 * when the blob's slices offer stream() (browsers), chunked reads of a tensor
 * use one byte stream per tensor (byteSource.ts readChunked).
 */
import type { ByteSource, ByteStreamLike } from './byteSource.ts';

export interface BlobLike {
  readonly size: number;
  readonly name?: string;
  slice(start: number, end: number): { arrayBuffer(): Promise<ArrayBuffer>; stream?(): ByteStreamLike };
}

export function blobSource(blob: BlobLike, name = blob.name ?? 'file'): ByteSource {
  const src: ByteSource = {
    size: blob.size,
    name,
    read: async (offset, length) => new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer()),
  };
  if (typeof blob.slice(0, 0).stream === 'function') src.stream = (offset, length) => blob.slice(offset, offset + length).stream!();
  return src;
}
