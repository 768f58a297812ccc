/**
 * Opening tensor files from disk for the CLI, through the same readers the
 * worker uses (src/core/io). A folder is opened as a checkpoint: its
 * model.safetensors.index.json if present, else its *.safetensors files.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { openTensorFile } from '../core/io/open.ts';
import type { DecodedTensor, TensorFile } from '../core/io/types.ts';
import { tensor2D, type Tensor2D } from '../core/tensor.ts';
import { nodeByteSource } from './nodeByteSource.ts';
import { CliError } from './args.ts';

export async function openPath(file: string): Promise<TensorFile> {
  let info;
  try {
    info = await stat(file);
  } catch {
    throw new CliError(`cannot read "${file}": no such file or folder`);
  }
  let paths = [file];
  if (info.isDirectory()) {
    const names = (await readdir(file)).sort();
    const index = names.find((n) => n.endsWith('.safetensors.index.json'));
    const shards = names.filter((n) => n.endsWith('.safetensors'));
    if (index) paths = [path.join(file, index)];
    else if (shards.length) paths = shards.map((n) => path.join(file, n));
    else throw new CliError(`folder "${file}" has no *.safetensors files or model.safetensors.index.json`);
  }
  const sources = await Promise.all(paths.map((p) => nodeByteSource(p)));
  const dir = path.dirname(paths[0]);
  return openTensorFile(sources, {
    resolveSibling: async (name: string) => {
      const p = path.join(dir, path.basename(name));
      try {
        return await nodeByteSource(p);
      } catch {
        return undefined;
      }
    },
  });
}

/** Picks a tensor by name, or the only decodable tensor when no name is given. */
export async function readTensor(file: TensorFile, fileName: string, name: string | undefined, flag: string): Promise<{ decoded: DecodedTensor; tensor: Tensor2D }> {
  const decodable = file.tensors.filter((t) => !t.notDecoded);
  let chosen = name;
  if (chosen === undefined) {
    if (decodable.length !== 1) {
      const names = decodable.slice(0, 8).map((t) => t.name).join(', ');
      throw new CliError(`${fileName} holds ${decodable.length} tensors; pick one with --${flag} NAME (e.g. ${names}${decodable.length > 8 ? ', …' : ''})`);
    }
    chosen = decodable[0].name;
  }
  const decoded = await file.read(chosen);
  if (decoded.data.length === 0) {
    throw new CliError(`${fileName}: tensor "${chosen}" has no elements (shape [${decoded.shape.join(', ')}]); pick a tensor with at least one element`);
  }
  return { decoded, tensor: tensor2D(decoded.data, decoded.shape) };
}
