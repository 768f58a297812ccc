/**
 * Browser ByteSource over a File/Blob, typed structurally so core needs no
 * DOM lib. Reads go through blob.slice(), so only the asked-for bytes load.
 */
import type { ByteSource } from './byteSource.ts';

export interface BlobLike {
  readonly size: number;
  readonly name?: string;
  slice(start: number, end: number): { arrayBuffer(): Promise<ArrayBuffer> };
}

export function blobSource(blob: BlobLike, name = blob.name ?? 'file'): ByteSource {
  return {
    size: blob.size,
    name,
    read: async (offset, length) => new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer()),
  };
}
