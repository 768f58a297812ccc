/**
 * openTensorFile: picks the reader by file name, then by magic bytes.
 *   *.safetensors (one or several), *.index.json + shards   → safetensors
 *   *.npy → npy   *.npz → npz   *.gguf → gguf
 *   PyTorch pickles (*.bin, *.pt, *.pth, *.ckpt) are refused: loading them
 *   runs arbitrary code, so they must be converted to safetensors first.
 */
import { type ByteSource, readExact } from './byteSource.ts';
import { TensorFileError, check } from './errors.ts';
import { closeAll } from './fileCommon.ts';
import { openGgufFile } from './gguf.ts';
import { openNpyFile } from './npy.ts';
import { openNpzFile } from './npz.ts';
import { isIndexName } from './safetensors.ts';
import { openSafetensorsFile } from './safetensorsFile.ts';
import { baseName } from './text.ts';
import type { OpenOptions, TensorFile, TensorFileFormat } from './types.ts';

const PICKLE_EXT = /\.(bin|pt|pth|ckpt|pkl|pickle)$/i;

/** Format from the file name, or undefined when the name does not tell. */
function formatByName(name: string): TensorFileFormat | 'pickle' | undefined {
  const n = baseName(name).toLowerCase();
  if (n.endsWith('.safetensors') || isIndexName(n)) return 'safetensors';
  if (n.endsWith('.npy')) return 'npy';
  if (n.endsWith('.npz')) return 'npz';
  if (n.endsWith('.gguf')) return 'gguf';
  if (PICKLE_EXT.test(n)) return 'pickle';
  return undefined;
}

/** Format from the first bytes: .npy magic, zip local header, "GGUF", safetensors' u64 + '{'. */
async function formatByMagic(src: ByteSource): Promise<TensorFileFormat | 'pickle' | undefined> {
  if (src.size < 9) return undefined;
  const b = await readExact(src, 0, 9, 'the first bytes');
  if (b[0] === 0x93 && b[1] === 0x4e && b[2] === 0x55 && b[3] === 0x4d) return 'npy';
  if (b[0] === 0x47 && b[1] === 0x47 && b[2] === 0x55 && b[3] === 0x46) return 'gguf';
  if (b[0] === 0x50 && b[1] === 0x4b && b[2] === 3 && b[3] === 4) return 'npz';
  if (b[0] === 0x80 && b[1] >= 2 && b[1] <= 5) return 'pickle';
  if (b[8] === 0x7b && b[6] === 0 && b[7] === 0) return 'safetensors';
  return undefined;
}

const SUPPORTED = '.safetensors (or a model.safetensors.index.json with its shards), .npy, .npz or .gguf';

export async function openTensorFile(sources: ByteSource[], opts: OpenOptions = {}): Promise<TensorFile> {
  try {
    check(sources.length > 0, `no file was given; open a ${SUPPORTED} file.`);
    const formats = await Promise.all(sources.map(async (s) => formatByName(s.name) ?? (await formatByMagic(s))));
    const i = formats.findIndex((x) => x === 'pickle');
    check(i < 0, () => `${baseName(sources[i].name)} is a PyTorch pickle checkpoint, which quantscope does not load (unpickling can run code); convert it to safetensors first, e.g. safetensors.torch.save_file(torch.load(path, weights_only=True), "model.safetensors").`);
    const u = formats.findIndex((x) => x === undefined);
    check(u < 0, () => `${baseName(sources[u].name)} is not a tensor file quantscope recognizes; open a ${SUPPORTED} file.`);
    if (formats.every((x) => x === 'safetensors')) return await openSafetensorsFile(sources, opts);
    check(sources.length === 1, `several files were given but only safetensors shards can be opened together; open one ${SUPPORTED} file at a time.`);
    const [src] = sources;
    switch (formats[0]) {
      case 'npy': return await openNpyFile(src, opts);
      case 'npz': return await openNpzFile(src, opts);
      default: return await openGgufFile(src, opts);
    }
  } catch (e) {
    await closeAll(sources);
    if (e instanceof TensorFileError || (e as Error)?.name === 'AbortError') throw e;
    // a reader bug must still surface as one sentence, never a stack trace
    throw new TensorFileError(`the file could not be read (${(e as Error)?.message ?? String(e)}); it may be damaged.`);
  }
}
