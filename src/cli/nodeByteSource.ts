/**
 * Node ByteSource over an fs file handle, and openTensorFileAtPath, which
 * opens a tensor file by path (a shard index opens its shards from the same
 * folder on demand). Every handle is closed by TensorFile.close(), or at once
 * when opening fails.
 */
import { open } from 'node:fs/promises';
import path from 'node:path';
import type { ByteSource } from '../core/io/byteSource.ts';
import { TensorFileError } from '../core/io/errors.ts';
import { openTensorFile } from '../core/io/open.ts';
import type { OpenOptions, TensorFile } from '../core/io/types.ts';

/** Opens `filePath` for reading; the source's name is the path as given. */
export async function nodeByteSource(filePath: string): Promise<ByteSource> {
  let fh;
  try {
    fh = await open(filePath, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a folder, not a file' : code === 'EACCES' ? 'is not readable (permission denied)' : `cannot be opened (${code ?? String(e)})`;
    throw new TensorFileError(`${filePath} ${why}; give the path of a .safetensors, .npy, .npz or .gguf file.`);
  }
  const handle = fh;
  const { size } = await handle.stat();
  let closed = false;
  return {
    size,
    name: filePath,
    async read(offset, length) {
      const out = new Uint8Array(length);
      let done = 0;
      while (done < length) {
        const { bytesRead } = await handle.read(out, done, length - done, offset + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return done === length ? out : out.subarray(0, done);
    },
    async close() {
      if (closed) return;
      closed = true;
      await handle.close();
    },
  };
}

/**
 * Opens the tensor file at `filePath`. For a shard index, the shards it names
 * are looked up next to it (plain file names only; a missing one is an error
 * that names it).
 */
export async function openTensorFileAtPath(filePath: string, opts: OpenOptions = {}): Promise<TensorFile> {
  const src = await nodeByteSource(filePath);
  const dir = path.dirname(filePath);
  return openTensorFile([src], {
    ...opts,
    resolveSibling: async (name) => {
      if (name !== path.basename(name)) return undefined;
      try {
        return await nodeByteSource(path.join(dir, name));
      } catch {
        return undefined;
      }
    },
  });
}
