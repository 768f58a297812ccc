/** Output helpers for the CLI: atomic .npy writes (no partial file on failure) and JSON. */
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { writeNpyF32 } from '../core/io/npy.ts';
import { CliError } from './args.ts';

/** Writes float32 .npy to a temporary sibling, then renames it into place. */
export async function writeNpyAtomic(file: string, shape: readonly number[], data: Float32Array): Promise<void> {
  if (!file.endsWith('.npy')) throw new CliError(`output file "${file}" must end in .npy`);
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    const bytes = writeNpyF32(shape, data);
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(bytes);
    } finally {
      await fh.close();
    }
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    if (e instanceof CliError) throw e;
    throw new CliError(`could not write ${file} (${(e as Error).message.split('\n')[0]}); check that the folder exists and is writable`);
  }
}

/** JSON has no Infinity/NaN: write them as null. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v));
}
